import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

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

/** How many messages a local queue holds, visible and in flight: says where a missing delivery waits. */
async function queueDepth(name: string): Promise<Record<string, string> | undefined> {
  const sqs = new SQSClient({ endpoint: platform.credentials.endpoints.sqs, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes;
  } finally {
    sqs.destroy();
  }
}

const readLead = (leadId: string) => call('GET', `/v1/leads/${leadId}`, { key: adminToken });
const notifiedLead = (leadId: string, timeoutMs = 15_000) =>
  eventually(() => readLead(leadId), (r) => r.status === 200 && Boolean(r.body.notifiedAt), timeoutMs);

describe('the local platform, end to end over HTTP', () => {
  it('writes the API URL, an admin token and a demo source key to local.json on first start', () => {
    const local = JSON.parse(readFileSync(join(platform.dataDir, 'local.json'), 'utf8'));
    expect(local.apiUrl).toBe(platform.apiUrl);
    expect(local.adminToken).toMatch(/^lf_admin_/);
    expect(local.sources[0].key).toMatch(/^lf_src_/);
    expect(platform.output()).toContain('curl -s -X POST');
  });

  it('takes a JSON web-form lead to a notified rep, with score, owner and timeline', async () => {
    const posted = await call('POST', '/v1/leads', {
      key: sourceKey,
      json: {
        name: 'Grace Hopper',
        email: ' Grace@Navy.example ',
        phone: '(650) 555-0199',
        message: 'We need 40 seats',
        page_url: 'https://example.com/pricing?utm_source=google&utm_campaign=spring&gclid=Cj0KCQ',
        company_size: '200',
      },
    });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ status: 'accepted', duplicate: false });

    const { body: lead } = await notifiedLead(posted.body.leadId);
    expect(lead.person).toEqual({ name: 'Grace Hopper', email: 'grace@navy.example', phone: '+16505550199' });
    expect(lead.attribution).toMatchObject({ utm_source: 'google', utm_campaign: 'spring', gclid: 'Cj0KCQ' });
    expect(lead.answers).toEqual({ company_size: '200' });
    expect(lead.score).toBeGreaterThan(0);
    expect(lead.reasons.map((r: { rule: string }) => r.rule)).toContain('has-phone');
    expect(['alice', 'bob', 'carol']).toContain(lead.ownerId);
    expect(lead.routingTrace).toMatchObject({ teamId: 'demo', strategy: 'round_robin', winner: lead.ownerId });
    expect(lead.timeline.map((e: { type: string }) => e.type)).toEqual([
      'Lead Captured',
      'Lead Qualified',
      'Lead Assigned',
      'Rep Notified',
    ]);
    const times = lead.timeline.map((e: { at: string }) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const notifications = await call('GET', `/_demo/reps/${lead.ownerId}/notifications`, { key: platform.credentials.adminToken });
    const mine = notifications.body.filter((n: any) => n.payload.leadId === lead.leadId);
    expect(mine).toHaveLength(1);
    expect(mine[0].payload.lead).toMatchObject({ name: 'Grace Hopper', phone: '+16505550199' });
  });

  it('accepts an urlencoded form post and keeps unknown fields as answers', async () => {
    const posted = await call('POST', '/v1/leads', {
      key: sourceKey,
      form: { Name: 'Alan Turing', Email: 'alan@example.org', Budget: '10k', utm_source: 'newsletter' },
    });
    expect(posted.status).toBe(202);
    const { body: lead } = await notifiedLead(posted.body.leadId);
    expect(lead.person.email).toBe('alan@example.org');
    expect(lead.answers).toEqual({ Budget: '10k' });
    expect(lead.attribution.utm_source).toBe('newsletter');
  });

  it('accepts the source key as a query parameter, for HTML forms that cannot set headers', async () => {
    const posted = await call('POST', `/v1/leads?key=${encodeURIComponent(sourceKey)}`, {
      form: { email: 'form-only@example.org' },
    });
    expect(posted.status).toBe(202);
  });

  it('answers 400 naming each bad field, and stores nothing', async () => {
    const posted = await call('POST', '/v1/leads', {
      key: sourceKey,
      json: { email: 'not-an-email', phone: '12', page_url: 'javascript:alert(1)' },
    });
    expect(posted.status).toBe(400);
    expect(posted.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'page_url', 'phone']);
  });

  it('answers 400 when the lead gives no way to reach the person', async () => {
    const posted = await call('POST', '/v1/leads', { key: sourceKey, json: { name: 'Nobody' } });
    expect(posted.status).toBe(400);
    expect(posted.body.fields).toContainEqual({ field: 'email', problem: 'an email or a phone is required to reach the person' });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const posted = await call('POST', '/v1/leads', { key: sourceKey, body: '{"email":', contentType: 'application/json' });
    expect(posted.status).toBe(400);
    expect(posted.body.error).toBe('invalid_json');
  });

  it('answers 401 for a wrong key and for no key', async () => {
    expect((await call('POST', '/v1/leads', { key: 'lf_src_wrong', json: { email: 'a@b.co' } })).status).toBe(401);
    expect((await call('POST', '/v1/leads', { json: { email: 'a@b.co' } })).status).toBe(401);
  });

  it('answers 403 when an admin token is used to post a lead, and when a source key reads a lead', async () => {
    expect((await call('POST', '/v1/leads', { key: adminToken, json: { email: 'a@b.co' } })).status).toBe(403);
    expect((await call('GET', '/v1/leads/anything', { key: sourceKey })).status).toBe(403);
  });

  it('answers 415 for an unsupported content type and 413 for a body over 128 KB', async () => {
    expect((await call('POST', '/v1/leads', { key: sourceKey, body: 'email=a', contentType: 'text/plain' })).status).toBe(415);
    const large = await call('POST', '/v1/leads', { key: sourceKey, json: { email: 'a@b.co', message: 'x'.repeat(140_000) } });
    expect(large.status).toBe(413);
    expect(large.body.message).toContain('at most 131072 are accepted');
  });

  it('never takes an admin token from the URL', async () => {
    const leaked = await call('GET', `/v1/reports/sources?key=${encodeURIComponent(adminToken)}`);
    expect(leaked.status).toBe(401);
  });

  it('answers 404 for an unknown lead and an unknown route', async () => {
    expect((await readLead('01NOSUCHLEAD')).status).toBe(404);
    expect((await call('GET', '/v1/nothing-here')).status).toBe(404);
  });

  it('returns the same lead for an identical submission replayed, and creates nothing new', async () => {
    const lead = { name: 'Replay Test', email: 'replay@example.org', message: `same content ${Date.now()}` };
    const first = await call('POST', '/v1/leads', { key: sourceKey, json: lead });
    const replays = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/v1/leads', { key: sourceKey, json: lead })));
    expect(first.body.duplicate).toBe(false);
    for (const r of replays) {
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ leadId: first.body.leadId, duplicate: true });
    }
    await notifiedLead(first.body.leadId);
    const all = await call('GET', '/_demo/notifications', { key: platform.credentials.adminToken });
    expect(all.body.filter((n: any) => n.payload.leadId === first.body.leadId)).toHaveLength(1);
  });

  it('returns the same lead for the same Idempotency-Key even when the content differs', async () => {
    const key = `idem-${Date.now()}`;
    const a = await call('POST', '/v1/leads', { key: sourceKey, json: { email: 'one@example.org' }, headers: { 'idempotency-key': key } });
    const b = await call('POST', '/v1/leads', { key: sourceKey, json: { email: 'two@example.org' }, headers: { 'idempotency-key': key } });
    expect(a.status).toBe(202);
    expect(b.body).toMatchObject({ leadId: a.body.leadId, duplicate: true });
  });

  it('merges a returning person\'s new lead into their open lead: noted on its timeline, nobody notified twice', async () => {
    const person = { name: 'Returning Rita', email: `rita-${Date.now()}@example.org` };
    const first = await call('POST', '/v1/leads', { key: sourceKey, json: { ...person, message: 'first' } });
    const { body: open } = await notifiedLead(first.body.leadId);

    const again = await call('POST', '/v1/leads', { key: sourceKey, json: { ...person, phone: '+1 650 555 0142', message: 'me again' } });
    expect(again.body.duplicate).toBe(false);
    const { body: merged } = await eventually(() => readLead(again.body.leadId), (r) => r.status === 200 && r.body.status === 'merged', 15_000);
    expect(merged).toMatchObject({ mergedInto: open.leadId, contactId: open.contactId });
    expect(merged.ownerId).toBeUndefined();
    const { body: withResubmission } = await eventually(
      () => readLead(open.leadId),
      (r) => r.body.timeline.some((e: { type: string }) => e.type === 'Lead Resubmitted'),
      15_000,
    );
    expect(withResubmission.timeline.filter((e: { type: string }) => e.type === 'Lead Resubmitted')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ leadId: again.body.leadId, message: 'me again' }) }),
    ]);
    const notified = await call('GET', `/_demo/reps/${open.ownerId}/notifications`, { key: platform.credentials.adminToken });
    expect(notified.body.filter((n: any) => n.payload.leadId === again.body.leadId)).toEqual([]);
  });

  // The wait (90 s) is shorter than the test's own timeout, so that a run that gives up says why.
  it('retries a failed notification through the queue and records the attempt that succeeded', async () => {
    for (const rep of ['alice', 'bob', 'carol']) {
      await call('POST', `/_demo/reps/${rep}/failures`, { key: platform.credentials.adminToken, json: { count: 1, status: 503 } });
    }
    const posted = await call('POST', '/v1/leads', { key: sourceKey, json: { email: `retry-${Date.now()}@example.org` } });
    const { body: lead } = await notifiedLead(posted.body.leadId, 90_000).catch(async (error: Error) => {
      // Say what the platform did meanwhile: what the demo reps received, and its invocations.
      const seen = await call('GET', '/_demo/notifications', { key: platform.credentials.adminToken });
      const stats = await call('GET', '/_local/stats');
      const queue = await queueDepth('leadflow-notify').catch((e: Error) => e.message);
      throw new Error(
        `${error.message.slice(0, 600)}\nnotifications: ${seen.text.slice(-1500)}\nnotify queue: ${JSON.stringify(queue)}\n` +
          `stats: ${JSON.stringify({ invocations: stats.body?.invocations, sdkCalls: stats.body?.sdkCalls, lane: stats.body?.lane })}\noutput: ${platform.output().slice(-6000)}`,
      );
    });
    const notified = lead.timeline.find((e: { type: string }) => e.type === 'Rep Notified');
    expect(notified.detail.attempt).toBe(2);
    for (const rep of ['alice', 'bob', 'carol']) {
      await call('POST', `/_demo/reps/${rep}/failures`, { key: platform.credentials.adminToken, json: { count: 0 } });
    }
  }, 150_000);

  it('records Notification Failed at once when the rep\'s webhook refuses the notification for good', async () => {
    for (const rep of ['alice', 'bob', 'carol']) {
      await call('POST', `/_demo/reps/${rep}/failures`, { key: platform.credentials.adminToken, json: { count: 1, status: 404 } });
    }
    const posted = await call('POST', '/v1/leads', { key: sourceKey, json: { email: `refused-${Date.now()}@example.org` } });
    const { body: lead } = await eventually(
      () => readLead(posted.body.leadId),
      (r) => r.status === 200 && r.body.timeline.some((e: { type: string }) => e.type === 'Notification Failed'),
    );
    const failed = lead.timeline.find((e: { type: string }) => e.type === 'Notification Failed');
    expect(failed.detail).toMatchObject({ repId: lead.ownerId, channel: 'webhook', attempt: 1 });
    expect(failed.detail.error).toContain('answered 404');
    expect(lead.notifiedAt).toBeUndefined();
    for (const rep of ['alice', 'bob', 'carol']) {
      await call('POST', `/_demo/reps/${rep}/failures`, { key: platform.credentials.adminToken, json: { count: 0 } });
    }
  });

  it('reports leads, qualified, assigned, notified and the median time to notify, as JSON and CSV', async () => {
    const built = await call('POST', '/v1/reports/sources/build', { key: adminToken });
    expect(built.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const report = await call('GET', `/v1/reports/sources?from=${today}&to=${today}`, { key: adminToken });
    expect(report.status).toBe(200);
    const row = report.body.rows.find((r: any) => r.sourceId === 'demo-website' && r.channel === 'web_form');
    expect(row.leads).toBeGreaterThanOrEqual(5);
    expect(row.notified).toBeGreaterThanOrEqual(5);
    expect(row.qualified).toBeLessThanOrEqual(row.leads);
    expect(row.medianCaptureToNotifyMs).toBeGreaterThan(0);

    const csv = await call('GET', `/v1/reports/sources?from=${today}&to=${today}&format=csv`, { key: adminToken });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, first] = csv.text.trim().split('\n');
    expect(header).toBe(
      'day,sourceId,channel,leads,qualified,assigned,notified,medianCaptureToNotifyMs,builtAt,' +
        'accepted,contacted,won,lost,medianCaptureToAcceptMs,medianCaptureToContactMs,revenue',
    );
    expect(first).toContain(`${today},demo-website,web_form,${row.leads},`);
  });

  it('builds at most 31 days of report in one request', async () => {
    const tooLong = await call('POST', '/v1/reports/sources/build?from=2026-01-01&to=2026-03-01', { key: adminToken });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields[0].problem).toContain('at most 31 days');
  });

  it('answers 400 for a report period that is not a pair of days', async () => {
    const bad = await call('GET', '/v1/reports/sources?from=yesterday&to=2026-13-01', { key: adminToken });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['from', 'to']);
  });
});

describe('restarting the local platform', () => {
  it('keeps leads and credentials across a restart, and stops cleanly on Ctrl-C', async () => {
    const dataDir = platform.dataDir;
    const posted = await call('POST', '/v1/leads', { key: sourceKey, json: { email: `restart-${Date.now()}@example.org` } });
    await notifiedLead(posted.body.leadId);
    expect(await platform.stop()).toBe(0);
    expect(platform.output()).toContain('stopped.');

    platform = await startPlatformProcess({ dataDir });
    call = apiClient(platform.apiUrl);
    expect(platform.credentials.adminToken).toBe(adminToken);
    const again = await readLead(posted.body.leadId);
    expect(again.status).toBe(200);
    expect(again.body.notifiedAt).toBeTruthy();
  });
});
