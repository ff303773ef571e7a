import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freePort } from '../../infra/local/ports.js';
import type { LocalCredentials } from '../../infra/local/seed.js';
import type { Table } from '../../shared/store/table.js';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** The local platform running as `npm start` runs it: its own process, its own port and data directory. */
export interface RunningPlatform {
  apiUrl: string;
  credentials: LocalCredentials;
  dataDir: string;
  output: () => string;
  /** The platform's table, for tests that arrange data the API does not create yet. */
  table(): Table;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends `signal` to the platform's whole process group (DynamoDB Local included) and waits for it to exit. */
  killGroup(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `infra/local/start.ts` (what `npm start` runs) and waits until it prints that it is running. */
export async function startPlatformProcess(options: { dataDir?: string; port?: number; ownProcessGroup?: boolean } = {}): Promise<RunningPlatform> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'leadflow-e2e-'));
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'infra/local/start.ts'), '--port', String(port), '--data-dir', dataDir],
    // In its own process group if asked, so a test can kill the platform and its DynamoDB Local at once,
    // as a crash would (killGroup); otherwise it stays in the test's group and dies with it.
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' }, detached: options.ownProcessGroup ?? false },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => {
      // Stop it, or it would run on (with its DynamoDB Local) after the test has given up on it.
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      fail(new Error(`the platform did not start within 240 s:\n${output}`));
    }, 240_000);
    const check = () => {
      if (output.includes('leadflow is running locally')) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`the platform exited with ${code} before it was running:\n${output}`));
    });
  });
  const credentials = JSON.parse(readFileSync(join(dataDir, 'local.json'), 'utf8')) as LocalCredentials;
  let documents: DynamoDBDocumentClient | undefined;
  return {
    apiUrl: credentials.apiUrl,
    credentials,
    dataDir,
    output: () => output,
    table() {
      documents ??= DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: credentials.endpoints.dynamodb,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
      );
      return { client: documents, name: 'leadflow' };
    },
    async stop() {
      documents?.destroy();
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
    async killGroup(signal) {
      documents?.destroy();
      try {
        if (options.ownProcessGroup) process.kill(-child.pid!, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
      await exited;
      // The group's other members (the JVM) die with the same signal; give the kernel a moment to reap them.
      await new Promise((r) => setTimeout(r, 500));
    },
  };
}

/**
 * The java processes serving DynamoDB Local on the files of `dataDir` (a platform's or a test's), found
 * through /proc by their command line, for tests that crash it on purpose. Linux only.
 */
export function dynamoDbLocalPids(dataDir: string): number[] {
  const dbPath = join(resolve(dataDir), 'dynamodb');
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.some((a) => a.endsWith('DynamoDBLocal.jar')) && args.includes(dbPath);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Removes a temporary data directory. */
export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** Polls `read` until `done` holds for its value, or fails after `timeoutMs` with the last value. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A small HTTP client for the platform's API. */
export function apiClient(apiUrl: string) {
  return async function call(
    method: string,
    path: string,
    options: { key?: string; json?: unknown; form?: Record<string, string>; body?: string; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: any; text: string; headers: Headers }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (options.contentType) headers['content-type'] = options.contentType;
    const response = await fetch(`${apiUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  };
}

/** A lead's timeline as GET /v1/leads/{id} shows it. */
export type Timeline = Array<{ type: string; at: string }>;

/**
 * Polls each lead (20 at a time, once a second) until it is notified or `deadline` passes; answers the
 * timelines of the notified ones and the ids still waiting, so a fault test can say which never arrived.
 */
export async function waitUntilNotified(
  call: ReturnType<typeof apiClient>,
  adminToken: string,
  leadIds: readonly string[],
  deadline: number,
): Promise<{ timelines: Map<string, Timeline>; waiting: string[] }> {
  const timelines = new Map<string, Timeline>();
  let waiting = [...leadIds];
  while (waiting.length && Date.now() < deadline) {
    const still: string[] = [];
    for (let i = 0; i < waiting.length; i += 20) {
      await Promise.all(
        waiting.slice(i, i + 20).map(async (leadId) => {
          const lead = await call('GET', `/v1/leads/${leadId}`, { key: adminToken });
          if (lead.status === 200 && lead.body.notifiedAt) timelines.set(leadId, lead.body.timeline);
          else still.push(leadId);
        }),
      );
    }
    waiting = still;
    if (waiting.length) await new Promise((r) => setTimeout(r, 1000));
  }
  return { timelines, waiting };
}

/** How many Lead Assigned and Rep Notified entries each lead's timeline has: 1 and 1 when it went once. */
export function assignedAndNotified(timelines: Map<string, Timeline>): Array<{ leadId: string; assigned: number; notified: number }> {
  return [...timelines].map(([leadId, timeline]) => ({
    leadId,
    assigned: timeline.filter((e) => e.type === 'Lead Assigned').length,
    notified: timeline.filter((e) => e.type === 'Rep Notified').length,
  }));
}
