import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SegmentRule } from '../domain/segments.js';
import { DEFAULT_VALUE_SETTINGS, type ValueSettings } from '../domain/value-settings.js';
import type { AuditEntry } from './audit-store.js';
import { writeAudited } from './audited-write.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

/** The value settings as stored, with who saved them when; the defaults until an admin saves any. */
export interface StoredValueSettings extends ValueSettings {
  updatedAt?: string;
  updatedBy?: string;
}

/** The current segment rules and attribution settings (strongly consistent: a save applies at once). */
export async function readValueSettings(table: Table): Promise<StoredValueSettings> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.valueSettings(), ConsistentRead: true }));
  if (!out.Item) return DEFAULT_VALUE_SETTINGS;
  // Fields in a fixed order, as they were written, not the order DynamoDB returns a map's attributes in.
  const rules = (out.Item.segments.rules as SegmentRule[]).map(({ segment, kind, ...rest }) => ({ segment, kind, ...rest }) as SegmentRule);
  const { lookbackDays, halfLifeDays } = out.Item.attribution;
  return { segments: { rules }, attribution: { lookbackDays, halfLifeDays }, updatedAt: out.Item.updatedAt, updatedBy: out.Item.updatedBy };
}

/** Replaces the value settings, audited in the same transaction. */
export async function saveValueSettings(table: Table, settings: ValueSettings, by: { actor: string; at: string }): Promise<StoredValueSettings> {
  const stored = { ...settings, updatedAt: by.at, updatedBy: by.actor };
  const entry: AuditEntry = { actor: by.actor, action: 'value-settings.save', target: 'value-settings', detail: { ...settings }, at: by.at };
  await writeAudited(table, [{ Put: { TableName: table.name, Item: { ...keys.valueSettings(), entity: 'value-settings', version: 1, ...stored } } }], entry);
  return stored;
}
