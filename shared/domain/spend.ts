import Big from 'big.js';
import { isDay } from './days.js';
import type { FieldProblem } from './errors.js';
import { isCurrency } from './lead-status.js';
import { decimal, decimalText, isDecimal } from './money.js';

/**
 * What an ad platform charged for one day of one account, campaign, ad group or ad. The contract shared
 * with the reports and attribution: one stored item per platform, account, day, campaign, ad group and
 * ad; a figure sent again for the same key replaces the stored one and keeps it as a correction.
 */
export interface SpendRecord {
  /** YYYY-MM-DD, the day as the platform reports it (the account's time zone). */
  day: string;
  /** Lower snake: google_ads, meta, yandex_direct, yandex_metrica, vk_ads, tiktok, linkedin, other, ... */
  platform: string;
  accountId?: string;
  campaignId?: string;
  campaignName?: string;
  adGroupId?: string;
  adId?: string;
  /** A plain decimal string, never a float. */
  amount: string;
  /** ISO 4217. */
  currency: string;
  clicks?: number;
  impressions?: number;
}

/** A row of an import that was not stored, and why: the row number (file line or item) and a sentence. */
export interface SkippedRow {
  row: number;
  reason: string;
}

/** A spend file or request read into records, with what was left out. */
export interface ParsedSpend {
  /** Data rows read (title, header and total lines are not counted). */
  read: number;
  records: SpendRecord[];
  skipped: SkippedRow[];
}

const PLATFORM = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_ID = 200;
const MAX_NAME = 500;
const ROW_FIELDS = ['date', 'day', 'platform', 'accountId', 'campaignId', 'campaignName', 'adGroupId', 'adId', 'amount', 'currency', 'clicks', 'impressions'];

/** Whether a platform name is written as stored: lower snake, starting with a letter. */
export function isPlatform(value: string): boolean {
  return PLATFORM.test(value);
}

/**
 * A campaign name as leads and spend rows are matched on when a row has no campaign id: lowercase,
 * trimmed, inner whitespace collapsed to one space.
 */
export function normalizeCampaignName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The identity of a record: the parts of its sort key, in order. */
export function spendKeyParts(record: SpendRecord): [string, string, string, string, string, string] {
  return [record.day, record.platform, record.accountId ?? '', record.campaignId ?? '', record.adGroupId ?? '', record.adId ?? ''];
}

/** Whether two records of one key carry the same figures (amounts compared as decimals). */
export function sameFigures(
  a: Pick<SpendRecord, 'amount' | 'currency' | 'clicks' | 'impressions'>,
  b: Pick<SpendRecord, 'amount' | 'currency' | 'clicks' | 'impressions'>,
): boolean {
  return a.currency === b.currency && new Big(a.amount).eq(b.amount) && a.clicks === b.clicks && a.impressions === b.impressions;
}

function optionalId(input: Record<string, unknown>, field: string, problems: FieldProblem[]): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  // Platforms send ids as numbers or strings; ids past 2^53 only survive as strings.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string' || !value.trim()) {
    problems.push({ field, problem: 'must be a non-empty string' });
    return undefined;
  }
  if (value.length > MAX_ID) {
    problems.push({ field, problem: `must be at most ${MAX_ID} characters` });
    return undefined;
  }
  return value.trim();
}

function optionalCount(input: Record<string, unknown>, field: string, problems: FieldProblem[]): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    problems.push({ field, problem: 'must be a whole number of 0 or more' });
    return undefined;
  }
  return n;
}

/**
 * Reads one spend row as a client sends it to `POST /v1/spend` (`{date, platform, amount, currency, ...}`;
 * `day` is taken for `date`), naming every problem. An amount may be a decimal string or a JSON number
 * (read from its shortest form, so 0.1 stays 0.1); it may be zero (a day the platform revised to
 * nothing) but not negative.
 */
export function readSpendRow(body: unknown): { record: SpendRecord } | { problems: FieldProblem[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { problems: [{ field: '', problem: 'must be a JSON object' }] };
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(input)) {
    if (!ROW_FIELDS.includes(key)) problems.push({ field: key, problem: `is not a spend field; known: ${ROW_FIELDS.filter((f) => f !== 'day').join(', ')}` });
  }
  const day = input.date ?? input.day;
  if (typeof day !== 'string' || !isDay(day)) problems.push({ field: 'date', problem: 'must be a day written YYYY-MM-DD' });
  const platform = input.platform;
  if (typeof platform !== 'string' || !isPlatform(platform)) {
    problems.push({ field: 'platform', problem: 'must be lower snake case, e.g. google_ads, meta, yandex_direct, tiktok' });
  }
  let amount: string | undefined;
  const rawAmount = input.amount;
  if (typeof rawAmount === 'number' && Number.isFinite(rawAmount)) amount = decimalText(decimal(rawAmount));
  else if (typeof rawAmount === 'string' && isDecimal(rawAmount.trim())) amount = decimalText(decimal(rawAmount.trim()));
  if (amount === undefined) problems.push({ field: 'amount', problem: 'must be a decimal amount such as "12.50" (no thousands separators)' });
  else if (amount.startsWith('-')) problems.push({ field: 'amount', problem: 'must not be negative' });
  const currency = input.currency;
  if (typeof currency !== 'string' || !isCurrency(currency)) problems.push({ field: 'currency', problem: 'must be an ISO 4217 currency code such as USD' });
  const record: Partial<SpendRecord> = {
    accountId: optionalId(input, 'accountId', problems),
    campaignId: optionalId(input, 'campaignId', problems),
    adGroupId: optionalId(input, 'adGroupId', problems),
    adId: optionalId(input, 'adId', problems),
    clicks: optionalCount(input, 'clicks', problems),
    impressions: optionalCount(input, 'impressions', problems),
  };
  const name = input.campaignName;
  if (name !== undefined && name !== null && name !== '') {
    if (typeof name !== 'string' || !name.trim()) problems.push({ field: 'campaignName', problem: 'must be a non-empty string' });
    else if (name.length > MAX_NAME) problems.push({ field: 'campaignName', problem: `must be at most ${MAX_NAME} characters` });
    else record.campaignName = name.trim();
  }
  if (problems.length) return { problems };
  return { record: compact({ ...record, day: day as string, platform: platform as string, amount: amount!, currency: currency as string }) };
}

/** A record without its absent optional fields, so stored items and comparisons carry no `undefined`. */
export function compact(record: Partial<SpendRecord> & Pick<SpendRecord, 'day' | 'platform' | 'amount' | 'currency'>): SpendRecord {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as unknown as SpendRecord;
}

/**
 * Folds records of the same key into one, adding amounts, clicks and impressions: an export broken
 * down further than leadflow keys spend (by network, device, keyword) still stores the day's total.
 * Two rows of one key in different currencies cannot be added: the later is skipped, with its reason.
 */
export function mergeSameKey(rows: Array<{ record: SpendRecord; row: number }>): { records: SpendRecord[]; skipped: SkippedRow[] } {
  const byKey = new Map<string, SpendRecord>();
  const skipped: SkippedRow[] = [];
  for (const { record, row } of rows) {
    const key = spendKeyParts(record).join('\u0000');
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...record });
      continue;
    }
    if (!record.campaignId && record.campaignName && seen.campaignName && normalizeCampaignName(seen.campaignName) !== normalizeCampaignName(record.campaignName)) {
      // Without ids, two campaigns of one day share a key: adding them would file both under one name.
      skipped.push({ row, reason: `campaign "${record.campaignName}" has no campaign id, and "${seen.campaignName}" on the same day has none either: send campaignId to keep them apart` });
      continue;
    }
    if (seen.currency !== record.currency) {
      skipped.push({ row, reason: `the same day and campaign came earlier in ${seen.currency}; amounts in ${record.currency} cannot be added to it` });
      continue;
    }
    seen.amount = decimalText(new Big(seen.amount).plus(record.amount));
    if (record.clicks !== undefined) seen.clicks = (seen.clicks ?? 0) + record.clicks;
    if (record.impressions !== undefined) seen.impressions = (seen.impressions ?? 0) + record.impressions;
    seen.campaignName ??= record.campaignName;
  }
  return { records: [...byKey.values()], skipped };
}

/**
 * Reads the rows of a `POST /v1/spend` body (an array, or `{rows: [...]}`): valid rows become records,
 * invalid ones are skipped with their problems, so one bad row does not lose the others.
 */
export function readSpendRows(body: unknown): ParsedSpend & { problems: FieldProblem[] } {
  const rows = Array.isArray(body) ? body : (body as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) {
    return { read: 0, records: [], skipped: [], problems: [{ field: 'rows', problem: 'send a JSON array of spend rows, or {"rows": [...]}' }] };
  }
  const valid: Array<{ record: SpendRecord; row: number }> = [];
  const skipped: SkippedRow[] = [];
  const problems: FieldProblem[] = [];
  rows.forEach((input, index) => {
    const read = readSpendRow(input);
    if ('record' in read) {
      valid.push({ record: read.record, row: index + 1 });
      return;
    }
    skipped.push({ row: index + 1, reason: read.problems.map((p) => (p.field ? `${p.field} ${p.problem}` : p.problem)).join('; ') });
    for (const p of read.problems) problems.push({ field: `rows[${index}]${p.field ? `.${p.field}` : ''}`, problem: p.problem });
  });
  const merged = mergeSameKey(valid);
  return { read: rows.length, records: merged.records, skipped: [...skipped, ...merged.skipped], problems };
}
