import { describe, expect, it } from 'vitest';
import { zadarmaAdapter, zadarmaSignature, zadarmaTimeToUtc } from '../../../shared/sources/zadarma.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { inboundRequest, providerSample } from '../../support/inbound-request.js';
import { clientErrorOf } from './inbound-request.js';

const FORM = 'application/x-www-form-urlencoded';
const SECRET = 'dummy_api_secret_do_not_use';
const source: SourceContext = { sourceId: 'src-1', secrets: { apiSecret: SECRET } };
const sampleBody = providerSample('zadarma/notify_start__RECONSTRUCTED.txt').toString('utf8');
const vector = JSON.parse(providerSample('zadarma/headers.json').toString('utf8')).per_file['notify_start__RECONSTRUCTED.txt'];
const RECEIVED = new Date('2026-03-02T12:10:00Z');

function notification(fields: Record<string, string>, signed: string) {
  return inboundRequest({ body: new URLSearchParams(fields).toString(), mediaType: FORM, receivedAt: RECEIVED, headers: { Signature: zadarmaSignature(SECRET, signed) } });
}

function firstCall(request: ReturnType<typeof inboundRequest>, context = source) {
  zadarmaAdapter.verify(request, context);
  const delivery = zadarmaAdapter.parse(request, context);
  if (delivery.kind !== 'calls') throw new Error(`expected calls, got ${delivery.kind}`);
  return delivery.calls[0]!;
}

describe('zadarma adapter: echo handshake', () => {
  it('answers GET ?zd_echo=X with 200 text/plain X', () => {
    const request = inboundRequest({ method: 'GET', url: 'https://intake.example.com/v1/hooks/zadarma/src-1?zd_echo=8fd2a1' });
    expect(zadarmaAdapter.handshake!(request, source)).toEqual({ kind: 'reply', statusCode: 200, contentType: 'text/plain', body: '8fd2a1' });
  });

  it('returns 400 for a GET without zd_echo', () => {
    const request = inboundRequest({ method: 'GET' });
    expect(clientErrorOf(() => zadarmaAdapter.handshake!(request, source)).statusCode).toBe(400);
  });
});

describe('zadarma adapter: signature', () => {
  it('accepts the computed vector: base64 of the hex HMAC-SHA1 of caller_id + called_did + call_start', () => {
    expect(zadarmaSignature(SECRET, vector.string_to_sign)).toBe(vector.Signature);
    const request = inboundRequest({ body: sampleBody, mediaType: FORM, headers: { Signature: vector.Signature } });
    expect(() => zadarmaAdapter.verify(request, source)).not.toThrow();
  });

  it('returns 401 when a signed field differs from what was signed', () => {
    const request = inboundRequest({ body: sampleBody.replace('caller_id=79161234567', 'caller_id=79160000000'), mediaType: FORM, headers: { Signature: vector.Signature } });
    expect(clientErrorOf(() => zadarmaAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 when the Signature header is missing', () => {
    expect(clientErrorOf(() => zadarmaAdapter.verify(inboundRequest({ body: sampleBody, mediaType: FORM }), source)).message).toContain('Signature header is missing');
  });

  it('returns 401 for a notification leadflow cannot verify', () => {
    const request = notification({ event: 'NOTIFY_IVR', pbx_call_id: 'in_1' }, '');
    expect(clientErrorOf(() => zadarmaAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('verifies an outgoing call end over internal + destination + call_start', () => {
    const fields = { event: 'NOTIFY_OUT_END', call_start: '2026-03-02 15:04:05', pbx_call_id: 'out_1', internal: '100', destination: '79161234567', duration: '42', disposition: 'answered' };
    expect(() => zadarmaAdapter.verify(notification(fields, '100791612345672026-03-02 15:04:05'), source)).not.toThrow();
    expect(clientErrorOf(() => zadarmaAdapter.verify(notification(fields, '79161234567' + '2026-03-02 15:04:05'), source)).statusCode).toBe(401);
  });
});

describe('zadarma adapter: parsing', () => {
  it('reads the NOTIFY_START sample as a ringing inbound call, call_start in Moscow time by default', () => {
    const request = inboundRequest({ body: sampleBody, mediaType: FORM, headers: { Signature: vector.Signature }, receivedAt: RECEIVED });
    expect(firstCall(request)).toEqual({
      provider: 'zadarma',
      callId: 'in_3a9f0c1e2d4b5a6978877665544332211',
      eventId: 'in_3a9f0c1e2d4b5a6978877665544332211:NOTIFY_START:',
      direction: 'inbound',
      state: 'ringing',
      occurredAt: '2026-03-02T12:04:05.000Z',
      from: '+79161234567',
      to: '+74951234567',
      trackingNumber: '+74951234567',
      attribution: {},
      isTest: false,
    });
  });

  it("reads call_start in the source's configured timeZone", () => {
    const request = inboundRequest({ body: sampleBody, mediaType: FORM, headers: { Signature: vector.Signature } });
    expect(firstCall(request, { ...source, secrets: { ...source.secrets, timeZone: 'Europe/Berlin' } }).occurredAt).toBe('2026-03-02T14:04:05.000Z');
  });

  it('converts wall times across a daylight-saving change', () => {
    expect(zadarmaTimeToUtc('2026-07-01 12:00:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(zadarmaTimeToUtc('2026-01-01 12:00:00', 'America/New_York')).toBe('2026-01-01T17:00:00.000Z');
    expect(zadarmaTimeToUtc('2026-02-30 12:00:00', 'UTC')).toBeUndefined();
  });

  it.each([
    ['answered', 'completed'], ['busy', 'missed'], ['cancel', 'missed'], ['no answer', 'missed'], ['failed', 'failed'], ['no money', 'failed'],
  ])('maps a NOTIFY_END disposition of "%s" to %s, with duration and the answering extension', (disposition, state) => {
    const fields = { event: 'NOTIFY_END', call_start: '2026-03-02 15:04:05', pbx_call_id: 'in_2', caller_id: '79161234567', called_did: '74951234567', internal: '101', duration: '35', disposition, is_recorded: '0' };
    const call = firstCall(notification(fields, '79161234567749512345672026-03-02 15:04:05'));
    expect(call).toMatchObject({ state, durationSeconds: 35, agent: '101', occurredAt: RECEIVED.toISOString() });
  });

  it('reads an outgoing call start with the extension as agent and the destination as called party', () => {
    const fields = { event: 'NOTIFY_OUT_START', call_start: '2026-03-02 15:04:05', pbx_call_id: 'out_3', internal: '100', destination: '89161234567' };
    expect(firstCall(notification(fields, '100891612345672026-03-02 15:04:05'), { ...source, defaultCountry: 'RU' })).toMatchObject({ direction: 'outbound', state: 'ringing', agent: '100', to: '+79161234567' });
  });

  it('acknowledges a NOTIFY_RECORD without storing a call', () => {
    const request = notification({ event: 'NOTIFY_RECORD', pbx_call_id: 'in_2', call_id_with_rec: '1772442245.123' }, 'in_21772442245.123');
    zadarmaAdapter.verify(request, source);
    expect(zadarmaAdapter.parse(request, source).kind).toBe('ignored');
  });

  it('returns 400 naming pbx_call_id, call_start and disposition when they are bad', () => {
    const request = notification({ event: 'NOTIFY_END', call_start: 'yesterday' }, '');
    const error = clientErrorOf(() => zadarmaAdapter.parse(request, source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field)).toEqual(['pbx_call_id', 'call_start', 'disposition']);
  });
});
