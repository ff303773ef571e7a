import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AttributionRow } from '../domain/attribution-report.js';
import { keys } from './keys.js';
import { deleteAll, getAll, putAll, queryAll, type Table } from './table.js';

const ATTRIBUTION = 'attribution';

/** The leads that reached a funnel step (`leads`, `qualified`) among those captured on a day. */
export async function leadIdsAtStage(table: Table, day: string, stage: 'leads' | 'qualified'): Promise<string[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :stage)',
    ExpressionAttributeValues: { ':pk': keys.funnelPartition(day), ':stage': `${stage}#` },
    ProjectionExpression: 'SK',
  });
  return items.map((i) => String(i.SK).slice(stage.length + 1));
}

/** Stored leads by id (100 per BatchGetItem), with their timelines; missing ones are left out. */
export async function leadsByIds(table: Table, leadIds: readonly string[]): Promise<Array<Record<string, any>>> {
  const found: Array<Record<string, any>> = [];
  const unique = [...new Set(leadIds)];
  for (let i = 0; i < unique.length; i += 100) found.push(...(await getAll(table, unique.slice(i, i + 100).map((id) => keys.lead(id)))));
  return found;
}

/** A contact's touchpoints, oldest first, each with its sort key as `touchId`. */
export async function touchpointsOf(table: Table, contactId: string): Promise<Array<Record<string, any>>> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.contactPartition(contactId), ':prefix': keys.touchpointPrefix },
  });
  return items.map(({ PK: _pk, SK, ...touch }) => ({ ...touch, touchId: SK as string }));
}

const rowKey = (row: Pick<AttributionRow, 'model' | 'channel' | 'campaign'>) => `${row.model}#${row.channel}#${row.campaign}`;

/** Replaces a day's attribution rows: rows the new build no longer has are deleted. */
export async function saveAttributionDay(table: Table, day: string, rows: readonly AttributionRow[], builtAt: string): Promise<void> {
  const existing = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.reportPartition(ATTRIBUTION, day) },
    ProjectionExpression: 'PK, SK',
  });
  const fresh = new Set(rows.map(rowKey));
  await putAll(table, rows.map((row) => ({ ...keys.reportRow(ATTRIBUTION, day, rowKey(row)), entity: 'attribution-row', version: 1, day, ...row, builtAt })));
  await deleteAll(table, existing.filter((i) => !fresh.has(i.SK)).map((i) => ({ PK: i.PK, SK: i.SK })));
}

/** The built attribution rows of the given days, with the day and build time of each; one query per day. */
export async function readAttributionRows(table: Table, days: readonly string[]): Promise<Array<AttributionRow & { day: string; builtAt: string }>> {
  const pages = await Promise.all(
    days.map((day) => queryAll(table, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.reportPartition(ATTRIBUTION, day) } })),
  );
  return pages.flat().map(({ PK: _pk, SK: _sk, entity: _e, version: _v, ...row }) => row as AttributionRow & { day: string; builtAt: string });
}

/** The last UTC day the report was built in full, if ever. */
export async function lastFullBuild(table: Table): Promise<string | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.attributionBuildState(), ConsistentRead: true }));
  return out.Item?.day as string | undefined;
}

/** Records that the report was built in full on a day. */
export async function recordFullBuild(table: Table, day: string, at: string): Promise<void> {
  await table.client.send(new PutCommand({ TableName: table.name, Item: { ...keys.attributionBuildState(), entity: 'attribution-build', version: 1, day, at } }));
}
