import { GetCommand, PutCommand, DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LastPull, SpendConnection } from '../domain/spend-connection.js';
import { keys } from './keys.js';
import { queryAll, withoutKeys, type Table } from './table.js';

/** One spend connection, strongly consistent. */
export async function getSpendConnection(table: Table, connectionId: string): Promise<SpendConnection | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.spendConnection(connectionId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { entity: _e, ...connection } = withoutKeys(out.Item);
  return connection as SpendConnection;
}

/** Every spend connection, by id. */
export async function listSpendConnections(table: Table): Promise<SpendConnection[]> {
  const items = await queryAll(table, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.spendConnectionsPartition() } });
  return items.map((item) => {
    const { entity: _e, ...connection } = withoutKeys(item);
    return connection as SpendConnection;
  });
}

export async function putSpendConnection(table: Table, connection: SpendConnection): Promise<void> {
  await table.client.send(new PutCommand({ TableName: table.name, Item: { ...keys.spendConnection(connection.connectionId), entity: 'spend_connection', ...connection } }));
}

export async function deleteSpendConnection(table: Table, connectionId: string): Promise<void> {
  await table.client.send(new DeleteCommand({ TableName: table.name, Key: keys.spendConnection(connectionId) }));
}

/** Records how a connection's pull went, if the connection still exists. */
export async function recordLastPull(table: Table, connectionId: string, lastPull: LastPull): Promise<void> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.spendConnection(connectionId),
        UpdateExpression: 'SET lastPull = :p',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':p': lastPull },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}
