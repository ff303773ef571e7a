import { createHash } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { FUNNEL_STEPS, type ChannelDayRow } from '../domain/channel-report.js';
import { RESPONSE_BANDS } from '../domain/funnel-stats.js';
import type { RepDayRow } from '../domain/rep-report.js';
import { keys } from './keys.js';
import { putAll, queryAll, type Table } from './table.js';

const CHANNELS = 'channels';
const REPS = 'reps';
/** Day partitions read at once: a year is 366 queries, which should not all be in flight together. */
const READ_CONCURRENCY = 16;

/** A sort key under DynamoDB's 1,024-byte limit: long campaign names are replaced by their hash. */
function boundedKey(key: string): string {
  return Buffer.byteLength(key) <= 800 ? key : `h#${createHash('sha256').update(key).digest('hex')}`;
}

/** Replaces a day's built rows of one report: rows of this build are put, rows an earlier build left and this one did not make are deleted. */
async function replaceDay(table: Table, kind: string, day: string, rows: Array<{ rowKey: string; row: object }>, builtAt: string): Promise<void> {
  const before = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.reportPartition(kind, day) },
    ProjectionExpression: 'PK, SK',
  });
  const items = rows.map(({ rowKey, row }) => ({ ...keys.reportRow(kind, day, boundedKey(rowKey)), ...row, builtAt }));
  await putAll(table, items);
  const kept = new Set(items.map((i) => i.SK));
  const stale = before.filter((i) => !kept.has(i.SK));
  for (let i = 0; i < stale.length; i += 25) {
    await table.client.send(
      new BatchWriteCommand({ RequestItems: { [table.name]: stale.slice(i, i + 25).map((k) => ({ DeleteRequest: { Key: { PK: k.PK, SK: k.SK } } })) } }),
    );
  }
}

async function readDays<T>(table: Table, kind: string, days: string[], withKey = false): Promise<T[]> {
  const pages: T[][] = new Array(days.length);
  let next = 0;
  const worker = async () => {
    while (next < days.length) {
      const i = next++;
      const items = await queryAll(table, {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.reportPartition(kind, days[i]!) },
      });
      pages[i] = items.map(({ PK: _pk, SK, builtAt: _b, ...row }) => (withKey ? { ...row, day: days[i], rowKey: SK } : row) as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, days.length) }, worker));
  return pages.flat();
}

/**
 * A channel row as stored: the response-time bands and drop counts as flat lists of numbers (in
 * `RESPONSE_BANDS` and `FUNNEL_STEPS` order) rather than nested maps, which a year's read would
 * otherwise unmarshal some fifty thousand times.
 */
function packRow(row: ChannelDayRow): Record<string, unknown> {
  const { bands, dropped, ...rest } = row;
  return { ...rest, bandCounts: RESPONSE_BANDS.flatMap((b) => [bands[b].leads, bands[b].won]), droppedCounts: FUNNEL_STEPS.map((s) => dropped[s].count) };
}

function unpackRow(item: Record<string, unknown>): ChannelDayRow {
  const { bandCounts = [], droppedCounts = [], ...rest } = item as Omit<ChannelDayRow, 'bands' | 'dropped'> & { bandCounts?: number[]; droppedCounts?: number[] };
  return {
    ...rest,
    bands: Object.fromEntries(RESPONSE_BANDS.map((b, i) => [b, { leads: bandCounts[2 * i] ?? 0, won: bandCounts[2 * i + 1] ?? 0 }])) as ChannelDayRow['bands'],
    dropped: Object.fromEntries(FUNNEL_STEPS.map((s, i) => [s, { count: droppedCounts[i] ?? 0, leadIds: [] as string[] }])) as ChannelDayRow['dropped'],
  };
}

/** The lead ids that dropped at each step live apart from the rows, read only when a report asks for them. */
const CHANNEL_DROPS = 'channel-drops';
const rowKeyOf = (row: ChannelDayRow) => `${row.campaignKey}#${row.sourceId ?? '-'}`;

/**
 * Stores a day's channel rows (one per campaign and source), replacing that day's earlier build. The
 * rows hold counts and sums only, so a year's read moves the same small items whatever the volume;
 * which leads dropped at a step is a second item per row, in its own partition.
 */
export async function saveChannelDay(table: Table, day: string, rows: ChannelDayRow[], builtAt: string): Promise<void> {
  const counted = rows.map((row) => ({ rowKey: rowKeyOf(row), row: packRow(row) }));
  const drops = rows
    .filter((row) => Object.values(row.dropped).some((d) => d.leadIds.length))
    .map((row) => ({ rowKey: rowKeyOf(row), row: { leadIds: Object.fromEntries(Object.entries(row.dropped).map(([step, d]) => [step, d.leadIds])) } }));
  await Promise.all([replaceDay(table, CHANNELS, day, counted, builtAt), replaceDay(table, CHANNEL_DROPS, day, drops, builtAt)]);
}

/**
 * The built channel rows of the given days: one query per day, however many leads those days had;
 * with `droppedLeads`, also the ids of leads that dropped at each step (one more query per day).
 */
export async function readChannelDays(table: Table, days: string[], options: { droppedLeads?: boolean } = {}): Promise<ChannelDayRow[]> {
  const rows = (await readDays<Record<string, unknown>>(table, CHANNELS, days)).map(unpackRow);
  if (!options.droppedLeads) return rows;
  const drops = new Map<string, Record<string, string[]>>();
  for (const d of await readDays<{ day?: string; rowKey: string; leadIds: Record<string, string[]> }>(table, CHANNEL_DROPS, days, true)) {
    drops.set(`${d.day}\u0000${d.rowKey}`, d.leadIds);
  }
  return rows.map((row) => {
    const ids = drops.get(`${row.day}\u0000${boundedKey(rowKeyOf(row))}`);
    if (!ids) return row;
    return { ...row, dropped: Object.fromEntries(Object.entries(row.dropped).map(([step, d]) => [step, { count: d.count, leadIds: ids[step] ?? [] }])) as ChannelDayRow['dropped'] };
  });
}

/** Stores a day's rep rows, replacing that day's earlier build. */
export async function saveRepDay(table: Table, day: string, rows: RepDayRow[], builtAt: string): Promise<void> {
  await replaceDay(table, REPS, day, rows.map((row) => ({ rowKey: row.repId, row })), builtAt);
}

/** The built rep rows of the given days, one query per day. */
export async function readRepDays(table: Table, days: string[]): Promise<RepDayRow[]> {
  return readDays<RepDayRow>(table, REPS, days);
}
