import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webflowAdapter } from '../../../shared/sources/webflow.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { clientErrorOf, fixture, inboundRequest } from './inbound-request.js';

const SAMPLE = 'form_submission_v2__docs_example__VERBATIM.json';
const SECRET = 'dummy_webflow_webhook_secret_do_not_use';
const sampleBody = fixture(`webflow/${SAMPLE}`);
const vectors = JSON.parse(fixture('webflow/headers.json').toString('utf8')).per_file_computed[SAMPLE];
const TIMESTAMP: string = vectors['x-webflow-timestamp'];
/** The vector's timestamp is 1772445600000; the request "arrives" a few seconds later. */
const receivedAt = new Date(Number(TIMESTAMP) + 3_000);
const source: SourceContext = { sourceId: 'src-webflow', secrets: { secret: SECRET } };

function webflowRequest(raw: Buffer | string, headers: Record<string, string>, at = receivedAt) {
  return inboundRequest({ raw, headers, receivedAt: at });
}

function signed(raw: string, timestamp = String(receivedAt.getTime())) {
  const signature = createHmac('sha256', SECRET).update(`${timestamp}:${raw}`).digest('hex');
  return webflowRequest(raw, { 'x-webflow-timestamp': timestamp, 'x-webflow-signature': signature });
}

describe('webflow adapter: authenticity', () => {
  it('accepts the verbatim documentation payload signed over its exact bytes', () => {
    const request = webflowRequest(sampleBody, {
      'x-webflow-timestamp': TIMESTAMP,
      'x-webflow-signature': vectors['x-webflow-signature_over_raw_bytes'],
    });
    expect(() => webflowAdapter.verify(request, source)).not.toThrow();
  });

  it('returns 401 for the signature over JSON.stringify of the body, which is not what was sent', () => {
    const request = webflowRequest(sampleBody, {
      'x-webflow-timestamp': TIMESTAMP,
      'x-webflow-signature': vectors['x-webflow-signature_over_JSON.stringify_compact'],
    });
    expect(clientErrorOf(() => webflowAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('accepts the compact vector when the compact bytes are what was sent', () => {
    const compact = JSON.stringify(JSON.parse(sampleBody.toString('utf8')));
    const request = webflowRequest(compact, {
      'x-webflow-timestamp': TIMESTAMP,
      'x-webflow-signature': vectors['x-webflow-signature_over_JSON.stringify_compact'],
    });
    expect(() => webflowAdapter.verify(request, source)).not.toThrow();
  });

  it('returns 401 when the timestamp was changed, since it is part of what is signed', () => {
    const request = webflowRequest(sampleBody, {
      'x-webflow-timestamp': String(Number(TIMESTAMP) + 1),
      'x-webflow-signature': vectors['x-webflow-signature_over_raw_bytes'],
    });
    expect(clientErrorOf(() => webflowAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 when a correctly signed request is older than 5 minutes', () => {
    const headers = { 'x-webflow-timestamp': TIMESTAMP, 'x-webflow-signature': vectors['x-webflow-signature_over_raw_bytes'] };
    const justInTime = webflowRequest(sampleBody, headers, new Date(Number(TIMESTAMP) + 300_000));
    expect(() => webflowAdapter.verify(justInTime, source)).not.toThrow();
    const stale = webflowRequest(sampleBody, headers, new Date(Number(TIMESTAMP) + 300_001));
    const error = clientErrorOf(() => webflowAdapter.verify(stale, source));
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain('timestamp');
  });

  it('returns 401 when a signed source receives a request without signature headers', () => {
    expect(clientErrorOf(() => webflowAdapter.verify(webflowRequest(sampleBody, {}), source)).statusCode).toBe(401);
    const noTimestamp = webflowRequest(sampleBody, { 'x-webflow-signature': vectors['x-webflow-signature_over_raw_bytes'] });
    expect(clientErrorOf(() => webflowAdapter.verify(noTimestamp, source)).statusCode).toBe(401);
  });

  it('returns 401 when the timestamp is not milliseconds', () => {
    const request = webflowRequest(sampleBody, { 'x-webflow-timestamp': '1.7e12', 'x-webflow-signature': 'ab' });
    expect(clientErrorOf(() => webflowAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('accepts unsigned requests for a source configured without a secret, as dashboard webhooks are unsigned', () => {
    expect(() => webflowAdapter.verify(webflowRequest(sampleBody, {}), { sourceId: 's', secrets: {} })).not.toThrow();
  });
});

describe('webflow adapter: submissions', () => {
  it('reads the verbatim documentation payload, keeping its invalid numeric phone as written', () => {
    const delivery = webflowAdapter.parse(webflowRequest(sampleBody, {}), source);
    expect(delivery).toEqual({
      kind: 'leads',
      rejected: [],
      leads: [
        {
          channel: 'web_form',
          provider: 'webflow',
          externalIds: {
            submissionId: '6321ca84df3949bfc6752327',
            formId: '65429eadebe8a9f3a30f62d0',
            siteId: '65427cf400e02b306eaa049c',
          },
          // +1 555 000 0000 is not a valid North American number, so it stays raw.
          person: {
            firstName: 'Zaphod',
            lastName: 'Beeblebrox',
            name: 'Zaphod Beeblebrox',
            email: 'zaphod@heartofgold.ai',
            phoneRaw: '15550000000',
          },
          answers: {},
          attribution: { formId: '65429eadebe8a9f3a30f62d0' },
          isTest: false,
          idempotencyKey: '6321ca84df3949bfc6752327',
        },
      ],
    });
  });

  it('reads a phone sent as a JSON number with the source default country', () => {
    const body = JSON.stringify({ triggerType: 'form_submission', payload: { id: 's1', data: { Phone: 89161234567, Plan: 'pro' } } });
    const delivery = webflowAdapter.parse(signed(body), { ...source, defaultCountry: 'RU' });
    expect(delivery.kind === 'leads' && delivery.leads[0]).toMatchObject({
      person: { phone: '+79161234567' },
      answers: { Plan: 'pro' },
    });
  });

  it('reads the v1 body shape that dashboard webhooks send', () => {
    const body = JSON.stringify({
      name: 'Sample Form',
      site: '62749158efef318abc8d5a0f',
      data: { name: 'Some One', email: 'some.one@home.com', Subscribe: true },
      d: '2022-09-14T12:35:16.117Z',
      _id: '6321ca84df3949bfc6752327',
    });
    const delivery = webflowAdapter.parse(webflowRequest(body, {}), { sourceId: 's', secrets: {} });
    expect(delivery.kind === 'leads' && delivery.leads[0]).toMatchObject({
      person: { name: 'Some One', email: 'some.one@home.com' },
      answers: { Subscribe: 'true' },
      externalIds: { submissionId: '6321ca84df3949bfc6752327', siteId: '62749158efef318abc8d5a0f' },
      idempotencyKey: '6321ca84df3949bfc6752327',
    });
  });

  it('acknowledges other trigger types without a lead', () => {
    const body = JSON.stringify({ triggerType: 'site_publish', payload: { domains: [] } });
    expect(webflowAdapter.parse(signed(body), source)).toEqual({
      kind: 'ignored',
      reason: 'Webflow site_publish events carry no form submission',
    });
  });

  it('returns 400 naming payload.data when a form submission has no data', () => {
    const body = JSON.stringify({ triggerType: 'form_submission', payload: { id: 'x' } });
    const error = clientErrorOf(() => webflowAdapter.parse(signed(body), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field)).toEqual(['payload.data']);
  });
});
