import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

const SITE = 'https://www.acme-landing.example';
const EVIL = 'https://evil.example';

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let adminToken: string;
let formKey: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  adminToken = platform.credentials.adminToken;
  const created = await call('POST', '/v1/admin/sources', {
    key: adminToken,
    json: {
      sourceId: 'acme-landing',
      name: 'Acme landing page',
      provider: 'html_form',
      defaultCountry: 'US',
      teamId: 'demo',
      allowedOrigins: [SITE],
      redirectUrl: `${SITE}/thanks?lang=en`,
    },
  });
  expect(created.status, created.text).toBe(201);
  formKey = created.body.generatedSecrets.key;
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

/** A request as a browser sends it: nothing follows redirects, so a 303 is seen as such. */
function browser(method: string, path: string, init: { headers?: Record<string, string>; body?: RequestInit['body'] } = {}) {
  return fetch(`${platform.apiUrl}${path}`, { method, redirect: 'manual', ...init });
}
const leadsUrl = () => `/v1/leads?key=${encodeURIComponent(formKey)}`;
const readLead = (leadId: string) => call('GET', `/v1/leads/${leadId}`, { key: adminToken });

describe('POST /v1/leads straight from a web page, through the running platform', () => {
  it('answers a preflight from an allowed origin with 204 and the CORS headers', async () => {
    const response = await browser('OPTIONS', leadsUrl(), {
      headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, authorization, x-api-key, idempotency-key');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('refuses a preflight whose key names a source that does not allow the origin, and lets one without a key through', async () => {
    const refused = await browser('OPTIONS', leadsUrl(), { headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.text()).toContain(EVIL);
    const keyless = await browser('OPTIONS', '/v1/leads', { headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
    expect(keyless.status).toBe(204);
    expect(keyless.headers.get('access-control-allow-origin')).toBe(EVIL);
  });

  it('refuses a post from an origin the source does not allow with 403 naming it, and stores nothing', async () => {
    const lead = JSON.stringify({ email: 'mallory@example.org' });
    const headers = { origin: EVIL, 'content-type': 'application/json', 'idempotency-key': 'evil-origin-1' };
    const refused = await browser('POST', leadsUrl(), { headers, body: lead });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.json()).toMatchObject({ error: 'origin_not_allowed', message: expect.stringContaining(EVIL) });
    // The same idempotency key from the allowed origin is new: the refused post left nothing behind.
    const allowed = await browser('POST', leadsUrl(), { headers: { ...headers, origin: SITE }, body: lead });
    expect(allowed.status).toBe(202);
    expect(await allowed.json()).toMatchObject({ duplicate: false });
  });

  it('refuses every browser origin for a source that lists none, while servers without Origin still post', async () => {
    const demoKey = platform.credentials.sources[0]!.key;
    const body = JSON.stringify({ email: 'server-side@example.org' });
    const fromPage = await browser('POST', '/v1/leads', { headers: { origin: SITE, authorization: `Bearer ${demoKey}`, 'content-type': 'application/json' }, body });
    expect(fromPage.status).toBe(403);
    const fromServer = await browser('POST', '/v1/leads', { headers: { authorization: `Bearer ${demoKey}`, 'content-type': 'application/json' }, body });
    expect(fromServer.status).toBe(202);
  });

  it('puts the CORS headers on the answers to an allowed origin, a 400 included', async () => {
    const bad = await browser('POST', leadsUrl(), { headers: { origin: SITE, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'No contact' }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(bad.headers.get('vary')).toBe('Origin');
  });

  it('captures a multipart post, and a lead whose honeypot was filled ends disqualified', async () => {
    const person = new FormData();
    person.append('name', 'Dana Scully');
    person.append('email', 'dana.scully@example.org');
    person.append('phone', '(202) 555-0147');
    person.append('website_url', '');
    const kept = await browser('POST', leadsUrl(), { headers: { origin: SITE }, body: person });
    expect(kept.status).toBe(202);
    expect(kept.headers.get('access-control-allow-origin')).toBe(SITE);
    const { leadId } = (await kept.json()) as { leadId: string };

    const bot = new FormData();
    bot.append('email', 'bot-4711@example.org');
    bot.append('website_url', 'http://cheap-pills.example');
    const caught = await browser('POST', leadsUrl(), { headers: { origin: SITE }, body: bot });
    expect(caught.status).toBe(202);
    const botLeadId = ((await caught.json()) as { leadId: string }).leadId;

    const human = await eventually(() => readLead(leadId), (r) => r.status === 200 && Boolean(r.body.ownerId), 20_000);
    expect(human.body.person).toEqual({ name: 'Dana Scully', email: 'dana.scully@example.org', phone: '+12025550147' });
    expect(human.body.answers).toEqual({});
    const disqualified = await eventually(() => readLead(botLeadId), (r) => r.status === 200 && r.body.status === 'disqualified', 20_000);
    expect(disqualified.body.answers).toEqual({ _honeypot: 'filled' });
    expect(disqualified.body.ownerId).toBeUndefined();
  });

  it('sends a browser form post without JavaScript back to the site with 303: the lead id on success, the error otherwise', async () => {
    const navigation = { origin: SITE, accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'content-type': 'application/x-www-form-urlencoded' };
    const sent = await browser('POST', leadsUrl(), { headers: navigation, body: 'name=Fox+Mulder&email=fox.mulder%40example.org' });
    expect(sent.status).toBe(303);
    const location = new URL(sent.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${SITE}/thanks`);
    expect(location.searchParams.get('lang')).toBe('en');
    const leadId = location.searchParams.get('lead')!;
    // The lead is stored as the captured event is processed, a moment after the answer.
    expect((await eventually(() => readLead(leadId), (r) => r.status === 200)).body.person).toMatchObject({ email: 'fox.mulder@example.org' });

    const refused = await browser('POST', leadsUrl(), { headers: navigation, body: 'name=Fox&email=not-an-address' });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe(`${SITE}/thanks?lang=en&error=invalid_request&fields=email`);
  });
});
