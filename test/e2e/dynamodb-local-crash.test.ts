import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  dynamoDbLocalPids,
  eventually,
  removeDataDir,
  startPlatformProcess,
  type RunningPlatform,
} from '../support/platform-process.js';

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let sourceKey: string;
let adminToken: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  sourceKey = platform.credentials.sources[0]!.key;
  adminToken = platform.credentials.adminToken;
});

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

let posted = 0;
/** Posts a lead nobody has sent before; the answer's status and, for a 2xx, its lead id. */
async function postLead(): Promise<{ status: number; leadId?: string }> {
  const n = ++posted;
  const answer = await call('POST', '/v1/leads', { key: sourceKey, json: { name: `Crash Test ${n}`, email: `crash-${n}-${Date.now()}@example.org` } });
  return { status: answer.status, leadId: answer.status < 300 ? answer.body.leadId : undefined };
}

/** The java process of the platform's DynamoDB Local, once there is exactly one. */
function javaPid(): Promise<number> {
  return eventually(async () => dynamoDbLocalPids(platform.dataDir), (pids) => pids.length === 1, 30_000).then((pids) => pids[0]!);
}

const restartLines = () => platform.output().split('\n').filter((l) => l.includes('DynamoDB Local exited ('));

describe('the local platform when DynamoDB Local is killed', () => {
  it('restarts it, loses no lead it answered 2xx for, and takes new leads to a rep again', async () => {
    const accepted: string[] = [];
    const statuses: number[] = [];
    const record = (answer: { status: number; leadId?: string }) => {
      statuses.push(answer.status);
      if (answer.leadId) accepted.push(answer.leadId);
    };
    for (let i = 0; i < 3; i++) record(await postLead());
    expect(statuses).toEqual([202, 202, 202]);

    // Two senders keep posting from before the kill until 10 s after it, so some requests are in flight when it dies.
    let killedAt = Infinity;
    const sender = async () => {
      while (Date.now() < killedAt + 10_000) {
        record(await postLead());
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const senders = [sender(), sender()];
    await new Promise((r) => setTimeout(r, 500));
    const killed = await javaPid();
    process.kill(killed, 'SIGKILL');
    killedAt = Date.now();
    await Promise.all(senders);

    expect(statuses.filter((s) => !(s === 202 || s >= 500))).toEqual([]);
    await eventually(async () => restartLines(), (lines) => lines.length === 1, 60_000);
    expect(restartLines()[0]).toMatch(/^\[leadflow\] DynamoDB Local exited \(signal SIGKILL\); restarted in \d+\.\d s$/);
    expect(await javaPid()).not.toBe(killed);

    // Every lead answered 2xx, before, during and after the outage, is stored and readable.
    const readable = await Promise.all(
      accepted.map((leadId) =>
        eventually(() => call('GET', `/v1/leads/${leadId}`, { key: adminToken }), (r) => r.status === 200, 60_000).then(
          () => true,
          () => false,
        ),
      ),
    );
    const lost = accepted.filter((_, i) => !readable[i]);
    const undelivered = platform.output().split('\n').filter((l) => l.includes('could not deliver'));
    expect({ lost, undelivered }).toEqual({ lost: [], undelivered: [] });
    expect(accepted.length).toBeGreaterThan(3);

    const after = await postLead();
    expect(after.status).toBe(202);
    const { body: lead } = await eventually(
      () => call('GET', `/v1/leads/${after.leadId}`, { key: adminToken }),
      (r) => r.status === 200 && Boolean(r.body.notifiedAt),
      30_000,
    );
    const notified = await call('GET', `/_demo/reps/${lead.ownerId}/notifications`, { key: adminToken });
    expect(notified.body.filter((n: { payload: { leadId: string } }) => n.payload.leadId === after.leadId)).toHaveLength(1);
  }, 180_000);

  it('stops with one line saying why, and npm start exits 1, when DynamoDB Local keeps dying', async () => {
    // Each new java process is killed as soon as it appears: every restart fails, until the policy gives up.
    const deadline = Date.now() + 90_000;
    const killed = new Set<number>();
    while (Date.now() < deadline && !platform.output().includes('so leadflow stopped')) {
      for (const pid of dynamoDbLocalPids(platform.dataDir)) {
        if (killed.has(pid)) continue;
        killed.add(pid);
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // It died on its own between the listing and the kill.
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // stop() sends Ctrl-C only to a platform still running; this one has stopped itself, so it reads its exit code.
    const exit = await platform.stop();
    const lines = platform.output().split('\n').filter((l) => l.includes('so leadflow stopped'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[leadflow\] DynamoDB Local exited 6 times within 2 minutes \(.+\) and is not restarted again, so leadflow stopped\. Its data is kept in .+; check free memory and disk space, then start it again \(npm start\)\.$/);
    expect(exit).toBe(1);
    expect(killed.size).toBeLessThanOrEqual(6);
    expect(dynamoDbLocalPids(platform.dataDir)).toEqual([]);
  }, 120_000);
});
