import {
  BatchGetCommand,
  DeleteCommand,
  PutCommand,
  UpdateCommand,
  BatchWriteCommand,
  QueryCommand,
  type BatchGetCommandOutput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** The table a repository works on. */
export interface Table {
  client: DynamoDBDocumentClient;
  name: string;
}

/** Strips the key attributes from a stored item. */
export function withoutKeys<T extends Record<string, unknown>>(item: T): Omit<T, 'PK' | 'SK' | 'GSI1PK' | 'GSI1SK'> {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, ...rest } = item;
  return rest;
}

/** Whether a write was refused because its condition did not hold (as opposed to failing). */
export function isConditionFailure(error: unknown): boolean {
  return (error as Error)?.name === 'ConditionalCheckFailedException';
}

/**
 * Sends a conditional write: true when it was made, false when its condition did not hold (the change
 * was made already, or the item is not in the state it needs); any other failure is thrown.
 */
export async function writeIf(table: Table, command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
  try {
    // `send` is typed per command class; all three are single-item writes with the same outcome.
    await table.client.send(command as PutCommand);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The cancellation reason codes of a cancelled transaction, in item order; undefined for other errors. */
export function cancellationCodes(error: unknown): Array<string | undefined> | undefined {
  if (!(error instanceof TransactionCanceledException) && (error as Error)?.name !== 'TransactionCanceledException') {
    return undefined;
  }
  return ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code);
}

/**
 * Runs a transactional write, retrying when it lost a race to another transaction on the same items
 * (DynamoDB cancels both with TransactionConflict rather than queueing them).
 */
export async function withConflictRetry<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const codes = cancellationCodes(error);
      const conflicted = codes?.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
      if (!conflicted || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** Every item a query selects, following pagination to the end. */
export async function queryAll(
  table: Table,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await table.client.send(new QueryCommand({ ...input, TableName: table.name, ExclusiveStartKey }));
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

const BATCH_ATTEMPTS = 8;

/**
 * Sends a batch call again for whatever DynamoDB left unprocessed (it does so under throttling), with
 * exponential backoff, and gives up loudly after a bounded number of attempts.
 */
async function untilProcessed<R>(first: R | undefined, send: (requests: R) => Promise<R | undefined>, what: string): Promise<void> {
  let requests = first;
  for (let attempt = 1; requests && Object.keys(requests).length; attempt++) {
    if (attempt > BATCH_ATTEMPTS) throw new Error(`DynamoDB left ${what} unprocessed after ${BATCH_ATTEMPTS} attempts`);
    if (attempt > 1) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    requests = await send(requests);
  }
}

/** Puts every item, 25 per BatchWriteItem call (its limit); the items' keys must be distinct. */
export async function putAll(table: Table, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await untilProcessed<BatchWriteCommandOutput['UnprocessedItems']>(
      { [table.name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      async (RequestItems) => (await table.client.send(new BatchWriteCommand({ RequestItems }))).UnprocessedItems,
      'writes',
    );
  }
}

/** Deletes every item by key, 25 per BatchWriteItem call; the keys must be distinct. */
export async function deleteAll(table: Table, itemKeys: Array<{ PK: string; SK: string }>): Promise<void> {
  for (let i = 0; i < itemKeys.length; i += 25) {
    await untilProcessed<BatchWriteCommandOutput['UnprocessedItems']>(
      { [table.name]: itemKeys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) },
      async (RequestItems) => (await table.client.send(new BatchWriteCommand({ RequestItems }))).UnprocessedItems,
      'deletes',
    );
  }
}

/** Reads up to 100 items by key in BatchGetItem calls, strongly consistent; missing items are absent. */
export async function getAll(table: Table, itemKeys: Array<{ PK: string; SK: string }>): Promise<Record<string, any>[]> {
  const found: Record<string, any>[] = [];
  await untilProcessed<BatchGetCommandOutput['UnprocessedKeys']>(
    { [table.name]: { Keys: itemKeys, ConsistentRead: true } },
    async (RequestItems) => {
      const out = await table.client.send(new BatchGetCommand({ RequestItems }));
      found.push(...(out.Responses?.[table.name] ?? []));
      return out.UnprocessedKeys;
    },
    'reads',
  );
  return found;
}
