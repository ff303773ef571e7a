import type { SegmentGroup } from '../domain/segment-report.js';
import { keys } from './keys.js';
import { deleteAll, putAll, queryAll, type Table } from './table.js';

const SEGMENTS = 'segments';
const CURRENT = 'current';

export interface SegmentReport {
  segments: SegmentGroup[];
  acquisitionChannels: SegmentGroup[];
  builtAt?: string;
}

/** Replaces the built segment report: one row per segment and per acquisition channel. */
export async function saveSegmentReport(table: Table, report: SegmentReport, builtAt: string): Promise<void> {
  const existing = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.reportPartition(SEGMENTS, CURRENT) },
    ProjectionExpression: 'PK, SK',
  });
  const rows = [
    ...report.segments.map((g) => ({ ...keys.reportRow(SEGMENTS, CURRENT, `segment#${g.name}`), group: 'segment', ...g })),
    ...report.acquisitionChannels.map((g) => ({ ...keys.reportRow(SEGMENTS, CURRENT, `channel#${g.name}`), group: 'channel', ...g })),
  ].map((row) => ({ ...row, entity: 'segment-report-row', version: 1, builtAt }));
  const fresh = new Set(rows.map((r) => r.SK));
  await putAll(table, rows);
  await deleteAll(table, existing.filter((i) => !fresh.has(i.SK)).map((i) => ({ PK: i.PK, SK: i.SK })));
}

/** The built segment report (one query). */
export async function readSegmentReport(table: Table): Promise<SegmentReport> {
  const items = await queryAll(table, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.reportPartition(SEGMENTS, CURRENT) } });
  // Fields in the order the report defines them, not the order DynamoDB returns a map's attributes in.
  const strip = (g: Record<string, any>): SegmentGroup => ({
    name: g.name, customers: g.customers, purchases: g.purchases, refunds: g.refunds, revenue: g.revenue, averageClv: g.averageClv,
    averageCheck: g.averageCheck, averageDaysBetweenPurchases: g.averageDaysBetweenPurchases, averageLifetimeDays: g.averageLifetimeDays,
  });
  return {
    segments: items.filter((i) => i.group === 'segment').map(strip),
    acquisitionChannels: items.filter((i) => i.group === 'channel').map(strip),
    ...(items[0] ? { builtAt: items[0].builtAt as string } : {}),
  };
}
