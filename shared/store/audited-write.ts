import { randomUUID } from 'node:crypto';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from './audit-store.js';
import { keys } from './keys.js';
import { cancellationCodes, withConflictRetry, type Table } from './table.js';

/** One item a change writes (or deletes), as a TransactWriteItems element. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The audit entry of a change as a transaction element: written with the change or not at all. */
export function auditItem(table: Table, entry: AuditEntry): TransactItem {
  return { Put: { TableName: table.name, Item: { ...keys.auditEntry(entry.at, randomUUID()), ...entry } } };
}

/**
 * Writes an admin change and its audit entry in one TransactWriteItems, so a change is never saved
 * without its entry (nor an entry written for a change that failed). Answers false when a condition of
 * one of the change's items did not hold (the id is taken, the record moved on); other failures throw.
 */
export async function writeAudited(table: Table, items: TransactItem[], entry: AuditEntry): Promise<boolean> {
  try {
    await withConflictRetry(() => table.client.send(new TransactWriteCommand({ TransactItems: [...items, auditItem(table, entry)] })));
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) return false;
    throw error;
  }
}
