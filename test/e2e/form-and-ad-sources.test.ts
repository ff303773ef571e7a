import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphStandIn, type ApiStandIn } from '../support/graph-stand-in.js';
import { startLinkedInStandIn } from '../support/linkedin-stand-in.js';
import { apiClient, eventually, PROJECT_ROOT, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

/*
 * Every form and ad-platform source, end to end through the running platform: a source created through
 * the admin API, the raw request signed as its sender signs it, and the lead reaching a rep. Bodies are
 * the provider samples in test/fixtures/providers where one exists (VERBATIM ones sent byte for byte),
 * re-signed with this test's secrets; TikTok, LinkedIn and the generic signed JSON have no vendor sample,
 * so theirs are reconstructed from the documented shapes. Meta and LinkedIn leads are read afterwards from
 * local stand-ins of their APIs.
 */

const fixture = (path: string) => readFileSync(join(PROJECT_ROOT, 'test/fixtures/providers', path), 'utf8');

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const TYPEFORM_SECRET = secret('typeform');
const WEBFLOW_SECRET = secret('webflow');
const META_APP_SECRET = secret('meta-app');
const META_PAGE_TOKEN = secret('meta-page-token');
const GOOGLE_KEY = secret('google-key');
const TIKTOK_CLIENT_SECRET = secret('tiktok');
const LINKEDIN_CLIENT_SECRET = secret('linkedin');
const LINKEDIN_TOKEN = secret('linkedin-token');

const hmac = (key: string, payload: string | Buffer, encoding: 'hex' | 'base64') => createHmac('sha256', key).update(payload).digest(encoding);

/** The Graph leads the stand-in serves, keyed by leadgen id. */
const graphLead = (id: string, fields: Record<string, string>) => ({
  id,
  created_time: '2026-03-02T09:14:07+0000',
  ad_id: '12312312312',
  form_id: '12312312312',
  field_data: Object.entries(fields).map(([name, value]) => ({ name, values: [value] })),
});
const docsGraphLead = JSON.parse(
  fixture('meta-leadads/graph_lead__docs_sample__VALIDJSON_from_docs.json')
    .replace('<LEAD_ID>', '123123123123')
    .replace('<AD_ID>', '12312312312')
    .replace('<FORM_ID>', '12312312312'),
);
const graphLeads: Record<string, unknown> = {
  // The two leads the VERBATIM leadgen notification names.
  '123123123123': docsGraphLead,
  '123123123124': graphLead('123123123124', { full_name: 'Mia Example', email: 'mia.example@example.com', city: 'Leeds' }),
  '123123123125': graphLead('123123123125', { full_name: 'Rex Retry', email: 'rex.retry@example.com' }),
  '123123123126': graphLead('123123123126', { full_name: 'Nora Forged', email: 'nora.forged@example.com' }),
};

// A Lead Sync form and lead, shaped as LinkedIn's API documents them; ids and values invented.
const LINKEDIN_FORM_URN = 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:5678,1)';
const LINKEDIN_LEAD_ID = '6f2d1c3b-9a8e-4f7d-8c6b-5a4f3e2d1c0b';
const linkedInForm = {
  id: 5678,
  creationLocale: { country: 'US', language: 'en' },
  content: {
    questions: [
      { questionId: 1, name: 'First name', predefinedField: 'FIRST_NAME' },
      { questionId: 2, name: 'Last name', predefinedField: 'LAST_NAME' },
      { questionId: 3, name: 'Email address', predefinedField: 'EMAIL' },
      { questionId: 4, question: { localized: { en_US: 'Company size' } }, name: 'companySize' },
    ],
  },
};
const answer = (questionId: number, text: string) => ({ questionId, answerDetails: { textQuestionAnswer: { answer: text } } });
const linkedInLead = {
  id: LINKEDIN_LEAD_ID,
  leadType: 'SPONSORED',
  versionedLeadGenFormUrn: LINKEDIN_FORM_URN,
  submittedAt: 1772442847000,
  testLead: false,
  leadMetadata: { sponsoredLeadMetadata: { campaign: 'urn:li:sponsoredCampaign:1234567' } },
  formResponse: { answers: [answer(1, 'Bea'), answer(2, 'Kim'), answer(3, ' Bea.Kim@Example.org '), answer(4, '11-50')] },
};

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let adminToken: string;
let graph: ApiStandIn;
let linkedIn: ApiStandIn;
/** Secrets the admin API generated, by source id. */
const generated: Record<string, Record<string, string>> = {};
const webhookUrls: Record<string, string> = {};

const SOURCES = [
  { sourceId: 'web-contact', provider: 'html_form', defaultCountry: 'RU' },
  // An admin-chosen token with URL-special characters: the webhook URL given back must still carry it.
  { sourceId: 'tilda-landing', provider: 'tilda', defaultCountry: 'RU', secrets: { token: `${secret('tilda')}+/&=#` } },
  { sourceId: 'typeform-survey', provider: 'typeform', secrets: { secret: TYPEFORM_SECRET } },
  { sourceId: 'webflow-site', provider: 'webflow', defaultCountry: 'US', secrets: { secret: WEBFLOW_SECRET } },
  { sourceId: 'partner-feed', provider: 'signed_json', defaultCountry: 'US' },
  { sourceId: 'meta-page', provider: 'meta_lead_ads', defaultCountry: 'GB', secrets: { appSecret: META_APP_SECRET, accessToken: META_PAGE_TOKEN } },
  { sourceId: 'google-leadform', provider: 'google_ads', defaultCountry: 'US', secrets: { googleKey: GOOGLE_KEY } },
  { sourceId: 'tiktok-forms', provider: 'tiktok', defaultCountry: 'US', secrets: { clientSecret: TIKTOK_CLIENT_SECRET } },
  { sourceId: 'linkedin-forms', provider: 'linkedin', defaultCountry: 'US', secrets: { clientSecret: LINKEDIN_CLIENT_SECRET, accessToken: LINKEDIN_TOKEN } },
] as const;

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: META_PAGE_TOKEN, leads: graphLeads });
  linkedIn = await startLinkedInStandIn({ accessToken: LINKEDIN_TOKEN, leads: { [LINKEDIN_LEAD_ID]: linkedInLead }, forms: { '5678': linkedInForm } });
  // The platform process inherits this environment: its fetch-leads function reads from the stand-ins.
  const before = { META_GRAPH_URL: process.env.META_GRAPH_URL, LINKEDIN_API_URL: process.env.LINKEDIN_API_URL };
  process.env.META_GRAPH_URL = graph.url;
  process.env.LINKEDIN_API_URL = linkedIn.url;
  try {
    platform = await startPlatformProcess();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  call = apiClient(platform.apiUrl);
  adminToken = platform.credentials.adminToken;
  for (const source of SOURCES) {
    const created = await call('POST', '/v1/admin/sources', {
      key: adminToken,
      json: { ...source, name: `E2E ${source.provider}`, teamId: 'demo' },
    });
    expect(created.status, created.text).toBe(201);
    generated[source.sourceId] = created.body.generatedSecrets ?? {};
    webhookUrls[source.sourceId] = created.body.webhookUrl;
  }
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
  await graph?.close();
  await linkedIn?.close();
});

interface HookAnswer {
  status: number;
  text: string;
  body: any;
  contentType: string | null;
}

/** Sends raw bytes to a source's webhook URL (as the admin API gave it), plus `query`, as the sender would. */
async function hook(
  sourceId: string,
  init: { method?: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string | Buffer | FormData } = {},
): Promise<HookAnswer> {
  const url = new URL(webhookUrls[sourceId]!);
  for (const [name, value] of Object.entries(init.query ?? {})) url.searchParams.set(name, value);
  const response = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body, contentType: response.headers.get('content-type') };
}

const readLead = (leadId: string) => call('GET', `/v1/leads/${leadId}`, { key: adminToken });

/** The lead once its rep was notified: `ownerId` set, and the demo receiver got that rep's notification. */
async function workedLead(leadId: string) {
  const { body: lead } = await eventually(() => readLead(leadId), (r) => r.status === 200 && Boolean(r.body.ownerId && r.body.notifiedAt), 30_000);
  expect(['alice', 'bob', 'carol']).toContain(lead.ownerId);
  const notified = await call('GET', `/_demo/reps/${lead.ownerId}/notifications`, { key: platform.credentials.adminToken });
  expect(notified.body.filter((n: any) => n.payload.leadId === leadId)).toHaveLength(1);
  return lead;
}

/** The one lead a rep was notified of for this email: how referenced leads (read later from an API) are found. */
async function leadIdNotifiedFor(email: string): Promise<string> {
  const { body } = await eventually(
    () => call('GET', '/_demo/notifications', { key: platform.credentials.adminToken }),
    (r) => r.body.some((n: any) => n.payload.lead?.email === email),
    30_000,
  );
  const ids = new Set(body.filter((n: any) => n.payload.lead?.email === email).map((n: any) => n.payload.leadId as string));
  expect(ids.size).toBe(1);
  return [...ids][0] as string;
}

const notificationsFor = async (email: string) =>
  (await call('GET', '/_demo/notifications', { key: platform.credentials.adminToken })).body.filter((n: any) => n.payload.lead?.email === email);

/** The single lead a webhook answer names. */
function onlyLeadOf(answer: HookAnswer): string {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.leads).toHaveLength(1);
  return answer.body.leads[0].leadId;
}

// Signing, as each sender signs.
const typeformHeaders = (body: string, key = TYPEFORM_SECRET) => ({
  'content-type': 'application/json',
  'typeform-signature': `sha256=${hmac(key, body, 'base64')}`,
});
const webflowHeaders = (body: string, key = WEBFLOW_SECRET) => {
  const timestamp = String(Date.now());
  return { 'content-type': 'application/json', 'x-webflow-timestamp': timestamp, 'x-webflow-signature': hmac(key, `${timestamp}:${body}`, 'hex') };
};
const signedJsonHeaders = (body: string, key = generated['partner-feed']!.secret!) => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'x-leadflow-timestamp': timestamp,
    'x-leadflow-signature': `sha256=${hmac(key, `${timestamp}.${body}`, 'hex')}`,
  };
};
const metaHeaders = (body: string, key = META_APP_SECRET) => ({
  'content-type': 'application/json',
  'x-hub-signature-256': `sha256=${hmac(key, body, 'hex')}`,
});
const tiktokHeaders = (body: string, key = TIKTOK_CLIENT_SECRET) => {
  const t = Math.floor(Date.now() / 1000);
  return { 'content-type': 'application/json', 'tiktok-signature': `t=${t},s=${hmac(key, `${t}.${body}`, 'hex')}` };
};
const linkedInHeaders = (body: string, key = LINKEDIN_CLIENT_SECRET) => ({
  'content-type': 'application/json',
  'x-li-signature': hmac(key, `hmacsha256=${body}`, 'hex'),
});

/** A Meta `leadgen` notification for one lead, shaped as the VERBATIM docs sample. */
const metaNotification = (leadgenId: number) =>
  JSON.stringify({
    object: 'page',
    entry: [{ id: 153125381133, time: 1772442847, changes: [{ field: 'leadgen', value: { leadgen_id: leadgenId, page_id: 123123123, form_id: 12312312312, adgroup_id: 12312312312, ad_id: 12312312312, created_time: 1772442847 } }] }],
  });

/** A Google Ads lead form delivery shaped as the VERBATIM docs sample, with int64 ids beyond 2^53. */
const googleLead = (leadId: string, email: string, extra: string = '') =>
  `{"lead_id":"${leadId}","campaign_id":23456789012345678,"adgroup_id":9223372036854775807,"creative_id":123456789012345679,` +
  `"gcl_id":"EAIaIQobChMI-gclid-${leadId}","user_column_data":[{"column_name":"Full Name","string_value":"Gil Bigint","column_id":"FULL_NAME"},` +
  `{"column_name":"User Email","string_value":"${email}","column_id":"EMAIL"},{"column_name":"Budget","string_value":"50k","column_id":"BUDGET"}],` +
  `"api_version":"1.0","form_id":98765432109876543,"google_key":"${GOOGLE_KEY}","is_test":false${extra}}`;

/** The VERBATIM Typeform sample as another submission (another event, token and person). */
const typeformVariant = (suffix: string, email: string) =>
  fixture('typeform/form_response__docs_example_payload__VERBATIM.json')
    .replace('"event_id": "LtWXD3crgy"', `"event_id": "LtWXD3crgy-${suffix}"`)
    .replace('"token": "a3a12ec67a1365927098a606107fac15"', `"token": "a3a12ec67a1365927098a606107fac15-${suffix}"`)
    .replace('laura@example.com', email);

describe('web-form sources, from the raw request to an assigned rep', () => {
  it('takes an urlencoded HTML form post to /v1/hooks/html_form with its quirks read: a Russian 8-prefixed phone, duplicated and macro UTMs', async () => {
    // The RECONSTRUCTED quirks sample; only the phone differs from Tilda's sample so that the two people stay two.
    const body = fixture('html-form/post_urlencoded_quirks__RECONSTRUCTED.txt').replace('phone=8+916+123-45-67', 'phone=8+916+765-43-21');
    const answer = await hook('web-contact', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const lead = await workedLead(onlyLeadOf(answer));
    expect(lead).toMatchObject({ provider: 'html_form', sourceId: 'web-contact', channel: 'web_form', isTest: false });
    expect(lead.person).toMatchObject({ name: "Jean-Luc O'Brien", email: 'jean+leads@example.com', phone: '+79167654321' });
    expect(lead.attribution).toMatchObject({ gbraid: '0AAAAAoQ1', yclid: '8765432109876543210', fbclid: 'IwAR0abc' });
    expect(lead.attribution.utm_campaign).not.toContain('{{');
  });

  it('takes a multipart HTML form post to /v1/hooks/html_form, the key in the URL', async () => {
    const sample = JSON.parse(fixture('html-form/post_json_fetch_variant__RECONSTRUCTED.json'));
    const form = new FormData();
    form.set('name', sample.name);
    form.set('email', sample.email);
    form.set('phone', sample.phone);
    form.set('utm_source', sample.utm.source);
    form.set('msclkid', sample.msclkid);
    form.set('page_url', sample.landing);
    const answer = await hook('web-contact', { body: form });
    const lead = await workedLead(onlyLeadOf(answer));
    expect(lead.person).toMatchObject({ name: 'Li Wei', email: 'li.wei@example.cn', phone: '+8613800138000' });
    expect(lead.attribution).toMatchObject({ utm_source: 'bing', msclkid: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6' });
  });

  it("answers Tilda's test=test connection ping with 200 and stores nothing, then takes a Tilda submission to a rep", async () => {
    const ping = await hook('tilda-landing', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fixture('tilda/connection_test_ping__DOCUMENTED.txt'),
    });
    expect(ping.status).toBe(200);
    expect(ping.text).toBe('ok');
    expect(ping.body).toBeUndefined();

    const answer = await hook('tilda-landing', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fixture('tilda/submission_urlencoded__RECONSTRUCTED.txt'),
    });
    const lead = await workedLead(onlyLeadOf(answer));
    expect(lead).toMatchObject({ provider: 'tilda', sourceId: 'tilda-landing' });
    expect(lead.person).toMatchObject({ email: 'anna@example.ru', phone: '+79161234567' });
    expect(lead.externalIds).toMatchObject({ tranid: '1234567:8901234567', formid: 'form123456789' });
    expect(lead.attribution.utm_source).toBe('yandex');
    expect(lead.answers).not.toHaveProperty('COOKIES');
  });

  it('takes the VERBATIM Typeform sample, signed base64 with the source secret, to a rep', async () => {
    const body = fixture('typeform/form_response__docs_example_payload__VERBATIM.json');
    const answer = await hook('typeform-survey', { headers: typeformHeaders(body), body });
    const lead = await workedLead(onlyLeadOf(answer));
    expect(lead).toMatchObject({ provider: 'typeform', sourceId: 'typeform-survey' });
    expect(lead.person.email).toBe('laura@example.com');
    expect(lead.externalIds).toMatchObject({ form_id: 'lT4Z3j', token: 'a3a12ec67a1365927098a606107fac15' });
  });

  it('takes the VERBATIM Webflow form_submission, signed over timestamp:body, to a rep', async () => {
    const body = fixture('webflow/form_submission_v2__docs_example__VERBATIM.json');
    const answer = await hook('webflow-site', { headers: webflowHeaders(body), body });
    const lead = await workedLead(onlyLeadOf(answer));
    expect(lead).toMatchObject({ provider: 'webflow', sourceId: 'webflow-site' });
    expect(lead.person).toMatchObject({ email: 'zaphod@heartofgold.ai', name: 'Zaphod Beeblebrox' });
    expect(lead.externalIds).toMatchObject({ submissionId: '6321ca84df3949bfc6752327', formId: '65429eadebe8a9f3a30f62d0' });
  });

  it('takes a generic signed JSON lead (HMAC of "timestamp.body") to a rep', async () => {
    const body = JSON.stringify({
      event_id: 'wp-submission-4711',
      name: 'Sam Signed',
      email: 'sam.signed@example.com',
      phone: '+1 (212) 555-0147',
      utm: { source: 'wordpress', campaign: 'autumn' },
    });
    const answer = await hook('partner-feed', { headers: signedJsonHeaders(body), body });
    const lead = await workedLead(onlyLeadOf(answer));
    expect(lead).toMatchObject({ provider: 'signed_json', sourceId: 'partner-feed' });
    expect(lead.person).toMatchObject({ email: 'sam.signed@example.com', phone: '+12125550147' });
    expect(lead.attribution).toMatchObject({ utm_source: 'wordpress', utm_campaign: 'autumn' });
  });
});

describe('ad-platform sources, from the raw request to an assigned rep', () => {
  it("answers Meta's hub.challenge handshake with the challenge as plain text, and 403 for a wrong verify token", async () => {
    const verifyToken = generated['meta-page']!.verifyToken!;
    const ok = await hook('meta-page', {
      method: 'GET',
      query: { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': verifyToken },
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    expect(ok.contentType).toMatch(/^text\/plain/);
    const wrong = await hook('meta-page', {
      method: 'GET',
      query: { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'meatyhamhock' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.text).not.toContain('1158201444');
  });

  it('takes the VERBATIM Meta leadgen notification, signed with the app secret, and reads both leads from the Graph API', async () => {
    const body = fixture('meta-leadads/leadgen_webhook__docs_sample__VERBATIM.json');
    const answer = await hook('meta-page', { headers: metaHeaders(body), body });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ ok: true, referenced: 2 });

    const joe = await workedLead(await leadIdNotifiedFor('joe@example.com'));
    expect(joe).toMatchObject({ provider: 'meta_lead_ads', sourceId: 'meta-page', channel: 'ad_form', isTest: false });
    expect(joe.person).toMatchObject({ name: 'Joe Example', email: 'joe@example.com' });
    expect(joe.answers).toMatchObject({ car_make: 'Honda', selected_dealer: '99213450' });
    expect(joe.externalIds).toMatchObject({ leadgen_id: '123123123123', page_id: '123123123', form_id: '12312312312' });
    const mia = await workedLead(await leadIdNotifiedFor('mia.example@example.com'));
    expect(mia.externalIds.leadgen_id).toBe('123123123124');

    const reads = graph.requests.filter((r) => r.path.endsWith('/123123123123'));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]!.query.access_token).toBe(META_PAGE_TOKEN);
  });

  it('keeps the VERBATIM Google "send test data" lead flagged as a test and works it with nobody', async () => {
    const body = fixture('google-ads-leadform/docs_testing_page_sample__VERBATIM.json').replace('"google_key":"testkey"', `"google_key":"${GOOGLE_KEY}"`);
    const answer = await hook('google-leadform', { headers: { 'content-type': 'application/json' }, body });
    const leadId = onlyLeadOf(answer);
    const { body: lead } = await eventually(
      () => readLead(leadId),
      (r) => r.status === 200 && ['disqualified', 'unassigned'].includes(r.body.status),
      30_000,
    );
    expect(lead).toMatchObject({ provider: 'google_ads', isTest: true });
    expect(lead.person).toMatchObject({ name: 'FirstName LastName', email: 'test@example.com', phone: '+16505550123' });
    expect(lead.externalIds).toMatchObject({ campaign_id: '123456', form_id: '123456789' });
    await new Promise((r) => setTimeout(r, 1_000));
    const after = await readLead(leadId);
    expect(after.body.ownerId).toBeUndefined();
    expect((await call('GET', '/_demo/notifications', { key: platform.credentials.adminToken })).body.some((n: any) => n.payload.leadId === leadId)).toBe(false);
  });

  it('takes a Google Ads lead with int64 ids beyond 2^53 to a rep, every id kept exact', async () => {
    const body = googleLead('TeSter-int64-ids', 'gil.bigint@example.com');
    const answer = await hook('google-leadform', { headers: { 'content-type': 'application/json' }, body });
    const lead = await workedLead(onlyLeadOf(answer));
    expect(lead).toMatchObject({ provider: 'google_ads', sourceId: 'google-leadform', isTest: false });
    expect(lead.externalIds).toMatchObject({
      lead_id: 'TeSter-int64-ids',
      campaign_id: '23456789012345678',
      adgroup_id: '9223372036854775807',
      creative_id: '123456789012345679',
      form_id: '98765432109876543',
    });
    expect(lead.attribution).toMatchObject({ campaignId: '23456789012345678', adsetId: '9223372036854775807', adId: '123456789012345679' });
    expect(lead.answers).toEqual({ Budget: '50k' });
  });

  it('takes a TikTok lead (token in the URL, TikTok-Signature over "t.body") to a rep, its int64 ids exact', async () => {
    // RECONSTRUCTED: TikTok documents the webhook envelope and signature, not the lead body.
    const content =
      '{"meta_data":{"lead_id":"7351234567890123457","advertiser_id":7012345678901234567,"campaign_id":1790123456789012345,' +
      '"adgroup_id":1790123456789012346,"ad_id":1790123456789012347,"create_time":1772442847},' +
      '"lead_data":{"Full Name":"Tia Tok","Email":"Tia.Tok@Example.com","phone_number":"+1 415 555 0143","Budget?":"10k"}}';
    // TikTok's envelope carries the lead as a JSON string in `content`.
    const body = `{"client_key":"aw_e2e","event":"lead.create","create_time":1772442847,"content":${JSON.stringify(content)}}`;
    const answer = await hook('tiktok-forms', { headers: tiktokHeaders(body), body });
    const lead = await workedLead(onlyLeadOf(answer));
    expect(lead).toMatchObject({ provider: 'tiktok', sourceId: 'tiktok-forms', channel: 'ad_form' });
    expect(lead.person).toMatchObject({ name: 'Tia Tok', email: 'tia.tok@example.com', phone: '+14155550143' });
    expect(lead.externalIds).toMatchObject({ lead_id: '7351234567890123457', advertiser_id: '7012345678901234567', ad_id: '1790123456789012347' });
    expect(lead.attribution).toMatchObject({ campaignId: '1790123456789012345', adsetId: '1790123456789012346' });
    expect(lead.answers).toEqual({ 'Budget?': '10k' });
  });

  it("answers LinkedIn's challenge with its HMAC, reads a signed CREATED lead from the API, and a DELETED notification withdraws it", async () => {
    const challenge = await hook('linkedin-forms', { method: 'GET', query: { challengeCode: 'f3a6c2d1-e2e' } });
    expect(challenge.status).toBe(200);
    expect(challenge.body).toEqual({ challengeCode: 'f3a6c2d1-e2e', challengeResponse: hmac(LINKEDIN_CLIENT_SECRET, 'f3a6c2d1-e2e', 'hex') });

    const notification = (action: 'CREATED' | 'DELETED') =>
      JSON.stringify({
        type: 'LEAD_ACTION',
        leadGenFormResponse: `urn:li:leadGenFormResponse:${LINKEDIN_LEAD_ID}`,
        leadGenForm: LINKEDIN_FORM_URN,
        owner: { sponsoredAccount: 'urn:li:sponsoredAccount:522529623' },
        associatedEntity: { sponsoredCreative: 'urn:li:sponsoredCreative:91011' },
        leadType: 'SPONSORED',
        leadAction: action,
        occurredAt: 1772442847000,
      });
    const created = notification('CREATED');
    const answer = await hook('linkedin-forms', { headers: linkedInHeaders(created), body: created });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ ok: true, referenced: 1 });

    const leadId = await leadIdNotifiedFor('bea.kim@example.org');
    const lead = await workedLead(leadId);
    expect(lead).toMatchObject({ provider: 'linkedin', sourceId: 'linkedin-forms', channel: 'ad_form' });
    expect(lead.person).toMatchObject({ name: 'Bea Kim', email: 'bea.kim@example.org' });
    expect(lead.answers).toEqual({ 'Company size': '11-50' });
    expect(lead.externalIds).toMatchObject({ lead_id: LINKEDIN_LEAD_ID, campaign: 'urn:li:sponsoredCampaign:1234567' });
    expect(linkedIn.requests.some((r) => r.headers.authorization === `Bearer ${LINKEDIN_TOKEN}`)).toBe(true);

    const deleted = notification('DELETED');
    const withdrawal = await hook('linkedin-forms', { headers: linkedInHeaders(deleted), body: deleted });
    expect(withdrawal.status, withdrawal.text).toBe(200);
    expect(withdrawal.body).toEqual({ ok: true, withdrawn: 1 });
    const { body: withdrawn } = await eventually(() => readLead(leadId), (r) => r.body.status === 'withdrawn', 30_000);
    expect(withdrawn.timeline.map((e: { type: string }) => e.type)).toContain('Lead Withdrawn');
  });
});

describe('provider retry storms', () => {
  it('turns one Meta notification delivered 10 times at once into one lead, though all 10 were read', async () => {
    const body = metaNotification(123123123125);
    const answers = await Promise.all(Array.from({ length: 10 }, () => hook('meta-page', { headers: metaHeaders(body), body })));
    for (const answer of answers) expect(answer.body, answer.text).toEqual({ ok: true, referenced: 1 });
    await eventually(async () => graph.requests.filter((r) => r.path.endsWith('/123123123125')).length, (n) => n >= 10, 30_000);
    const leadId = await leadIdNotifiedFor('rex.retry@example.com');
    await workedLead(leadId);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await notificationsFor('rex.retry@example.com')).toHaveLength(1);
  });

  it('turns one Google lead delivered 10 times at once into one lead', async () => {
    const body = googleLead('TeSter-retry-storm', 'gia.storm@example.com');
    const answers = await Promise.all(Array.from({ length: 10 }, () => hook('google-leadform', { headers: { 'content-type': 'application/json' }, body })));
    const ids = new Set(answers.map(onlyLeadOf));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.body.leads[0].duplicate === false)).toHaveLength(1);
    await workedLead([...ids][0]!);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await notificationsFor('gia.storm@example.com')).toHaveLength(1);
  });

  it('turns one Typeform event delivered 10 times at once into one lead', async () => {
    const body = typeformVariant('storm', 'tess.storm@example.com');
    const answers = await Promise.all(Array.from({ length: 10 }, () => hook('typeform-survey', { headers: typeformHeaders(body), body })));
    const ids = new Set(answers.map(onlyLeadOf));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.body.leads[0].duplicate === false)).toHaveLength(1);
    await workedLead([...ids][0]!);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await notificationsFor('tess.storm@example.com')).toHaveLength(1);
  });
});

describe('bad requests arriving at the same moment as valid leads', () => {
  it('refuses forged, malformed, mistyped and oversized requests, stores none of them, and every valid lead still reaches a rep', async () => {
    const typeformBody = typeformVariant('forged', 'fred.forged@example.com');
    const googleBody = googleLead('TeSter-forged-key', 'gus.forged@example.com');
    const forgedGoogle = googleBody.replace(GOOGLE_KEY, 'testkey');
    const metaBody = metaNotification(123123123126);
    const signedBody = JSON.stringify({ event_id: 'forged-1', email: 'sia.forged@example.com' });
    const malformedSigned = '{"email": "half@example.com",';
    const malformedTypeform = '{"event_id":"bad-1","event_type":"form_response","form_response":{"form_id":"lT4Z3j"}}';
    const noLeadId = googleLead('x', 'no-lead-id@example.com').replace('"lead_id":"x",', '');
    const webflowBody = fixture('webflow/form_submission_v2__docs_example__VERBATIM.json');
    const huge = `{"lead_id":"huge","lead_data":{"note":"${'x'.repeat(1_100_000)}"}}`;

    const bad = {
      typeformForged: hook('typeform-survey', { headers: typeformHeaders(typeformBody, 'not-the-secret'), body: typeformBody }),
      metaForged: hook('meta-page', { headers: metaHeaders(metaBody, 'not-the-app-secret'), body: metaBody }),
      googleWrongKey: hook('google-leadform', { headers: { 'content-type': 'application/json' }, body: forgedGoogle }),
      signedForged: hook('partner-feed', { headers: signedJsonHeaders(signedBody, 'not-the-secret'), body: signedBody }),
      tildaWrongToken: hook('tilda-landing', { query: { token: 'not-the-token' }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=t%40example.com' }),
      malformedJson: hook('partner-feed', { headers: signedJsonHeaders(malformedSigned), body: malformedSigned }),
      malformedTypeform: hook('typeform-survey', { headers: typeformHeaders(malformedTypeform), body: malformedTypeform }),
      googleNoLeadId: hook('google-leadform', { headers: { 'content-type': 'application/json' }, body: noLeadId }),
      webflowAsText: hook('webflow-site', { headers: { ...webflowHeaders(webflowBody), 'content-type': 'text/plain' }, body: webflowBody }),
      tiktokTooBig: hook('tiktok-forms', { headers: tiktokHeaders(huge), body: huge }),
    };
    const validEmails = Array.from({ length: 6 }, (_, i) => `burst-${i}@example.com`);
    const valid = validEmails.map((email, i) => {
      if (i % 2 === 0) {
        const body = JSON.stringify({ event_id: `burst-${i}`, name: `Burst ${i}`, email });
        return hook('partner-feed', { headers: signedJsonHeaders(body), body });
      }
      return hook('web-contact', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name: `Burst ${i}`, email }).toString() });
    });
    const names = Object.keys(bad) as Array<keyof typeof bad>;
    const [refused, validAnswers] = await Promise.all([Promise.all(names.map((name) => bad[name])), Promise.all(valid)]);
    const answers = Object.fromEntries(names.map((name, i) => [name, refused[i]!])) as Record<keyof typeof bad, HookAnswer>;

    expect(answers.typeformForged.status).toBe(401);
    expect(answers.typeformForged.body.message).toContain('Typeform-Signature does not match');
    expect(answers.metaForged.status).toBe(401);
    expect(answers.googleWrongKey.status).toBe(403);
    expect(answers.signedForged.status).toBe(401);
    expect(answers.tildaWrongToken.status).toBe(403);
    expect(answers.malformedJson.status).toBe(400);
    expect(answers.malformedJson.body).toMatchObject({ error: 'invalid_json', message: expect.stringContaining('not valid JSON') });
    expect(answers.malformedTypeform.status).toBe(400);
    expect(answers.malformedTypeform.body.fields.map((f: { field: string }) => f.field)).toContain('form_response.token');
    expect(answers.googleNoLeadId.status).toBe(400);
    expect(answers.googleNoLeadId.body.fields).toContainEqual({ field: 'lead_id', problem: 'must be a string or an integer' });
    expect(answers.webflowAsText.status).toBe(415);
    expect(answers.webflowAsText.body.message).toContain('text/plain');
    expect(answers.tiktokTooBig.status).toBe(413);
    expect(answers.tiktokTooBig.body.message).toContain('at most 1048576');

    const leadIds = validAnswers.map(onlyLeadOf);
    const owners = await Promise.all(leadIds.map(async (leadId) => (await workedLead(leadId)).person.email));
    expect(owners.sort()).toEqual([...validEmails].sort());

    // Nothing of the refused requests was kept: the same events, now signed right, are new leads.
    expect(graph.requests.some((r) => r.path.endsWith('/123123123126'))).toBe(false);
    const typeformAgain = await hook('typeform-survey', { headers: typeformHeaders(typeformBody), body: typeformBody });
    const googleAgain = await hook('google-leadform', { headers: { 'content-type': 'application/json' }, body: googleBody });
    const signedAgain = await hook('partner-feed', { headers: signedJsonHeaders(signedBody), body: signedBody });
    for (const again of [typeformAgain, googleAgain, signedAgain]) {
      expect(again.status, again.text).toBe(200);
      expect(again.body.leads[0].duplicate).toBe(false);
    }
    const metaAgain = await hook('meta-page', { headers: metaHeaders(metaBody), body: metaBody });
    expect(metaAgain.body).toEqual({ ok: true, referenced: 1 });
    await workedLead(await leadIdNotifiedFor('nora.forged@example.com'));
  });
});
