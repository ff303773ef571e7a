import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { genericCallAdapter } from '../../../shared/sources/generic-call.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { inboundRequest } from '../../support/inbound-request.js';
import { clientErrorOf } from './inbound-request.js';

const SECRET = 'a-long-random-shared-secret-for-tests-only';
const source: SourceContext = { sourceId: 'src-1', defaultCountry: 'US', secrets: { signingSecret: SECRET } };
const NOW = new Date('2026-03-02T12:00:00Z');
const NOW_S = String(NOW.getTime() / 1000);

function signedRequest(body: string, options: { timestamp?: string; secret?: string; signature?: string } = {}) {
  const timestamp = options.timestamp ?? NOW_S;
  const signature = options.signature ?? `sha256=${createHmac('sha256', options.secret ?? SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
  return inboundRequest({ body, receivedAt: NOW, headers: { 'X-Leadflow-Timestamp': timestamp, 'X-Leadflow-Signature': signature } });
}

function firstCall(body: object) {
  const request = signedRequest(JSON.stringify(body));
  genericCallAdapter.verify(request, source);
  const delivery = genericCallAdapter.parse(request, source);
  if (delivery.kind !== 'calls') throw new Error(`expected calls, got ${delivery.kind}`);
  return delivery.calls[0]!;
}

describe('generic call webhook: signature', () => {
  const body = JSON.stringify({ callId: 'c1', direction: 'inbound', state: 'ringing' });

  it('accepts HMAC-SHA256 over timestamp + "." + raw body', () => {
    expect(() => genericCallAdapter.verify(signedRequest(body), source)).not.toThrow();
  });

  it('returns 401 when signed with another secret', () => {
    expect(clientErrorOf(() => genericCallAdapter.verify(signedRequest(body, { secret: 'other' }), source)).statusCode).toBe(401);
  });

  it('returns 401 when the timestamp is more than 300 s from the receive time, even if signed', () => {
    const stale = String(NOW.getTime() / 1000 - 301);
    expect(clientErrorOf(() => genericCallAdapter.verify(signedRequest(body, { timestamp: stale }), source)).message).toContain('300 s');
    const fresh = String(NOW.getTime() / 1000 - 299);
    expect(() => genericCallAdapter.verify(signedRequest(body, { timestamp: fresh }), source)).not.toThrow();
  });

  it('returns 401 when a header is missing or the timestamp is not unix seconds', () => {
    const missing = inboundRequest({ body, receivedAt: NOW, headers: { 'X-Leadflow-Timestamp': NOW_S } });
    expect(clientErrorOf(() => genericCallAdapter.verify(missing, source)).message).toContain('X-Leadflow-Signature');
    expect(clientErrorOf(() => genericCallAdapter.verify(signedRequest(body, { timestamp: '2026-03-02T12:00:00Z' }), source)).statusCode).toBe(401);
  });

  it('returns 401 when the signature lacks its sha256= prefix', () => {
    const bare = createHmac('sha256', SECRET).update(`${NOW_S}.${body}`).digest('hex');
    expect(clientErrorOf(() => genericCallAdapter.verify(signedRequest(body, { signature: bare }), source)).statusCode).toBe(401);
  });
});

describe('generic call webhook: parsing', () => {
  it('reads a full event, phones to E.164 in the source country, attribution from fields and landing page', () => {
    const call = firstCall({
      callId: 'c1', eventId: 'e1', direction: 'inbound', state: 'completed', seq: 4, occurredAt: '2026-03-02T13:00:00+01:00',
      from: '(650) 555-0123', to: '+1 650 253 0000', trackingNumber: '+16502530000', agent: 'ext-12', durationSeconds: 93,
      recordingUrl: 'https://pbx.example.com/rec/1.mp3', utm_source: 'google', landingPage: 'https://acme.example/?gclid=abc', isTest: true,
    });
    expect(call).toEqual({
      provider: 'call_webhook', callId: 'c1', eventId: 'e1', direction: 'inbound', state: 'completed', seq: 4,
      occurredAt: '2026-03-02T12:00:00.000Z', from: '+16505550123', to: '+16502530000', trackingNumber: '+16502530000',
      agent: 'ext-12', durationSeconds: 93, recordingUrl: 'https://pbx.example.com/rec/1.mp3',
      attribution: { utm_source: 'google', gclid: 'abc', landingPage: 'https://acme.example/?gclid=abc' }, isTest: true,
    });
  });

  it('derives a stable event id and uses the receive time when the sender gives none', () => {
    const call = firstCall({ callId: 'c2', direction: 'outbound', state: 'answered' });
    expect(call.eventId).toBe('c2:answered:-');
    expect(call.occurredAt).toBe(NOW.toISOString());
  });

  it('returns 400 naming each bad, missing or unknown field at once', () => {
    const body = JSON.stringify({ direction: 'sideways', state: 'done', seq: -1, occurredAt: '2026-03-02 12:00', durationSeconds: 1.5, colour: 'red' });
    const error = clientErrorOf(() => genericCallAdapter.parse(signedRequest(body), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field).sort()).toEqual(['callId', 'colour', 'direction', 'durationSeconds', 'occurredAt', 'seq', 'state']);
  });

  it('returns 400 naming phones and URLs that cannot be read', () => {
    const body = JSON.stringify({ callId: 'c3', direction: 'inbound', state: 'ringing', from: 'hidden', recordingUrl: 'ftp://x/1.mp3' });
    const error = clientErrorOf(() => genericCallAdapter.parse(signedRequest(body), source));
    expect(error.fields).toEqual([
      { field: 'from', problem: '"hidden" is not a valid phone number' },
      { field: 'recordingUrl', problem: 'must be an http or https URL' },
    ]);
  });

  it('returns 400 when the body is not one JSON object', () => {
    expect(clientErrorOf(() => genericCallAdapter.parse(signedRequest('[]'), source)).statusCode).toBe(400);
    expect(clientErrorOf(() => genericCallAdapter.parse(signedRequest('nope'), source)).statusCode).toBe(400);
  });
});
