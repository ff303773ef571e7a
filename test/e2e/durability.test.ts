import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, assignedAndNotified, removeDataDir, startPlatformProcess, waitUntilNotified, type RunningPlatform } from '../support/platform-process.js';

/**
 * What a crash does to leads already acknowledged: the platform (its Node process and its DynamoDB Local)
 * is killed with SIGKILL in the middle of a burst, then started again on the same data directory.
 * Every lead that was answered 2xx and whose capture the storage kept must reach a rep, exactly once. Bounded: the burst size comes
 * from LEADFLOW_FAULT_LEADS (default 300; the 500 with `LEADFLOW_FAULT_LEADS=500`).
 */
const LEADS = Number(process.env.LEADFLOW_FAULT_LEADS ?? 300);
const IN_FLIGHT = 10;

let platform: RunningPlatform | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await platform?.stop();
  if (dataDir) removeDataDir(dataDir);
});

async function burst(p: RunningPlatform, killAfter: number, onKill: () => Promise<void>): Promise<string[]> {
  const call = apiClient(p.apiUrl);
  const key = p.credentials.sources[0]!.key;
  const accepted: string[] = [];
  const run = Date.now().toString(36);
  let next = 0;
  let killing: Promise<void> | undefined;
  const worker = async () => {
    while (next < LEADS && !killing) {
      const n = next++;
      try {
        const answer = await call('POST', '/v1/leads', {
          key,
          // Distinct people, so no lead is merged into another.
          json: { name: `Crash ${n}`, email: `crash-${run}-${n}@example.org`, phone: `+1202555${String(n).padStart(4, '0')}` },
        });
        if (answer.status === 202) accepted.push(answer.body.leadId);
      } catch {
        // the connection died with the platform: not acknowledged, so not promised
      }
      if (accepted.length >= killAfter && !killing) killing = onKill();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await killing;
  return accepted;
}

describe('a crash of the local platform', () => {
  it('loses no lead answered 2xx: after kill -9 mid-burst and a restart, each reaches its rep exactly once', async () => {
    platform = await startPlatformProcess({ ownProcessGroup: true });
    dataDir = platform.dataDir;
    const first = platform;
    const accepted = await burst(first, Math.floor(LEADS / 2), () => first.killGroup('SIGKILL'));
    expect(accepted.length).toBeGreaterThanOrEqual(Math.floor(LEADS / 2));

    platform = await startPlatformProcess({ dataDir });
    const call = apiClient(platform.apiUrl);
    const admin = platform.credentials.adminToken;
    // DynamoDB Local itself can lose the last write it acknowledged when it is killed while its stream
    // is being read (reproduced without leadflow: 1 of 264 acknowledged TransactWriteItems gone after a
    // SIGKILL). Such a lead is not the pipeline's to lose: it is counted apart, and must stay rare.
    const storageLost: string[] = [];
    const archived: string[] = [];
    for (const leadId of new Set(accepted)) {
      const raw = await platform.table().client.send(new GetCommand({ TableName: 'leadflow', Key: { PK: `LEAD#${leadId}`, SK: 'RAW' }, ConsistentRead: true }));
      (raw.Item ? archived : storageLost).push(leadId);
    }
    expect(storageLost.length, `DynamoDB Local lost ${storageLost.length} acknowledged captures: ${storageLost.join(', ')}`).toBeLessThanOrEqual(2);
    const { timelines, waiting } = await waitUntilNotified(call, admin, archived, Date.now() + 120_000);
    const stuck = await Promise.all(
      waiting.slice(0, 5).map(async (leadId) => {
        const lead = await call('GET', `/v1/leads/${leadId}`, { key: admin });
        return { leadId, status: lead.status, state: lead.body?.status, timeline: lead.body?.timeline?.map((e: { type: string }) => e.type) };
      }),
    );
    expect(stuck, `${waiting.length} of ${archived.length} acknowledged, stored leads never reached a rep; the platform said:\n${platform.output().slice(-3000)}`).toEqual([]);
    for (const counts of assignedAndNotified(timelines)) expect(counts).toEqual({ ...counts, assigned: 1, notified: 1 });
  }, 400_000);
});
