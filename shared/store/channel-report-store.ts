import { createHash } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ChannelDayRow } from '../domain/channel-report.js';
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

async function readDays<T>(table: Table, kind: string, days: string[]): Promise<T[]> {
  const pages: T[][] = new Array(days.length);
  let next = 0;
  const worker = async () => {
    while (next < days.length) {
      const i = next++;
      const items = await queryAll(table, {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.reportPartition(kind, days[i]!) },
      });
      pages[i] = items.map(({ PK: _pk, SK: _sk, builtAt: _b, ...row }) => row as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, days.length) }, worker));
  return pages.flat();
}

/** Stores a day's channel rows (one per campaign and source), replacing that day's earlier build. */
export async function saveChannelDay(table: Table, day: string, rows: ChannelDayRow[], builtAt: string): Promise<void> {
  await replaceDay(table, CHANNELS, day, rows.map((row) => ({ rowKey: `${row.campaignKey}#${row.sourceId ?? '-'}`, row })), builtAt);
}

/** The built channel rows of the given days: one query per day, however many leads those days had. */
export async function readChannelDays(table: Table, days: string[]): Promise<ChannelDayRow[]> {
  return readDays<ChannelDayRow>(table, CHANNELS, days);
}

/** Stores a day's rep rows, replacing that day's earlier build. */
export async function saveRepDay(table: Table, day: string, rows: RepDayRow[], builtAt: string): Promise<void> {
  await replaceDay(table, REPS, day, rows.map((row) => ({ rowKey: row.repId, row })), builtAt);
}

/** The built rep rows of the given days, one query per day. */
export async function readRepDays(table: Table, days: string[]): Promise<RepDayRow[]> {
  return readDays<RepDayRow>(table, REPS, days);
}
