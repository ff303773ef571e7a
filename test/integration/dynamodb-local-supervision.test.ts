import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocalLostError, type RunningDynamo } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/ports.js';
import { dynamoDbLocalPids, eventually, removeDataDir } from '../support/platform-process.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 30_000);

/** A supervised DynamoDB Local in a fresh data directory, recording what the supervisor reports. */
async function supervised(policy: { maxRestarts: number; windowMs: number; baseDelayMs: number; maxDelayMs: number }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadflow-supervise-'));
  const port = await freePort();
  const restarts: string[] = [];
  const lost: DynamoDbLocalLostError[] = [];
  const dynamo = await startDynamoDbLocal({
    dataDir,
    port,
    supervise: { policy, onRestart: (line) => restarts.push(line), onGiveUp: (error) => lost.push(error) },
  });
  cleanups.push(async () => {
    await dynamo.stop();
    removeDataDir(dataDir);
  });
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  cleanups.push(() => client.destroy());
  return { dataDir, port, dynamo, client, restarts, lost };
}

function kill9(dynamo: RunningDynamo): number {
  const pid = dynamo.pid;
  expect(pid).toBeTypeOf('number');
  process.kill(pid!, 'SIGKILL');
  return pid!;
}

/** Takes the port as soon as the killed jar has let go of it, so the restart cannot bind it. */
async function occupy(port: number): Promise<Server> {
  return eventually(
    () =>
      new Promise<Server | undefined>((resolve) => {
        // It hangs up on every connection, as a port taken by something else would answer.
        const server = createServer((socket) => socket.destroy());
        server.once('error', () => resolve(undefined));
        server.listen(port, () => resolve(server));
      }),
    (server) => server !== undefined,
    5000,
  ) as Promise<Server>;
}

describe('DynamoDB Local under supervision', () => {
  it('restarts a jar killed with SIGKILL on the same endpoint, with its data, and says so in one line', async () => {
    const { dataDir, dynamo, client, restarts, lost } = await supervised({ maxRestarts: 2, windowMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000 });
    await ensureTable(dynamo.endpoint, 'leadflow');
    await client.send(new PutCommand({ TableName: 'leadflow', Item: { PK: 'probe', SK: 'probe', kept: true } }));

    const killed = kill9(dynamo);
    await eventually(async () => restarts.length, (n) => n === 1, 60_000);
    await dynamo.serving();

    expect(restarts[0]).toMatch(/^DynamoDB Local exited \(signal SIGKILL\); restarted in \d+\.\d s$/);
    expect(dynamo.pid).not.toBe(killed);
    expect(dynamoDbLocalPids(dataDir)).toEqual([dynamo.pid]);
    const read = await client.send(new GetCommand({ TableName: 'leadflow', Key: { PK: 'probe', SK: 'probe' } }));
    expect(read.Item).toMatchObject({ kept: true });
    expect(lost).toEqual([]);
  }, 90_000);

  it('gives up in one line, and stops serving, when a restart cannot start and the restarts are used up', async () => {
    const { dataDir, port, dynamo, restarts, lost } = await supervised({ maxRestarts: 2, windowMs: 60_000, baseDelayMs: 1000, maxDelayMs: 1000 });
    kill9(dynamo);
    await eventually(async () => restarts.length, (n) => n === 1, 60_000);

    // Something else takes the port while DynamoDB Local is down: the restart cannot bind it and fails.
    kill9(dynamo);
    const squatter = await occupy(port);
    cleanups.push(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
    await eventually(async () => lost.length, (n) => n === 1, 60_000);

    expect(lost[0]!.message.split('\n')).toHaveLength(1);
    expect(lost[0]!.message).toMatch(
      /^DynamoDB Local exited 3 times within 1 minute \(a restart failed: it exited with code 1; it printed ".*Failed to bind to .*"\) and is not restarted again$/,
    );
    await expect(dynamo.serving()).rejects.toThrow('is not restarted again');
    expect(dynamo.pid).toBeUndefined();
    expect(restarts).toHaveLength(1);
    expect(dynamoDbLocalPids(dataDir)).toEqual([]);
  }, 90_000);

  it('does not restart a jar stopped on purpose', async () => {
    const { dataDir, dynamo, restarts, lost } = await supervised({ maxRestarts: 2, windowMs: 60_000, baseDelayMs: 50, maxDelayMs: 50 });
    await dynamo.stop();
    await new Promise((r) => setTimeout(r, 1000));
    expect(dynamoDbLocalPids(dataDir)).toEqual([]);
    expect(restarts).toEqual([]);
    expect(lost).toEqual([]);
  });
});
