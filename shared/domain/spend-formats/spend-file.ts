import Big from 'big.js';
import { ValidationError } from '../errors.js';
import { isCurrency } from '../lead-status.js';
import { decimalText } from '../money.js';
import { mergeSameKey, readSpendRow, type ParsedSpend, type SkippedRow, type SpendRecord } from '../spend.js';

/** The spend files leadflow reads, by the name `?format=` takes. */
export const SPEND_FORMATS = ['google_ads_csv', 'google_ads_api', 'meta_insights', 'meta_ads_csv', 'yandex_direct', 'yandex_metrica', 'vk_ads', 'tiktok'] as const;
export type SpendFormat = (typeof SPEND_FORMATS)[number];

/** What the importer is told beside the file. */
export interface SpendImportOptions {
  /** The currency of a file that names none (Yandex Direct, VK Ads, Meta rows without `account_currency`). */
  currency?: string;
  /** Yandex Direct: whether costs are in micros (the API's default); unset, a cost without a point is micros. */
  micros?: boolean;
}

/** One data row of a file: the record it became, or why it was skipped. */
export type RowOutcome = { row: number; record: SpendRecord } | { row: number; skip: string };

/** The fields of a row as a format found them, before the common checks (`readSpendRow`). */
export interface RowFields {
  date: string | undefined;
  platform: string;
  accountId?: string;
  campaignId?: string;
  campaignName?: string;
  adGroupId?: string;
  adId?: string;
  amount: Big | string | undefined;
  currency?: string;
  clicks?: number | string;
  impressions?: number | string;
}

/** The 400 for a file whose rows name no currency when the request names none either. */
export function missingCurrency(format: SpendFormat): ValidationError {
  return new ValidationError(`the ${format} file names no currency`, [
    { field: 'currency', problem: 'the file does not say which currency its amounts are in; pass it as ?currency= (ISO 4217, e.g. USD)' },
  ]);
}

/** Checks the `?currency=` option, so a typo is a 400 rather than rows stored in an unknown currency. */
export function checkOptions(options: SpendImportOptions): void {
  if (options.currency !== undefined && !isCurrency(options.currency)) {
    throw new ValidationError('the currency is not known', [{ field: 'currency', problem: `"${options.currency}" is not an ISO 4217 currency code` }]);
  }
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && !v.trim());

/**
 * Turns what a format read from one row into a record through the same checks `POST /v1/spend` applies,
 * taking the file's default currency where the row has none (and failing the file when there is none).
 */
export function rowOutcome(format: SpendFormat, row: number, fields: RowFields, options: SpendImportOptions): RowOutcome {
  if (blank(fields.date)) return { row, skip: 'the row has no date' };
  if (fields.amount === undefined || (typeof fields.amount === 'string' && !fields.amount.trim())) return { row, skip: 'the row has no cost' };
  const currency = blank(fields.currency) ? options.currency : fields.currency!.trim().toUpperCase();
  if (!currency) throw missingCurrency(format);
  const input: Record<string, unknown> = {
    date: fields.date,
    platform: fields.platform,
    amount: fields.amount instanceof Big ? decimalText(fields.amount) : fields.amount,
    currency,
  };
  for (const f of ['accountId', 'campaignId', 'campaignName', 'adGroupId', 'adId', 'clicks', 'impressions'] as const) {
    if (!blank(fields[f])) input[f] = typeof fields[f] === 'string' ? (fields[f] as string).trim() : fields[f];
  }
  const read = readSpendRow(input);
  if ('record' in read) return { row, record: read.record };
  return { row, skip: read.problems.map((p) => `${p.field === 'amount' ? 'cost' : p.field} ${p.problem}`).join('; ') };
}

/**
 * Gathers a file's row outcomes: rows of one key are added together, skipped rows keep their reasons.
 * `read` is the number of data rows (a range line of several days is one).
 */
export function collectOutcomes(outcomes: RowOutcome[], read: number = new Set(outcomes.map((o) => o.row)).size): ParsedSpend {
  const kept: Array<{ record: SpendRecord; row: number }> = [];
  const skipped: SkippedRow[] = [];
  for (const o of outcomes) {
    if ('record' in o) kept.push(o);
    else skipped.push({ row: o.row, reason: o.skip });
  }
  const merged = mergeSameKey(kept);
  return { read, records: merged.records, skipped: [...skipped, ...merged.skipped].sort((a, b) => a.row - b.row) };
}

/** Reads bytes as text: UTF-16 with a byte-order mark (Excel's "Unicode text" exports), else UTF-8; the BOM is dropped. */
export function decodeSpendFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** An amount in micros (int64 as a string or number) as an exact decimal: "1234560000" → 1234.56. */
export function fromMicros(micros: string | number | undefined): Big | undefined {
  if (micros === undefined || micros === null || micros === '') return undefined;
  const text = String(micros).trim();
  if (!/^-?\d+$/.test(text)) return undefined;
  return new Big(text).div(1_000_000);
}
