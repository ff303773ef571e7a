import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../domain/errors.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

/** One admin change: who made it, when, what it did to what. */
export interface AuditEntry {
  /** The principal's name (an admin token's name, or `rep:<id>` for a rep acting on themselves). */
  actor: string;
  /** What was done, as `<thing>.<verb>`: `config.draft`, `config.activate`, `rep.update`, ... */
  action: string;
  /** What it was done to: `routing/v3`, `rep/ana`, `team/sales`. */
  target: string;
  /** The change itself, small enough to read in a list (a diff or the new values). */
  detail?: Record<string, unknown>;
  /** ISO 8601. */
  at: string;
}

/** A page of the audit log and the cursor of the next one, if any. */
export interface AuditPage {
  entries: AuditEntry[];
  next?: string;
}

/** Records an admin change. Entries are never updated: the log says what happened, in order. */
export async function recordAudit(table: Table, entry: AuditEntry): Promise<void> {
  await table.client.send(
    new PutCommand({ TableName: table.name, Item: { ...keys.auditEntry(entry.at, randomUUID()), ...entry } }),
  );
}

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key.PK === keys.auditPartition() && typeof key.SK === 'string' && key.SK.length <= 200) return { PK: key.PK, SK: key.SK };
  } catch {
    // falls through to the error below
  }
  throw new ValidationError('the audit cursor is not one this API gave out', [{ field: 'cursor', problem: 'is not a valid cursor' }]);
}

/** The audit log, newest first, `limit` entries a page; pass the previous page's `next` to go on. */
export async function listAudit(table: Table, options: { limit?: number; cursor?: string } = {}): Promise<AuditPage> {
  const out = await table.client.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.auditPartition() },
      ScanIndexForward: false,
      Limit: options.limit ?? 50,
      ExclusiveStartKey: options.cursor ? decodeCursor(options.cursor) : undefined,
    }),
  );
  const entries = (out.Items ?? []).map(({ actor, action, target, detail, at }) => ({ actor, action, target, detail, at }) as AuditEntry);
  const last = out.LastEvaluatedKey;
  return {
    entries,
    ...(last ? { next: Buffer.from(JSON.stringify({ PK: last.PK, SK: last.SK }), 'utf8').toString('base64url') } : {}),
  };
}
