import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let admin: string;
let sourceKey: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  admin = platform.credentials.adminToken;
  sourceKey = platform.credentials.sources[0]!.key;
});

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

const email = `buyer-${Date.now()}@example.org`;
const today = () => new Date().toISOString().slice(0, 10);
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function postLead(fields: Record<string, string>): Promise<any> {
  const posted = await call('POST', '/v1/leads', { key: sourceKey, json: { name: 'Val Buyer', email, ...fields } });
  expect(posted.status).toBe(202);
  const { body } = await eventually(() => call('GET', `/v1/leads/${posted.body.leadId}`, { key: admin }), (r) => r.status === 200 && Boolean(r.body.ownerId), 20_000);
  return body;
}

describe('purchases, customer value and attribution, end to end', () => {
  let contactId: string;

  it('turns a won lead into a purchase of its contact, making them a VIP', async () => {
    const lead = await postLead({ utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'Winter Sale' });
    contactId = lead.contactId;
    const token = (await call('POST', `/v1/admin/reps/${lead.ownerId}/token`, { key: admin })).body.token;
    expect((await call('POST', `/v1/rep/leads/${lead.leadId}/accept`, { key: token })).status).toBe(200);
    const won = await call('POST', `/v1/rep/leads/${lead.leadId}/status`, { key: token, json: { status: 'won', amount: 7000, currency: 'USD' } });
    expect(won.status).toBe(200);
    const contact = await eventually(() => call('GET', `/v1/contacts/${contactId}`, { key: admin }), (r) => r.body?.storedSegment === 'vip', 20_000);
    expect(contact.body).toMatchObject({
      identities: { emails: [email] },
      segment: 'vip',
      storedSegment: 'vip',
      acquisitionChannel: 'google_ads',
      value: { purchases: 1, total: { USD: '7000' } },
      purchases: [{ orderId: `lead:${lead.leadId}`, amount: '7000', currency: 'USD', origin: 'lead' }],
    });
  });

  it('routes the VIP\'s next lead to the senior team by a routing rule on segment = vip', async () => {
    expect((await call('POST', '/v1/admin/teams', { key: admin, json: { teamId: 'senior', name: 'Senior sales', strategy: 'round_robin' } })).status).toBe(201);
    const sam = await call('POST', '/v1/admin/reps', {
      key: admin,
      json: { repId: 'sam', teamId: 'senior', name: 'Sam Senior', webhookUrl: `${platform.apiUrl}/_demo/reps/sam/notifications`, timeZone: 'UTC' },
    });
    expect(sam.status).toBe(201);
    const draft = await call('POST', '/v1/admin/config/routing', {
      key: admin,
      json: { fallbackTeamId: 'demo', rules: [{ id: 'vips-to-seniors', when: [{ fact: 'segment', op: 'equals', value: 'vip' }], to: { teamId: 'senior' } }] },
    });
    expect(draft.status).toBe(201);
    expect((await call('POST', `/v1/admin/config/routing/${draft.body.version}/activate`, { key: admin })).status).toBe(200);
    // assign keeps the active config for up to 2 s (ACTIVE_CONFIG_TTL_MS) before reading it again.
    await new Promise((r) => setTimeout(r, 2_500));
    const next = await postLead({ utm_source: 'newsletter', utm_campaign: 'December' });
    // The contact's owner from the first lead is in the demo team, so the senior team's rotation decides.
    expect(next).toMatchObject({ contactId, teamId: 'senior', ownerId: 'sam', routingTrace: { rule: 'vips-to-seniors' } });
  });

  it('records a shop\'s purchase once per order id, refuses another amount for it and names bad fields', async () => {
    const purchase = { orderId: `shop-${Date.now()}`, contact: { email: email.toUpperCase() }, amount: '150.50', currency: 'USD' };
    const first = await call('POST', '/v1/purchases', { key: admin, json: purchase });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: true, contactCreated: false, purchase: { contactId, amount: '150.5' }, segment: 'vip' });
    expect((await call('POST', '/v1/purchases', { key: admin, json: purchase })).status).toBe(200);
    const other = await call('POST', '/v1/purchases', { key: admin, json: { ...purchase, amount: '99' } });
    expect(other.status).toBe(409);
    const bad = await call('POST', '/v1/purchases', { key: admin, json: { orderId: 'x', contact: {}, amount: 'ten', currency: 'usd' } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['amount', 'contact', 'currency']);
    expect((await call('POST', '/v1/purchases', { json: purchase })).status).toBe(401);
    expect((await call('GET', '/v1/contacts/nobody-like-this', { key: admin })).status).toBe(404);
    const contact = await call('GET', `/v1/contacts/${contactId}`, { key: admin });
    expect(contact.body.value).toMatchObject({ purchases: 2, total: { USD: '7150.5' }, averageCheck: { USD: '3575.25' } });
  });

  it('reports the journey under each chosen model and the customers per segment', async () => {
    const period = `from=${yesterday()}&to=${today()}`;
    expect((await call('POST', `/v1/reports/attribution/build?${period}`, { key: admin })).status).toBe(200);
    const report = await call('GET', `/v1/reports/attribution?${period}&models=first_touch,last_touch`, { key: admin });
    expect(report.status).toBe(200);
    expect(report.body.models).toEqual(['first_touch', 'last_touch']);
    const google = report.body.entries.find((e: any) => e.channel === 'google_ads');
    const newsletter = report.body.entries.find((e: any) => e.channel === 'newsletter');
    // First touch: the Google click started both leads' journeys, the win's (7,000) and the shop order's
    // (150.50). Last touch: the win goes to the Google lead, the second lead and the order to the newsletter.
    expect(google.models.first_touch).toMatchObject({ created: '2', won: '1', purchase: '1', revenue: { USD: '7150.5' } });
    expect(google.models.last_touch).toMatchObject({ created: '1', won: '1', revenue: { USD: '7000' } });
    expect(newsletter.models.last_touch).toMatchObject({ created: '1', purchase: '1', revenue: { USD: '150.5' } });
    expect(google.spread.revenue.USD).toMatchObject({ spread: '150.5', highest: ['first_touch'] });
    expect((await call('GET', '/v1/reports/attribution?models=u_shaped', { key: admin })).status).toBe(400);

    expect((await call('POST', '/v1/reports/segments/build', { key: admin })).status).toBe(200);
    const segments = await call('GET', '/v1/reports/segments', { key: admin });
    expect(segments.body.segments).toEqual([expect.objectContaining({ name: 'vip', customers: 1, revenue: { USD: '7150.5' }, averageClv: { USD: '7150.5' } })]);
    expect(segments.body.acquisitionChannels).toEqual([expect.objectContaining({ name: 'google_ads', customers: 1 })]);
  });
});
