import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { daysBetween } from '../domain/days.js';
import { compact, sameFigures, type SpendRecord } from '../domain/spend.js';
import { keys } from './keys.js';
import { getAll, queryAll, writeIf, type Table } from './table.js';

/** An earlier figure of a day, kept when a re-sent figure replaced it (platforms revise recent days). */
export interface SpendCorrection {
  amount: string;
  currency: string;
  clicks?: number;
  impressions?: number;
  replacedAt: string;
}

/** A stored spend item as readers see it: the record, when it last changed, and its earlier figures. */
export type StoredSpend = SpendRecord & { updatedAt: string; corrections: SpendCorrection[] };

/** What saving a batch of records did. */
export interface SpendSaveResult {
  inserted: number;
  replaced: number;
  unchanged: number;
}

/**
 * Corrections kept per item, newest last. Platforms revise a day for about a week, daily pulls re-send
 * it seven times: 50 keeps every real revision while an item stays far under DynamoDB's 400 KB.
 */
export const MAX_CORRECTIONS = 50;
/** BatchGetItem reads at most 100 keys. */
const READ_CHUNK = 100;
/** Conditional puts in flight at once, per save. */
const WRITES_IN_FLIGHT = 10;
/** Tries of one record when another writer changes its item between our read and our write. */
const WRITE_ATTEMPTS = 5;

const RECORD_FIELDS = ['day', 'platform', 'accountId', 'campaignId', 'campaignName', 'adGroupId', 'adId', 'amount', 'currency', 'clicks', 'impressions'] as const;

function keyOf(r: SpendRecord): { PK: string; SK: string } {
  return keys.spend(r.day, r.platform, r.accountId, r.campaignId, r.adGroupId, r.adId);
}

function recordOf(item: Record<string, any>): SpendRecord {
  return compact(Object.fromEntries(RECORD_FIELDS.map((f) => [f, item[f]])) as unknown as SpendRecord);
}

type Outcome = keyof SpendSaveResult;

function correctionOf(item: Record<string, any>, replacedAt: string): SpendCorrection {
  const correction: SpendCorrection = { amount: item.amount, currency: item.currency, replacedAt };
  if (item.clicks !== undefined) correction.clicks = item.clicks;
  if (item.impressions !== undefined) correction.impressions = item.impressions;
  return correction;
}

/**
 * Writes one record against the item read for it: a new key is inserted, equal figures change nothing
 * (a name the platform renamed is still taken), different figures replace the stored ones and push them
 * onto `corrections`. Each write is conditional on the item being as read; a lost race reads again.
 */
async function saveOne(table: Table, record: SpendRecord, found: Record<string, any> | undefined, now: string): Promise<Outcome> {
  const key = keyOf(record);
  let current = found;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    if (current && sameFigures(recordOf(current), record) && (!record.campaignName || record.campaignName === current.campaignName)) {
      return 'unchanged';
    }
    const figuresChanged = current ? !sameFigures(recordOf(current), record) : false;
    const corrections: SpendCorrection[] = [...((current?.corrections as SpendCorrection[] | undefined) ?? [])];
    if (current && figuresChanged) corrections.push(correctionOf(current, now));
    const item = {
      ...key,
      entity: 'spend',
      ...(current && !figuresChanged ? { campaignName: current.campaignName } : {}),
      ...record,
      updatedAt: current && !figuresChanged ? current.updatedAt : now,
      corrections: corrections.slice(-MAX_CORRECTIONS),
    };
    const written = await writeIf(
      table,
      new PutCommand({
        TableName: table.name,
        Item: item,
        ...(current
          ? { ConditionExpression: 'updatedAt = :seen AND amount = :amount', ExpressionAttributeValues: { ':seen': current.updatedAt, ':amount': current.amount } }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      }),
    );
    if (written) return !current ? 'inserted' : figuresChanged ? 'replaced' : 'unchanged';
    current = (await getAll(table, [key]))[0];
  }
  throw new Error(`spend ${key.SK} kept changing under ${WRITE_ATTEMPTS} attempts to save it`);
}

/**
 * Saves spend records, one item per key (the records' keys must be distinct: merge them first). Reads
 * the stored items 100 at a time, then writes only what is new or changed.
 */
export async function saveSpend(table: Table, records: SpendRecord[], now: Date = new Date()): Promise<SpendSaveResult> {
  const result: SpendSaveResult = { inserted: 0, replaced: 0, unchanged: 0 };
  const at = now.toISOString();
  for (let i = 0; i < records.length; i += READ_CHUNK) {
    const chunk = records.slice(i, i + READ_CHUNK);
    const stored = new Map((await getAll(table, chunk.map(keyOf))).map((item) => [`${item.PK}\u0000${item.SK}`, item]));
    let next = 0;
    const worker = async () => {
      while (next < chunk.length) {
        const record = chunk[next++]!;
        const key = keyOf(record);
        result[await saveOne(table, record, stored.get(`${key.PK}\u0000${key.SK}`), at)]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITES_IN_FLIGHT, chunk.length) }, worker));
  }
  return result;
}

function monthsBetween(fromDay: string, toDay: string): string[] {
  return [...new Set(daysBetween(fromDay, toDay).map((d) => d.slice(0, 7)))];
}

/** Every spend record from `fromDay` to `toDay` (both included, YYYY-MM-DD), one query per month. */
export async function readSpend(table: Table, fromDay: string, toDay: string): Promise<SpendRecord[]> {
  return (await readStoredSpend(table, fromDay, toDay)).map(recordOf);
}

/** Like `readSpend`, with each item's `updatedAt` and correction history. */
export async function readStoredSpend(table: Table, fromDay: string, toDay: string): Promise<StoredSpend[]> {
  const pages = await Promise.all(
    monthsBetween(fromDay, toDay).map((month) =>
      queryAll(table, {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.spendPartition(month), ':from': fromDay, ':to': `${toDay}~` },
      }),
    ),
  );
  return pages.flat().map((item) => ({ ...recordOf(item), updatedAt: item.updatedAt, corrections: item.corrections ?? [] }));
}
