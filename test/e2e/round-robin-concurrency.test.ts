import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey } from '../../infra/local/seed.js';
import { putApiKey, putRep, putSource, putTeam } from '../../shared/store/directory-store.js';
import { apiClient, eventually, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

const REPS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
const LEADS = 1_000;
// 1,000 over 7 reps: 142 each and 6 left over, so six reps get 143.
const SHARES = [Math.floor(LEADS / 7), Math.ceil(LEADS / 7)];

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let sourceKey: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  const table = platform.table();
  await putTeam(table, { teamId: 'seven', name: 'Seven reps', strategy: 'round_robin' });
  for (const repId of REPS) {
    await putRep(table, {
      repId,
      teamId: 'seven',
      name: `Rep ${repId}`,
      active: true,
      webhookUrl: `${platform.apiUrl}/_demo/reps/${repId}/notifications`,
    });
  }
  await putSource(table, { sourceId: 'seven-form', name: 'Seven form', provider: 'html_form', teamId: 'seven', enabled: true });
  sourceKey = newKey('lf_src');
  await putApiKey(table, sourceKey, { kind: 'source', sourceId: 'seven-form' });
});

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

describe('round robin under concurrency', () => {
  it(`gives ${LEADS} leads posted at once to 7 reps ${SHARES[0]} or ${SHARES[1]} each, assigns none twice and loses none`, async () => {
    const posted = await Promise.all(
      Array.from({ length: LEADS }, (_, i) =>
        call('POST', '/v1/leads', { key: sourceKey, json: { name: `Lead ${i}`, email: `burst-${i}@example.org` } }),
      ),
    );
    expect(posted.map((p) => p.status)).toEqual(Array(LEADS).fill(202));
    const leadIds = new Set(posted.map((p) => p.body.leadId as string));
    expect(leadIds.size).toBe(LEADS);

    const notifications = await eventually(
      async () => (await call('GET', '/_demo/notifications', { key: platform.credentials.adminToken })).body as Array<{ repId: string; payload: { leadId: string } }>,
      (all) => all.filter((n) => leadIds.has(n.payload.leadId)).length >= LEADS,
      420_000,
    );
    const mine = notifications.filter((n) => leadIds.has(n.payload.leadId));
    // Exactly one notification per lead: none notified twice, none lost.
    expect(new Set(mine.map((n) => n.payload.leadId)).size).toBe(LEADS);
    expect(mine).toHaveLength(LEADS);

    const perRep = new Map<string, number>();
    for (const n of mine) perRep.set(n.repId, (perRep.get(n.repId) ?? 0) + 1);
    expect([...perRep.keys()].sort()).toEqual(REPS);
    for (const count of perRep.values()) expect(SHARES).toContain(count);

    // Each lead's stored owner is the rep that was notified, and its timeline has one assignment.
    const sample = [...leadIds].slice(0, 25);
    for (const leadId of sample) {
      const lead = (await call('GET', `/v1/leads/${leadId}`, { key: platform.credentials.adminToken })).body;
      expect(lead.ownerId).toBe(mine.find((n) => n.payload.leadId === leadId)!.repId);
      expect(lead.timeline.filter((e: { type: string }) => e.type === 'Lead Assigned')).toHaveLength(1);
      // The trace says why: every rep was eligible, and the winner was first in the rotation order.
      expect(lead.routingTrace.candidates.filter((c: { eligible: boolean }) => c.eligible)).toHaveLength(7);
      expect(lead.routingTrace.order[0]).toBe(lead.ownerId);
    }
  }, 600_000);
});
