import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CallRecord } from '../domain/call-correlation.js';
import { keys } from './keys.js';
import { withoutKeys, writeIf, type Table } from './table.js';

/** What a call was taken to mean, once acted on (so a repeated or later event does not act twice). */
export interface CallOutcome {
  kind: 'new-lead' | 'touchpoint' | 'contacted';
  leadId?: string;
  contactId?: string;
  at: string;
}

/** A call's merged record, its revision (for optimistic updates) and what was done about it. */
export interface StoredCall {
  record: CallRecord;
  rev: number;
  outcome?: CallOutcome;
  sourceId: string;
}

export async function getCall(table: Table, provider: string, callId: string): Promise<StoredCall | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.call(provider, callId), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as unknown as StoredCall) : undefined;
}

/**
 * Writes a call's record if nobody wrote it since it was read (revision `rev - 1`); false when someone
 * did, and the caller merges again from what is stored now. Calls are kept 90 days.
 */
export async function putCall(table: Table, call: StoredCall): Promise<boolean> {
  const { provider, callId } = call.record;
  return writeIf(
    table,
    new PutCommand({
      TableName: table.name,
      Item: { ...keys.call(provider, callId), ...call, expiresAt: Math.floor(Date.now() / 1000) + 90 * 86_400 },
      ConditionExpression: call.rev === 1 ? 'attribute_not_exists(PK)' : 'rev = :prev',
      ...(call.rev === 1 ? {} : { ExpressionAttributeValues: { ':prev': call.rev - 1 } }),
    }),
  );
}
