import { mkdtempSync } from 'node:fs';
import { MARSHALL_OPTIONS } from '../../shared/store/marshall-options.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ensureTable, startDynamoDbLocal, type RunningDynamo } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/ports.js';
import { startSqsServer, type RunningSqs } from '../../infra/local/sqs-server.js';
import type { Table } from '../../shared/store/table.js';
import { tableStream, type TableStream } from './announcements.js';
import { removeDataDir } from './platform-process.js';

const credentials = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/**
 * DynamoDB Local with a fresh leadflow table, for integration tests of the store, and the table's
 * stream, which tells what its writes announced.
 */
export async function startTestTable(): Promise<{ table: Table; dynamo: RunningDynamo; stream: TableStream; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadflow-it-'));
  const dynamo = await startDynamoDbLocal({ dataDir, port: await freePort() });
  const { streamArn } = await ensureTable(dynamo.endpoint, 'leadflow');
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...credentials, endpoint: dynamo.endpoint }), {
    marshallOptions: MARSHALL_OPTIONS,
  });
  return {
    table: { client, name: 'leadflow' },
    dynamo,
    stream: tableStream(dynamo.endpoint, streamArn),
    async stop() {
      client.destroy();
      await dynamo.stop();
      removeDataDir(dataDir);
    },
  };
}

/** The local SQS server with the topology's queues, and a client for it. */
export async function startTestQueues(): Promise<{ server: RunningSqs; sqs: SQSClient; stop(): Promise<void> }> {
  const server = await startSqsServer(await freePort());
  const sqs = new SQSClient({ ...credentials, endpoint: server.endpoint });
  return {
    server,
    sqs,
    async stop() {
      sqs.destroy();
      await server.stop();
    },
  };
}
