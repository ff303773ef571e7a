import { createHash, createHmac } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

/*
 * Each call provider through the running local platform: a source made with the admin API, a rep with
 * a phone or an extension, then raw provider requests signed as the provider signs them. An inbound
 * call from a new number becomes a phone lead with its tracking number's attribution; a second call is
 * a touchpoint; the rep's outbound call to the lead marks it contacted; forged, malformed and mistyped
 * requests are refused and leave nothing behind.
 */

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let admin: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  admin = platform.credentials.adminToken;
}, 260_000);

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

const run = Date.now().toString(36);
/** Each provider's source as its describe block created it. */
const contexts: Record<string, Ctx> = {};
const readLead = (leadId: string) => call('GET', `/v1/leads/${leadId}`, { key: admin });

/** A raw request as a provider sends it: method, path under the API, headers and body. */
interface RawRequest {
  method?: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

async function send(request: RawRequest) {
  const response = await fetch(`${platform.apiUrl}${request.path}`, {
    method: request.method ?? 'POST',
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}

/** Sends each group's copies at once (a provider's retry racing its original), the groups one after another. */
async function sendGroups(groups: RawRequest[][]): Promise<number[]> {
  const statuses: number[] = [];
  for (const group of groups) statuses.push(...(await Promise.all(group.map(send))).map((r) => r.status));
  return statuses;
}

const twice = (request: RawRequest) => [request, request];

async function storedCall(provider: string, callId: string): Promise<any> {
  const out = await platform.table().client.send(new GetCommand({ TableName: 'leadflow', Key: { PK: `CALL#${provider}#${callId}`, SK: 'A' } }));
  return out.Item;
}

async function touchpointsOf(contactId: string): Promise<any[]> {
  const out = await platform.table().client.send(
    new QueryCommand({
      TableName: 'leadflow',
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :touch)',
      ExpressionAttributeValues: { ':pk': `CONTACT#${contactId}`, ':touch': 'TOUCH#' },
    }),
  );
  return out.Items ?? [];
}

/** What differs between providers: how its source and rep are set up, and how it writes each request. */
interface CallProvider {
  provider: string;
  secrets?: Record<string, string>;
  defaultCountry: string;
  /** The business number the caller dials, as E.164, and the attribution it carries. */
  trackingNumber: string;
  campaign: Record<string, string>;
  /** The caller, as E.164. */
  caller: string;
  rep: { phone?: string; telephonyIds?: string[] };
  /** Appended to the source's webhook URL (Mango posts to `<url>/events/call`). */
  pathSuffix?: string;
  /** An inbound call's events, out of order (the call's last event first), each to be sent twice at once. */
  inbound(ctx: Ctx, callId: string): RawRequest[];
  /** A short second inbound call from the same number. */
  secondCall(ctx: Ctx, callId: string): RawRequest[];
  /** The rep calling the lead's number. */
  outbound(ctx: Ctx, callId: string): RawRequest[];
  /** A request whose signature or key is wrong, for a call that must never be stored. */
  forged(ctx: Ctx, callId: string): RawRequest;
  forgedStatus: number;
  /** A correctly signed request that is not a call event leadflow can read. */
  malformed(ctx: Ctx): RawRequest;
  /** A field the 400 must name. */
  malformedField: string;
  /** A request with a content type the provider never sends. */
  mistyped(ctx: Ctx): RawRequest;
}

/** A provider's source as created through the admin API. */
interface Ctx {
  sourceId: string;
  webhookUrl: string;
  path: string;
  secrets: Record<string, string>;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

// Twilio: X-Twilio-Signature = base64 HMAC-SHA1(auth token, URL + each POST param name+value, sorted by name).
function twilioRequest(ctx: Ctx, params: Record<string, string>, token = ctx.secrets.authToken!): RawRequest {
  const signed = ctx.webhookUrl + Object.keys(params).sort().map((k) => k + params[k]).join('');
  const signature = createHmac('sha1', token).update(signed).digest('base64');
  return {
    path: ctx.path,
    headers: {
      'content-type': FORM,
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': createHash('sha256').update(form(params)).digest('hex').slice(0, 32),
    },
    body: form(params),
  };
}

function twilioEvent(callSid: string, status: string, seq: number, direction: string, from: string, to: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: 'ACtest000000000000000000000000000',
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: status,
    CallbackSource: 'call-progress-events',
    Direction: direction,
    From: from,
    Caller: from,
    To: to,
    Called: to,
    SequenceNumber: String(seq),
    Timestamp: new Date().toUTCString(),
    ...extra,
  };
}

// CallRail: Signature = base64 HMAC-SHA1(signing token, raw body).
function callRailRequest(ctx: Ctx, body: unknown, token = ctx.secrets.signingToken!): RawRequest {
  const raw = JSON.stringify(body);
  return { path: ctx.path, headers: { 'content-type': 'application/json', signature: createHmac('sha1', token).update(raw).digest('base64') }, body: raw };
}

// Mango Office: a form of vpbx_api_key, json and sign = sha256 hex(api key + json + salt).
function mangoRequest(ctx: Ctx, event: unknown, overrides: { key?: string; salt?: string } = {}): RawRequest {
  const json = typeof event === 'string' ? event : JSON.stringify(event);
  const key = overrides.key ?? ctx.secrets.apiKey!;
  const sign = createHash('sha256').update(key + json + (overrides.salt ?? ctx.secrets.apiSalt!)).digest('hex');
  return { path: ctx.path, headers: { 'content-type': FORM }, body: form({ vpbx_api_key: key, sign, json }) };
}

// Zadarma: Signature = base64 of the hex HMAC-SHA1(api secret, the event's signed fields joined).
const ZADARMA_SIGNED: Record<string, string[]> = {
  NOTIFY_START: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_END: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_OUT_START: ['internal', 'destination', 'call_start'],
  NOTIFY_OUT_END: ['internal', 'destination', 'call_start'],
};
function zadarmaRequest(ctx: Ctx, fields: Record<string, string>, secret = ctx.secrets.apiSecret!): RawRequest {
  const signed = ZADARMA_SIGNED[fields.event!]!.map((name) => fields[name] ?? '').join('');
  const signature = Buffer.from(createHmac('sha1', secret).update(signed).digest('hex')).toString('base64');
  return { path: ctx.path, headers: { 'content-type': FORM, signature }, body: form(fields) };
}

/** Now on a Moscow wall clock, as Zadarma writes `call_start`. */
function moscowNow(): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Moscow', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

// The generic call webhook: X-Leadflow-Signature = sha256= hex HMAC-SHA256(secret, timestamp + "." + raw body).
function genericRequest(ctx: Ctx, body: unknown, options: { secret?: string; timestamp?: number } = {}): RawRequest {
  const raw = JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = `sha256=${createHmac('sha256', options.secret ?? ctx.secrets.signingSecret!).update(`${timestamp}.${raw}`).digest('hex')}`;
  return { path: ctx.path, headers: { 'content-type': 'application/json', 'x-leadflow-timestamp': timestamp, 'x-leadflow-signature': signature }, body: raw };
}

const providers: CallProvider[] = [
  {
    provider: 'twilio',
    secrets: { authToken: `twilio-auth-token-${run}` },
    defaultCountry: 'US',
    trackingNumber: '+14155550111',
    campaign: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'twilio-spring' },
    caller: '+14155550123',
    rep: { phone: '+14155550190' },
    inbound: (ctx, sid) => [
      twilioRequest(ctx, twilioEvent(sid, 'completed', 2, 'inbound', '+14155550123', '+14155550111', { CallDuration: '42' })),
      twilioRequest(ctx, twilioEvent(sid, 'ringing', 0, 'inbound', '+14155550123', '+14155550111')),
      twilioRequest(ctx, twilioEvent(sid, 'in-progress', 1, 'inbound', '+14155550123', '+14155550111')),
    ],
    secondCall: (ctx, sid) => [twilioRequest(ctx, twilioEvent(sid, 'no-answer', 1, 'inbound', '+14155550123', '+14155550111'))],
    // A call the rep places through Twilio from their own number (outbound-api).
    outbound: (ctx, sid) => [
      twilioRequest(ctx, twilioEvent(sid, 'in-progress', 1, 'outbound-api', '+14155550190', '+14155550123')),
      twilioRequest(ctx, twilioEvent(sid, 'initiated', 0, 'outbound-api', '+14155550190', '+14155550123')),
    ],
    forged: (ctx, sid) => twilioRequest(ctx, twilioEvent(sid, 'ringing', 0, 'inbound', '+14155550124', '+14155550111'), 'not-the-auth-token'),
    forgedStatus: 401,
    malformed: (ctx) => twilioRequest(ctx, { CallStatus: 'ringing', Direction: 'inbound', From: '+14155550125', To: '+14155550111' }),
    malformedField: 'CallSid',
    mistyped: (ctx) => ({ path: ctx.path, headers: { 'content-type': 'application/json' }, body: '{"CallSid":"CAx"}' }),
  },
  {
    provider: 'callrail',
    secrets: { signingToken: `callrail-token-${run}` },
    defaultCountry: 'US',
    trackingNumber: '+14155550211',
    campaign: { utm_source: 'bing', utm_campaign: 'callrail-brand' },
    caller: '+14155550223',
    rep: { telephonyIds: ['rep-callrail@example.com'] },
    inbound: (ctx, id) => {
      const base = {
        resource_id: id,
        direction: 'inbound',
        customer_phone_number: '+14155550223',
        tracking_phone_number: '+14155550211',
        business_phone_number: '+14155550299',
        start_time: new Date().toISOString(),
        gclid: 'EAIaIQobChMI-callrail',
      };
      // Post-call (with a duration) before pre-call.
      return [callRailRequest(ctx, { ...base, answered: true, duration: 61 }), callRailRequest(ctx, { ...base, answered: false })];
    },
    secondCall: (ctx, id) => [
      callRailRequest(ctx, { resource_id: id, direction: 'inbound', customer_phone_number: '+14155550223', tracking_phone_number: '+14155550211', answered: false, duration: 0, start_time: new Date().toISOString() }),
    ],
    outbound: (ctx, id) => [
      callRailRequest(ctx, {
        resource_id: id,
        direction: 'outbound',
        customer_phone_number: '+14155550223',
        tracking_phone_number: '+14155550211',
        agent_email: 'rep-callrail@example.com',
        answered: true,
        start_time: new Date().toISOString(),
      }),
    ],
    forged: (ctx, id) => callRailRequest(ctx, { resource_id: id, direction: 'inbound', customer_phone_number: '+14155550224', tracking_phone_number: '+14155550211' }, 'wrong-token'),
    forgedStatus: 401,
    malformed: (ctx) => callRailRequest(ctx, { resource_id: `CAL-bad-${run}`, duration: 'about a minute', customer_phone_number: '+14155550225' }),
    malformedField: 'duration',
    mistyped: (ctx) => ({ path: ctx.path, headers: { 'content-type': FORM }, body: form({ resource_id: 'CALx' }) }),
  },
  {
    provider: 'mango_office',
    secrets: { apiKey: `mango-key-${run}`, apiSalt: `mango-salt-${run}` },
    defaultCountry: 'RU',
    trackingNumber: '+74952223344',
    campaign: { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'mango-autumn' },
    caller: '+79161234567',
    rep: { telephonyIds: ['201'] },
    pathSuffix: '/events/call',
    inbound: (ctx, entry) => {
      const at = Math.floor(Date.now() / 1000);
      const from = { number: '79161234567' };
      const event = (seq: number, callState: string, extra: Record<string, unknown>) => ({
        entry_id: entry,
        call_id: `${entry}-leg1`,
        timestamp: at + seq,
        seq,
        call_state: callState,
        from,
        to: { number: '74952223344', line_number: '74952223344' },
        ...extra,
      });
      // Disconnected before Appeared, then Connected.
      return [
        mangoRequest(ctx, event(3, 'Disconnected', { location: 'abonent', to: { extension: '201', number: '74952223344', line_number: '74952223344' }, disconnect_reason: 1110 })),
        mangoRequest(ctx, event(1, 'Appeared', { location: 'ivr' })),
        mangoRequest(ctx, event(2, 'Connected', { location: 'abonent', to: { extension: '201', number: '74952223344', line_number: '74952223344' } })),
      ];
    },
    secondCall: (ctx, entry) => [
      mangoRequest(ctx, {
        entry_id: entry,
        call_id: `${entry}-leg1`,
        timestamp: Math.floor(Date.now() / 1000),
        seq: 1,
        call_state: 'Appeared',
        location: 'ivr',
        from: { number: '79161234567' },
        to: { number: '74952223344', line_number: '74952223344' },
      }),
    ],
    outbound: (ctx, entry) => {
      const at = Math.floor(Date.now() / 1000);
      const event = (seq: number, callState: string) => ({
        entry_id: entry,
        call_id: `${entry}-out`,
        timestamp: at + seq,
        seq,
        call_state: callState,
        location: 'abonent',
        from: { extension: '201', number: '74952223344' },
        to: { number: '79161234567' },
      });
      return [mangoRequest(ctx, event(2, 'Connected')), mangoRequest(ctx, event(1, 'Appeared'))];
    },
    forged: (ctx, entry) =>
      mangoRequest(ctx, { entry_id: entry, call_state: 'Appeared', seq: 1, from: { number: '79161234568' }, to: { number: '74952223344' } }, { salt: 'not-the-salt' }),
    forgedStatus: 401,
    malformed: (ctx) => mangoRequest(ctx, { entry_id: `bad-${run}`, call_state: 'Ringing', seq: 'first', from: { number: '79161234569' } }),
    malformedField: 'call_state',
    mistyped: (ctx) => ({ path: ctx.path, headers: { 'content-type': 'application/json' }, body: '{"json":"{}"}' }),
  },
  {
    provider: 'zadarma',
    secrets: { apiSecret: `zadarma-secret-${run}` },
    defaultCountry: 'RU',
    trackingNumber: '+74953334455',
    campaign: { utm_source: 'vk', utm_campaign: 'zadarma-winter', campaignId: '778899' },
    caller: '+79161112233',
    rep: { telephonyIds: ['100'] },
    inbound: (ctx, id) => {
      const start = moscowNow();
      const common = { call_start: start, pbx_call_id: id, caller_id: '79161112233', called_did: '74953334455' };
      // NOTIFY_END before NOTIFY_START.
      return [
        zadarmaRequest(ctx, { event: 'NOTIFY_END', ...common, internal: '100', duration: '37', disposition: 'answered', status_code: '16', is_recorded: '0', call_id_with_rec: '' }),
        zadarmaRequest(ctx, { event: 'NOTIFY_START', ...common }),
      ];
    },
    secondCall: (ctx, id) => [
      zadarmaRequest(ctx, { event: 'NOTIFY_START', call_start: moscowNow(), pbx_call_id: id, caller_id: '79161112233', called_did: '74953334455' }),
    ],
    outbound: (ctx, id) => {
      const common = { call_start: moscowNow(), pbx_call_id: id, internal: '100', destination: '79161112233', caller_id: '74953334455' };
      return [
        zadarmaRequest(ctx, { event: 'NOTIFY_OUT_END', ...common, duration: '20', disposition: 'answered', status_code: '16', is_recorded: '0', call_id_with_rec: '' }),
        zadarmaRequest(ctx, { event: 'NOTIFY_OUT_START', ...common }),
      ];
    },
    forged: (ctx, id) =>
      zadarmaRequest(ctx, { event: 'NOTIFY_START', call_start: moscowNow(), pbx_call_id: id, caller_id: '79161112234', called_did: '74953334455' }, 'wrong-secret'),
    forgedStatus: 401,
    // Signed, but an ended call must say how it ended.
    malformed: (ctx) =>
      zadarmaRequest(ctx, { event: 'NOTIFY_END', call_start: moscowNow(), pbx_call_id: `bad-${run}`, caller_id: '79161112235', called_did: '74953334455', duration: '3' }),
    malformedField: 'disposition',
    mistyped: (ctx) => ({ path: ctx.path, headers: { 'content-type': 'application/json' }, body: '{"event":"NOTIFY_START"}' }),
  },
  {
    provider: 'call_webhook',
    // No secret given: leadflow generates the signing secret and shows it once.
    defaultCountry: 'GB',
    trackingNumber: '+442071838700',
    campaign: { utm_source: 'facebook', utm_campaign: 'generic-summer', adId: '12345' },
    caller: '+442071838750',
    rep: { phone: '+447911123456', telephonyIds: ['agent-7'] },
    inbound: (ctx, id) => {
      const base = { callId: id, direction: 'inbound', from: '020 7183 8750', to: '+442071838700', trackingNumber: '+442071838700' };
      return [
        genericRequest(ctx, { ...base, state: 'completed', seq: 3, durationSeconds: 95 }),
        genericRequest(ctx, { ...base, state: 'ringing', seq: 1 }),
        genericRequest(ctx, { ...base, state: 'answered', seq: 2, agent: 'agent-7' }),
      ];
    },
    secondCall: (ctx, id) => [genericRequest(ctx, { callId: id, direction: 'inbound', state: 'missed', from: '+442071838750', trackingNumber: '+442071838700' })],
    outbound: (ctx, id) => [genericRequest(ctx, { callId: id, direction: 'outbound', state: 'answered', from: '+447911123456', to: '+442071838750' })],
    forged: (ctx, id) =>
      genericRequest(ctx, { callId: id, direction: 'inbound', state: 'ringing', from: '+442071838751' }, { secret: 'a-secret-nobody-was-given' }),
    forgedStatus: 401,
    malformed: (ctx) => genericRequest(ctx, { callId: `bad-${run}`, direction: 'sideways', state: 'ringing', from: '+442071838752', colour: 'blue' }),
    malformedField: 'direction',
    mistyped: (ctx) => ({ path: ctx.path, headers: { 'content-type': 'text/plain' }, body: '{}' }),
  },
];

describe.each(providers)('$provider calls, end to end', (p) => {
  const teamId = `calls-${p.provider.replace(/_/g, '-')}`;
  const repId = `${teamId}-rep`;
  const ctx = {} as Ctx;
  contexts[p.provider] = ctx;
  let repToken: string;
  let leadId: string;
  const firstCall = `${p.provider}-first-${run}`;
  const forgedCall = `${p.provider}-forged-${run}`;

  const repLeads = async () => ((await call('GET', '/v1/rep/leads', { key: repToken })).body.leads as Array<{ leadId: string }>);

  it('creates a team, a rep with their phone or extension, and a source with tracking numbers through the admin API', async () => {
    expect((await call('POST', '/v1/admin/teams', { key: admin, json: { teamId, name: `${p.provider} callers`, strategy: 'round_robin' } })).status).toBe(201);
    const rep = await call('POST', '/v1/admin/reps', {
      key: admin,
      json: { repId, teamId, name: `${p.provider} rep`, webhookUrl: `${platform.apiUrl}/_demo/reps/${repId}/notifications`, ...p.rep },
    });
    expect(rep.status).toBe(201);
    expect(rep.body).toMatchObject(p.rep);
    repToken = (await call('POST', `/v1/admin/reps/${repId}/token`, { key: admin })).body.token;

    const sourceId = `${teamId}-line`;
    const created = await call('POST', '/v1/admin/sources', {
      key: admin,
      json: {
        sourceId,
        name: `${p.provider} line`,
        provider: p.provider,
        teamId,
        defaultCountry: p.defaultCountry,
        trackingNumbers: { [p.trackingNumber]: p.campaign },
        ...(p.secrets ? { secrets: p.secrets } : {}),
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.webhookUrl).toBe(`${platform.apiUrl}/v1/hooks/${p.provider}/${sourceId}`);
    expect(created.body.secrets.every((s: { required: boolean; set: boolean }) => !s.required || s.set)).toBe(true);
    Object.assign(ctx, {
      sourceId,
      webhookUrl: created.body.webhookUrl + (p.pathSuffix ?? ''),
      path: new URL(created.body.webhookUrl + (p.pathSuffix ?? '')).pathname,
      secrets: { ...p.secrets, ...created.body.generatedSecrets },
    });
  });

  it('refuses a forged request, a malformed one and one of the wrong content type', async () => {
    const forged = await send(p.forged(ctx, forgedCall));
    expect(forged.status).toBe(p.forgedStatus);
    const malformed = await send(p.malformed(ctx));
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f: { field: string }) => f.field)).toContain(p.malformedField);
    const mistyped = await send(p.mistyped(ctx));
    expect(mistyped.status).toBe(415);
  });

  it('makes one assigned phone lead with the tracking number\'s attribution from a new caller\'s events, out of order and each sent twice at once', async () => {
    const statuses = await sendGroups(p.inbound(ctx, firstCall).map(twice));
    expect(statuses.every((s) => s === 200)).toBe(true);

    // Every event of the call ends up in its record, whatever order they came in (the later ones may be
    // merged after the first made the lead).
    const events = p.inbound(ctx, firstCall).length;
    const stored = await eventually(
      () => storedCall(p.provider, firstCall),
      (c) => c?.outcome?.kind === 'new-lead' && c.record.eventIds.length === events,
    );
    leadId = stored.outcome.leadId;
    const { body: lead } = await eventually(() => readLead(leadId), (r) => r.status === 200 && Boolean(r.body.notifiedAt), 20_000);
    expect(lead).toMatchObject({
      channel: 'phone',
      provider: p.provider,
      sourceId: ctx.sourceId,
      person: { phone: p.caller },
      externalIds: { callId: firstCall, trackingNumber: p.trackingNumber },
      teamId,
      ownerId: repId,
    });
    expect(lead.attribution).toMatchObject(p.campaign);
    if (p.provider === 'callrail') expect(lead.attribution.gclid).toBe('EAIaIQobChMI-callrail');
    expect(stored.record.eventIds).toHaveLength(events);
    expect(['completed', 'answered']).toContain(stored.record.state);
    expect((await repLeads()).map((l) => l.leadId)).toEqual([leadId]);
  });

  it('adds a touchpoint and a Call Received entry, and no new lead, for a later call from the same number', async () => {
    const secondCall = `${p.provider}-second-${run}`;
    const statuses = await sendGroups(p.secondCall(ctx, secondCall).map(twice));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const stored = await eventually(() => storedCall(p.provider, secondCall), (c) => Boolean(c?.outcome));
    expect(stored.outcome.kind).toBe('touchpoint');
    const { body: lead } = await eventually(
      () => readLead(leadId),
      (r) => r.body.timeline.some((e: any) => e.type === 'Call Received' && e.detail.callId === secondCall),
    );
    expect(lead.timeline.filter((e: any) => e.type === 'Call Received').map((e: any) => e.detail.callId)).toEqual([secondCall]);
    const touches = await touchpointsOf(lead.contactId);
    expect(touches.filter((t) => t.kind === 'call').map((t) => t.callId)).toEqual([secondCall]);
    expect((await repLeads()).map((l) => l.leadId)).toEqual([leadId]);
  });

  it('marks the lead contacted, with the time from capture, when its rep calls the lead\'s number', async () => {
    const outCall = `${p.provider}-out-${run}`;
    const statuses = await sendGroups(p.outbound(ctx, outCall).map(twice));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const { body: lead } = await eventually(() => readLead(leadId), (r) => r.body.status === 'contacted', 20_000);
    expect(lead.captureToContactMs).toBeGreaterThanOrEqual(0);
    expect(lead.captureToContactMs).toBeLessThan(120_000);
    expect(Date.parse(lead.contactedAt)).toBeGreaterThanOrEqual(Date.parse(lead.capturedAt) - 1000);
    // The call remembers what it meant once it has acted, which is just after the lead changed.
    const stored = await eventually(() => storedCall(p.provider, outCall), (c) => Boolean(c?.outcome));
    expect(stored.outcome).toMatchObject({ kind: 'contacted', leadId });
    expect(lead.timeline.filter((e: any) => e.type === 'Lead Status Changed' && e.detail.to === 'contacted')).toHaveLength(1);
    expect((await repLeads()).map((l) => l.leadId)).toEqual([leadId]);
  });

  it('stored nothing for the forged request', async () => {
    expect(await storedCall(p.provider, forgedCall)).toBeUndefined();
  });
});

describe('call provider handshakes and extra checks', () => {
  it('answers Zadarma\'s zd_echo check with the echo as plain text, and 400 without one', async () => {
    const path = '/v1/hooks/zadarma/calls-zadarma-line';
    const echo = await send({ method: 'GET', path: `${path}?zd_echo=${run}-echo`, headers: {} });
    expect(echo.status).toBe(200);
    expect(echo.text).toBe(`${run}-echo`);
    expect((await send({ method: 'GET', path, headers: {} })).status).toBe(400);
  });

  it('answers 403 to a Mango Office event carrying another PBX\'s API key, signed correctly with it', async () => {
    const ctx = contexts.mango_office!;
    const other = { key: 'another-pbx-key', salt: ctx.secrets.apiSalt! };
    const refused = await send(mangoRequest(ctx, { entry_id: `other-${run}`, call_state: 'Appeared', from: { number: '79160000001' } }, other));
    expect(refused.status).toBe(403);
    expect(await storedCall('mango_office', `other-${run}`)).toBeUndefined();
  });

  it('refuses a Twilio request signed for another URL, and a generic call event signed correctly but long ago', async () => {
    const twilio = contexts.twilio!;
    const elsewhere: Ctx = { ...twilio, webhookUrl: `https://example.com${twilio.path}` };
    const moved = await send(twilioRequest(elsewhere, twilioEvent(`CAmoved${run}`, 'ringing', 0, 'inbound', '+14155550126', '+14155550111')));
    expect(moved.status).toBe(401);
    expect(await storedCall('twilio', `CAmoved${run}`)).toBeUndefined();

    const generic = contexts.call_webhook!;
    const stale = await send(
      genericRequest(generic, { callId: `stale-${run}`, direction: 'inbound', state: 'ringing', from: '+442071838753' }, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect(stale.status).toBe(401);
    expect(stale.body.message).toContain('away from now');
    expect(await storedCall('call_webhook', `stale-${run}`)).toBeUndefined();
  });
});
