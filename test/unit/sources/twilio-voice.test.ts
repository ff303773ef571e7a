import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { twilioStringToSign, twilioVoiceAdapter } from '../../../shared/sources/twilio-voice.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { inboundRequest, providerSample } from '../../support/inbound-request.js';
import { clientErrorOf } from './inbound-request.js';

const FORM = 'application/x-www-form-urlencoded';
const vector = JSON.parse(providerSample('twilio-voice/headers.json').toString('utf8')).documented_signature_test_vector;
const source: SourceContext = { sourceId: 'src-1', defaultCountry: 'GB', secrets: { authToken: vector.auth_token } };
const URL_CONFIGURED = 'https://intake.example.com/v1/hooks/twilio/src-1';

function sign(url: string, body: string, token = vector.auth_token): string {
  return createHmac('sha1', token).update(twilioStringToSign(url, new URLSearchParams(body))).digest('base64');
}

function twilioRequest(body: string, headers: Record<string, string> = {}, url = URL_CONFIGURED) {
  return inboundRequest({ url, body, mediaType: FORM, headers: { 'X-Twilio-Signature': sign(url, body), ...headers } });
}

function firstCall(body: string, headers: Record<string, string> = {}) {
  const delivery = twilioVoiceAdapter.parse(twilioRequest(body, headers), source);
  if (delivery.kind !== 'calls') throw new Error(`expected calls, got ${delivery.kind}`);
  return delivery.calls[0]!;
}

describe('twilio voice adapter: signature', () => {
  it("builds Twilio's documented string to sign and accepts its documented signature", () => {
    const body = new URLSearchParams(vector.params).toString();
    expect(twilioStringToSign(vector.url, new URLSearchParams(body))).toBe(vector.string_to_sign);
    const request = inboundRequest({ url: vector.url, body, mediaType: FORM, headers: { 'X-Twilio-Signature': vector['expected_X-Twilio-Signature'] } });
    expect(() => twilioVoiceAdapter.verify(request, source)).not.toThrow();
  });

  it('returns 401 when the signature was made for another URL', () => {
    const body = new URLSearchParams(vector.params).toString();
    const request = inboundRequest({ url: 'https://mycompany.com/myapp.php?foo=1&bar=3', body, mediaType: FORM, headers: { 'X-Twilio-Signature': vector['expected_X-Twilio-Signature'] } });
    expect(clientErrorOf(() => twilioVoiceAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 when a parameter was changed after signing', () => {
    const body = new URLSearchParams({ ...vector.params, Digits: '9999' }).toString();
    const request = inboundRequest({ url: vector.url, body, mediaType: FORM, headers: { 'X-Twilio-Signature': vector['expected_X-Twilio-Signature'] } });
    expect(clientErrorOf(() => twilioVoiceAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 naming the header when X-Twilio-Signature is missing', () => {
    const request = inboundRequest({ url: vector.url, body: 'CallSid=CA1', mediaType: FORM });
    const error = clientErrorOf(() => twilioVoiceAdapter.verify(request, source));
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain('X-Twilio-Signature');
  });

  it('returns 401 when the source has no auth token configured', () => {
    const request = twilioRequest('CallSid=CA1');
    expect(clientErrorOf(() => twilioVoiceAdapter.verify(request, { ...source, secrets: {} })).statusCode).toBe(401);
  });

  it('accepts a signature made over the URL with the default port written out, as some Twilio consoles do', () => {
    const body = 'CallSid=CA1&CallStatus=ringing';
    const signedWithPort = sign('https://intake.example.com:443/v1/hooks/twilio/src-1', body);
    const request = inboundRequest({ url: URL_CONFIGURED, body, mediaType: FORM, headers: { 'X-Twilio-Signature': signedWithPort } });
    expect(() => twilioVoiceAdapter.verify(request, source)).not.toThrow();
  });
});

describe('twilio voice adapter: parsing', () => {
  it('reads the verbatim completed outbound status callback with its duration, sequence and timestamp', () => {
    const body = providerSample('twilio-voice/status_callback_completed_outbound__VERBATIM.txt').toString('utf8');
    expect(() => twilioVoiceAdapter.verify(twilioRequest(body), source)).not.toThrow();
    expect(firstCall(body)).toEqual({
      provider: 'twilio',
      callId: 'CAbe982f58915a2def4cf7aaa1f1766236',
      eventId: 'CAbe982f58915a2def4cf7aaa1f1766236:completed:3',
      direction: 'outbound',
      state: 'completed',
      seq: 3,
      occurredAt: '2018-03-25T09:53:19.000Z',
      from: '+16466063895',
      to: '+551135892112',
      durationSeconds: 49,
      attribution: {},
      isTest: false,
    });
  });

  it('reads an inbound ringing call with To as the tracking number, at the time it was received', () => {
    const body = providerSample('twilio-voice/incoming_call_webhook__RECONSTRUCTED.txt').toString('utf8');
    const call = firstCall(body);
    expect(call).toMatchObject({ direction: 'inbound', state: 'ringing', to: '+442071838750', trackingNumber: '+442071838750' });
    expect(call.occurredAt).toBe('2026-03-02T09:15:00.000Z');
    // The sample's caller is in Ofcom's 07700 900 range, reserved for drama: not a number anyone has.
    expect(call.from).toBeUndefined();
  });

  it('reads the caller of an inbound call as E.164', () => {
    const call = firstCall('CallSid=CA2&CallStatus=ringing&Direction=inbound&From=%2B442079460123&To=%2B442071838750');
    expect(call.from).toBe('+442079460123');
  });

  it('uses I-Twilio-Idempotency-Token in the event id, so a retry of the request is the same event', () => {
    const body = 'CallSid=CA9&CallStatus=no-answer&Direction=inbound&From=%2B447700900123&To=%2B442071838750';
    const call = firstCall(body, { 'I-Twilio-Idempotency-Token': 'tok-123' });
    expect(call.eventId).toBe('CA9:tok-123');
    expect(call.state).toBe('missed');
  });

  it.each([
    ['queued', 'ringing'], ['ringing', 'ringing'], ['in-progress', 'answered'], ['completed', 'completed'],
    ['busy', 'missed'], ['no-answer', 'missed'], ['canceled', 'missed'], ['failed', 'failed'],
  ])('maps CallStatus %s to %s', (status, state) => {
    expect(firstCall(`CallSid=CA1&CallStatus=${status}&Direction=outbound-dial`).state).toBe(state);
  });

  it('keeps the recording URL and omits numbers that are not phone numbers (a client: identity)', () => {
    const call = firstCall('CallSid=CA1&CallStatus=completed&Direction=outbound-api&From=client%3Aagent7&To=%2B442071838750&RecordingUrl=https%3A%2F%2Fapi.twilio.com%2Frec%2FRE1');
    expect(call.from).toBeUndefined();
    expect(call.to).toBe('+442071838750');
    expect(call.recordingUrl).toBe('https://api.twilio.com/rec/RE1');
  });

  it('returns 400 naming CallSid, CallStatus and Direction when they are missing or unknown', () => {
    const error = clientErrorOf(() => twilioVoiceAdapter.parse(twilioRequest('CallStatus=answered'), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field)).toEqual(['CallSid', 'CallStatus', 'Direction']);
  });
});
