import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, assignedAndNotified, removeDataDir, startPlatformProcess, waitUntilNotified, type RunningPlatform } from '../support/platform-process.js';

/**
 * What an EventBridge outage does to leads in flight: the local bus refuses every publish for
 * LEADFLOW_FAULT_BUS_SECONDS (default 30, the figure) while leads keep arriving. Intake does
 * not publish, so each is still acknowledged; the relay's publishes fail and are retried from the
 * stream, and once the bus takes events again every lead reaches its rep, exactly once.
 */
const OUTAGE_SECONDS = Number(process.env.LEADFLOW_FAULT_BUS_SECONDS ?? 30);
const LEADS = 20;

let platform: RunningPlatform | undefined;

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

describe('an outage of the event bus', () => {
  it('keeps acknowledging leads while the bus refuses publishes, and routes every one of them once it is back', async () => {
    platform = await startPlatformProcess();
    const call = apiClient(platform.apiUrl);
    const key = platform.credentials.sources[0]!.key;
    const admin = platform.credentials.adminToken;

    const outage = await call('POST', '/_local/outages/bus', { json: { seconds: OUTAGE_SECONDS } });
    expect(outage.status).toBe(200);
    const outageEnds = Date.parse(outage.body.until);

    const run = Date.now().toString(36);
    const accepted: string[] = [];
    for (let n = 0; n < LEADS; n++) {
      const answer = await call('POST', '/v1/leads', { key, json: { name: `Outage ${n}`, email: `outage-${run}-${n}@example.org` } });
      expect(answer.status).toBe(202);
      accepted.push(answer.body.leadId);
    }

    // While the bus refuses, nothing is qualified, so no lead has gone further than its capture.
    if (Date.now() < outageEnds - 2_000) {
      const early = await call('GET', `/v1/leads/${accepted[0]}`, { key: admin });
      expect(early.body?.notifiedAt).toBeUndefined();
    }

    const { timelines, waiting } = await waitUntilNotified(call, admin, accepted, outageEnds + 90_000);
    expect(waiting, `never reached a rep after the outage; the platform said:\n${platform.output().slice(-3000)}`).toEqual([]);
    for (const counts of assignedAndNotified(timelines)) expect(counts).toEqual({ ...counts, assigned: 1, notified: 1 });
    // The first notification could only come once the bus took events again.
    const first = Math.min(...[...timelines.values()].map((t) => Date.parse(t.find((e) => e.type === 'Rep Notified')!.at)));
    expect(first).toBeGreaterThanOrEqual(outageEnds - 1_000);
  }, OUTAGE_SECONDS * 1000 + 180_000);

  it('answers 400 for an outage that is not a number of seconds', async () => {
    const call = apiClient(platform!.apiUrl);
    const bad = await call('POST', '/_local/outages/bus', { json: { seconds: 'soon' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('seconds');
  });
});
