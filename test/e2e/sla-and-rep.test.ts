import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let admin: string;
let sourceKey: string;
const tokens: Record<string, string> = {};
const TEAM = 'closers';
const REPS = ['dana', 'eli'];

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  admin = platform.credentials.adminToken;
});

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

const demoHook = (name: string) => `${platform.apiUrl}/_demo/reps/${name}/notifications`;
const readLead = (leadId: string) => call('GET', `/v1/leads/${leadId}`, { key: admin });
const notificationsOf = async (name: string) => (await call('GET', `/_demo/reps/${name}/notifications`, { key: platform.credentials.adminToken })).body as Array<{ payload: any }>;

/** The notification of a given type about a lead that a demo webhook received, once it has arrived. */
async function notification(name: string, leadId: string, type: string, where: (p: any) => boolean = () => true) {
  const found = await eventually(
    () => notificationsOf(name),
    (all) => all.some((n) => n.payload.leadId === leadId && n.payload.type === type && where(n.payload)),
    20_000,
  );
  return found.filter((n) => n.payload.leadId === leadId && n.payload.type === type && where(n.payload)).at(-1)!.payload;
}

async function postLead(email: string): Promise<any> {
  const posted = await call('POST', '/v1/leads', { key: sourceKey, json: { name: 'Sla Test', email } });
  expect(posted.status).toBe(202);
  const { body } = await eventually(() => readLead(posted.body.leadId), (r) => r.status === 200 && Boolean(r.body.notifiedAt), 20_000);
  return body;
}

describe('SLA and the rep side, end to end', () => {
  it('refuses a team and a rep with precise 400s naming each bad field', async () => {
    const team = await call('POST', '/v1/admin/teams', {
      key: admin,
      json: { teamId: TEAM, name: 'Closers', strategy: 'fastest', sla: { acceptWithinMinutes: 0 } },
    });
    expect(team.status).toBe(400);
    expect(team.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['sla.acceptWithinMinutes', 'strategy']);
    const rep = await call('POST', '/v1/admin/reps', {
      key: admin,
      json: { repId: 'x', teamId: 'no-such-team', name: 'X', timeZone: 'Mars/Base', workingHours: { mon: ['9-5'] }, weight: -1 },
    });
    expect(rep.status).toBe(400);
    expect(rep.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['timeZone', 'weight', 'workingHours.mon[0]']);
  });

  it('creates a team with a one-minute SLA, two reps with tokens and a source for the team, through the admin API', async () => {
    const team = await call('POST', '/v1/admin/teams', {
      key: admin,
      json: {
        teamId: TEAM,
        name: 'Closers',
        strategy: 'round_robin',
        sla: { acceptWithinMinutes: 1, clock: 'wall', escalateAfterMisses: 1 },
        manager: { name: 'Mia', webhookUrl: `${platform.apiUrl}/_demo/reps/manager-mia/notifications` },
      },
    });
    expect(team.status).toBe(201);
    for (const repId of REPS) {
      const rep = await call('POST', '/v1/admin/reps', {
        key: admin,
        json: { repId, teamId: TEAM, name: repId, webhookUrl: demoHook(repId), timeZone: 'Europe/Berlin' },
      });
      expect(rep.status).toBe(201);
      const token = await call('POST', `/v1/admin/reps/${repId}/token`, { key: admin });
      expect(token.status).toBe(201);
      expect(token.body.token).toMatch(/^lf_rep_/);
      tokens[repId] = token.body.token;
    }
    const listed = await call('GET', `/v1/admin/reps?teamId=${TEAM}`, { key: admin });
    expect(listed.body.reps.map((r: { repId: string }) => r.repId).sort()).toEqual(REPS);
    const patched = await call('PATCH', '/v1/admin/reps/eli', { key: admin, json: { weight: 2 } });
    expect(patched.body).toMatchObject({ repId: 'eli', weight: 2 });

    const source = await call('POST', '/v1/admin/sources', { key: admin, json: { name: 'Closers form', provider: 'html_form', teamId: TEAM } });
    expect(source.status).toBe(201);
    sourceKey = source.body.generatedSecrets.key;
    expect(sourceKey).toBeTruthy();
  });

  it('lets the rep accept from the link in their notification, then mark the lead won with revenue', async () => {
    const lead = await postLead(`accept-${Date.now()}@example.org`);
    expect(REPS).toContain(lead.ownerId);
    const owner = lead.ownerId as string;
    const other = REPS.find((r) => r !== owner)!;
    const assigned = await notification(owner, lead.leadId, 'lead.assigned');
    expect(assigned.acceptUrl).toMatch(new RegExp(`^${platform.apiUrl}/v1/accept/`));
    expect(Date.parse(assigned.acceptBy) - Date.parse(lead.assignedAt)).toBe(60_000);

    const acceptPath = new URL(assigned.acceptUrl).pathname;
    const page = await call('GET', acceptPath);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post">');
    expect((await call('POST', `${acceptPath.slice(0, -2)}xx`)).status).toBe(403);
    const accepted = await call('POST', acceptPath);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ leadId: lead.leadId, repId: owner, status: 'accepted', alreadyAccepted: false });
    expect((await call('POST', acceptPath)).body.alreadyAccepted).toBe(true);

    const status = (repId: string, json: unknown) => call('POST', `/v1/rep/leads/${lead.leadId}/status`, { key: tokens[repId], json });
    const incomplete = await status(owner, { status: 'won' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.fields.map((f: { field: string }) => f.field)).toEqual(['amount', 'currency']);
    expect((await status(other, { status: 'contacted' })).status).toBe(403);
    expect((await status(owner, { status: 'contacted' })).status).toBe(200);
    const won = await status(owner, { status: 'won', amount: 4200, currency: 'EUR' });
    expect(won.body).toEqual({ leadId: lead.leadId, status: 'won', changed: true });
    expect((await status(owner, { status: 'lost', reason: 'changed mind' })).status).toBe(409);

    const { body: after } = await readLead(lead.leadId);
    expect(after.status).toBe('won');
    const entries = after.timeline.map((e: { type: string }) => e.type);
    expect(entries).toEqual(expect.arrayContaining(['Lead Accepted', 'Lead Status Changed']));
    const wonEntry = after.timeline.findLast((e: { type: string }) => e.type === 'Lead Status Changed');
    expect(wonEntry.detail).toMatchObject({ from: 'contacted', to: 'won', revenue: { amount: 4200, currency: 'EUR' } });

    const mine = await call('GET', '/v1/rep/leads', { key: tokens[owner] });
    expect(mine.status).toBe(200);
    expect(mine.body.leads[0]).toMatchObject({ leadId: lead.leadId, captureToAcceptMs: expect.any(Number), captureToContactMs: expect.any(Number) });

    // The day's report for this source counts the rep's side of the lead: it is the source's only lead.
    const day = (lead.capturedAt as string).slice(0, 10);
    const period = `from=${day}&to=${day}`;
    const row = await eventually(
      async () => {
        expect((await call('POST', `/v1/reports/sources/build?${period}`, { key: admin })).status).toBe(200);
        const report = await call('GET', `/v1/reports/sources?${period}`, { key: admin });
        return (report.body.rows as Array<Record<string, any>>).find((r) => r.sourceId === lead.sourceId);
      },
      (r) => r?.won === 1,
      20_000,
    );
    expect(row).toMatchObject({
      leads: 1,
      notified: 1,
      accepted: 1,
      contacted: 1,
      won: 1,
      lost: 0,
      medianCaptureToAcceptMs: after.captureToAcceptMs,
      medianCaptureToContactMs: after.captureToContactMs,
      revenue: { EUR: 4200 },
    });
    expect(after.captureToContactMs).toBeGreaterThanOrEqual(after.captureToAcceptMs);
    const csv = await call('GET', `/v1/reports/sources?${period}&format=csv`, { key: admin });
    const [header, ...lines] = csv.text.trim().split('\n');
    const cells = Object.fromEntries(header!.split(',').map((column, i) => [column, lines.find((l) => l.includes(`,${lead.sourceId},`))!.split(',')[i]]));
    expect(cells).toMatchObject({ accepted: '1', contacted: '1', won: '1', lost: '0', revenue: 'EUR 4200', medianCaptureToAcceptMs: String(after.captureToAcceptMs) });
  });

  it('re-assigns a lead nobody accepted once the sweeper runs after its deadline, tells both reps and escalates', async () => {
    const lead = await postLead(`ignored-${Date.now()}@example.org`);
    const first = lead.ownerId as string;
    const second = REPS.find((r) => r !== first)!;
    const firstLink = (await notification(first, lead.leadId, 'lead.assigned')).acceptUrl as string;

    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(lead.slaDeadline) - Date.now() + 500)));
    const run = await call('POST', '/_local/schedules/sweep-sla/run');
    expect(run.status).toBe(200);

    const { body: moved } = await eventually(() => readLead(lead.leadId), (r) => r.body.ownerId === second, 20_000);
    const entries = moved.timeline.map((e: { type: string }) => e.type);
    expect(entries).toEqual(expect.arrayContaining(['SLA Missed', 'Lead Reassigned', 'SLA Escalated']));
    const taken = await notification(first, lead.leadId, 'lead.taken_back');
    expect(taken).toMatchObject({ repId: first, reassignedTo: second, misses: 1 });
    const secondNotice = await notification(second, lead.leadId, 'lead.assigned', (p) => p.assignment === 2);
    expect(secondNotice.acceptUrl).not.toBe(firstLink);
    const escalation = await notification('manager-mia', lead.leadId, 'lead.sla_escalated');
    expect(escalation).toMatchObject({ teamId: TEAM, misses: 1, nowWith: second });

    expect((await call('POST', new URL(firstLink).pathname)).status).toBe(409);
    const accepted = await call('POST', new URL(secondNotice.acceptUrl).pathname);
    expect(accepted.body).toMatchObject({ repId: second, status: 'accepted' });
  }, 180_000);

  it('lets a rep go away until a time and come back online, refusing away without a time', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const away = await call('POST', '/v1/rep/availability', { key: tokens.dana, json: { status: 'away', until } });
    expect(away.body).toMatchObject({ repId: 'dana', availability: { status: 'away', until } });
    const bad = await call('POST', '/v1/rep/availability', { key: tokens.dana, json: { status: 'away' } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'until', problem: 'away needs the time you are back (ISO 8601)' }]);
    expect((await call('POST', '/v1/rep/availability', { key: tokens.dana, json: { status: 'online' } })).status).toBe(200);
    expect((await call('POST', '/v1/rep/availability', { key: admin, json: { status: 'online' } })).status).toBe(403);
  });
});
