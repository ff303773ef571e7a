import { ValidationError } from '../errors.js';
import type { ParsedSpend } from '../spend.js';
import { googleAdsCsv } from './google-ads-csv.js';
import { readGoogleAdsApi } from './google-ads-api.js';
import { metaAdsCsv } from './meta-ads-csv.js';
import { readMetaInsights } from './meta-insights.js';
import { checkOptions, collectOutcomes, decodeSpendFile, SPEND_FORMATS, type RowOutcome, type SpendFormat, type SpendImportOptions } from './spend-file.js';
import { tableLines, tableReader, type TableSpec } from './table-reader.js';
import { readTikTok } from './tiktok.js';
import { readVkAds } from './vk-ads.js';
import { yandexDirectTsv } from './yandex-direct.js';
import { yandexMetricaCsv } from './yandex-metrica.js';

/** The formats read line by line (the CLI streams these); the others are JSON documents. */
export const TABLE_FORMATS: Partial<Record<SpendFormat, TableSpec<any>>> = {
  google_ads_csv: googleAdsCsv,
  meta_ads_csv: metaAdsCsv,
  yandex_direct: yandexDirectTsv,
  yandex_metrica: yandexMetricaCsv,
};

const JSON_FORMATS: Partial<Record<SpendFormat, (doc: unknown, options: SpendImportOptions) => RowOutcome[]>> = {
  google_ads_api: readGoogleAdsApi,
  meta_insights: readMetaInsights,
  vk_ads: readVkAds,
  tiktok: readTikTok,
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Which JSON format a document is, by its shape; undefined when it is none of them. */
export function recognizeJson(doc: unknown): SpendFormat | undefined {
  const first = Array.isArray(doc) ? doc[0] : undefined;
  if (Array.isArray(doc) && (isObject(first) && ('results' in first || 'fieldMask' in first))) return 'google_ads_api';
  if (Array.isArray(doc) && isObject(first) && ('date_start' in first || 'spend' in first)) return 'meta_insights';
  if (!isObject(doc)) return undefined;
  if (Array.isArray(doc.results) || 'fieldMask' in doc) return 'google_ads_api';
  // TikTok answers errors with a non-zero code and an empty data object.
  if ((isObject(doc.data) && Array.isArray(doc.data.list)) || (typeof doc.code === 'number' && 'request_id' in doc) || (typeof doc.code === 'number' && isObject(doc.data))) return 'tiktok';
  if (Array.isArray(doc.data)) return 'meta_insights';
  if (Array.isArray(doc.items) && doc.items.every((i) => isObject(i) && ('rows' in i || 'id' in i))) return 'vk_ads';
  return undefined;
}

/** Which table format a text is, by its header (looked for in its first 30 lines); undefined when none. */
export function recognizeTable(text: string): SpendFormat | undefined {
  const lines = tableLines(text.split(/\r?\n/).slice(0, 30).join('\n'));
  for (const { cells } of lines) {
    const trimmed = cells.map((c) => c.trim());
    if (yandexMetricaCsv.header(trimmed)) return 'yandex_metrica';
    if (yandexDirectTsv.header(trimmed)) return 'yandex_direct';
    if (metaAdsCsv.header(trimmed)) return 'meta_ads_csv';
    if (googleAdsCsv.header(trimmed)) return 'google_ads_csv';
  }
  return undefined;
}

/** What the file is, from `?format=` or else from its content; a 400 names the formats when neither tells. */
export function recognizeSpendFile(text: string, format?: string): { format: SpendFormat; doc?: unknown } {
  if (format !== undefined && !SPEND_FORMATS.includes(format as SpendFormat)) {
    throw new ValidationError('unknown spend format', [{ field: 'format', problem: `must be one of ${SPEND_FORMATS.join(', ')}` }]);
  }
  const trimmed = text.trimStart();
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  if (format && !TABLE_FORMATS[format as SpendFormat]) {
    try {
      return { format: format as SpendFormat, doc: JSON.parse(text) };
    } catch {
      throw new ValidationError(`the file is not valid JSON, which ${format} is`);
    }
  }
  if (format) return { format: format as SpendFormat };
  if (looksJson) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new ValidationError('the file starts like JSON but is not valid JSON');
    }
    const found = recognizeJson(doc);
    if (found) return { format: found, doc };
  } else {
    const found = recognizeTable(text);
    if (found) return { format: found };
  }
  throw new ValidationError('the file is not a spend export leadflow recognizes', [
    { field: 'format', problem: `name it with ?format= (one of ${SPEND_FORMATS.join(', ')}); a CSV or TSV needs its header line, a JSON file the platform's own shape` },
  ]);
}

/**
 * Reads a spend export (`bytes` as uploaded) into records: recognizes its format unless told, reads each
 * row through the format's parser, adds rows of one key together and lists skipped rows with reasons.
 * Throws a ValidationError (400) for a file it cannot read as a whole, or one without a currency when
 * `options.currency` gives none.
 */
export function parseSpendFile(bytes: Uint8Array | string, options: SpendImportOptions & { format?: string } = {}): ParsedSpend & { format: SpendFormat } {
  checkOptions(options);
  const text = typeof bytes === 'string' ? bytes.replace(/^\uFEFF/, '') : decodeSpendFile(bytes);
  if (!text.trim()) throw new ValidationError('the file is empty');
  const { format, doc } = recognizeSpendFile(text, options.format);
  const table = TABLE_FORMATS[format];
  if (table) {
    const reader = tableReader(table, options);
    const lines = tableLines(text);
    const outcomes = lines.flatMap(({ cells, line }) => reader.push(cells, line));
    if (!reader.started) throw new ValidationError(`no header line of a ${format} file was found`, [{ field: 'format', problem: `the file does not look like ${format}` }]);
    return { format, ...collectOutcomes(outcomes) };
  }
  return { format, ...collectOutcomes(JSON_FORMATS[format]!(doc, options)) };
}
