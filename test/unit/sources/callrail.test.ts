import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callRailAdapter } from '../../../shared/sources/callrail.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { inboundRequest, providerSample } from '../../support/inbound-request.js';
import { clientErrorOf } from './inbound-request.js';

const TOKEN = 'dummy_signing_token_do_not_use';
const source: SourceContext = { sourceId: 'src-1', defaultCountry: 'US', secrets: { signingToken: TOKEN } };
const sample = providerSample('callrail/post_call__RECONSTRUCTED.json');
const headers = JSON.parse(providerSample('callrail/headers.json').toString('utf8'));

function signed(body: string | Buffer) {
  return inboundRequest({ body, headers: { Signature: createHmac('sha1', TOKEN).update(body).digest('base64') } });
}

function firstCall(body: string | Buffer) {
  const delivery = callRailAdapter.parse(signed(body), source);
  if (delivery.kind !== 'calls') throw new Error(`expected calls, got ${delivery.kind}`);
  return delivery.calls[0]!;
}

describe('callrail adapter: signature (scheme from a third-party implementation, not CallRail docs)', () => {
  it('accepts the computed Signature of the post-call sample over its exact bytes', () => {
    const request = inboundRequest({ body: sample, headers: { Signature: headers.per_file_Signature_UNVERIFIED_SCHEME['post_call__RECONSTRUCTED.json'] } });
    expect(() => callRailAdapter.verify(request, source)).not.toThrow();
  });

  it('returns 401 when one byte of the body differs from what was signed', () => {
    const tampered = Buffer.from(sample.toString('utf8').replace('"duration":187', '"duration":188'));
    const request = inboundRequest({ body: tampered, headers: { Signature: headers.per_file_Signature_UNVERIFIED_SCHEME['post_call__RECONSTRUCTED.json'] } });
    expect(clientErrorOf(() => callRailAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 when the Signature header is missing', () => {
    expect(clientErrorOf(() => callRailAdapter.verify(inboundRequest({ body: sample }), source)).message).toContain('Signature header is missing');
  });
});

describe('callrail adapter: parsing', () => {
  it('reads the post-call sample into a completed inbound call with its attribution', () => {
    const call = firstCall(sample);
    expect(call).toMatchObject({
      provider: 'callrail',
      callId: 'CALb14811eb573645c6989000cf426b9772',
      direction: 'inbound',
      state: 'completed',
      from: '+14045551234',
      to: '+14045550199',
      trackingNumber: '+14045550199',
      durationSeconds: 187,
      // start_time 13:04:05-05:00 plus 187 s: when the call ended.
      occurredAt: '2026-03-02T18:07:12.000Z',
      attribution: {
        utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'roof_repair', utm_term: 'roof leak repair',
        gclid: 'EAIaIQobChMIx7Lq-Example', referrer: 'https://www.google.com/',
      },
    });
    expect(call.recordingUrl).toMatch(/^https:\/\/app\.callrail\.com\/calls\/CALb14811eb573645c6989000cf426b9772\/recording\/redirect/);
    expect(call.attribution.landingPage).toMatch(/^https:\/\/acmeroofing\.example\/roof-repair/);
    expect(call.attribution).not.toHaveProperty('fbclid');
  });

  it('reads a pre-call (no duration yet) as ringing', () => {
    const call = firstCall(JSON.stringify({ resource_id: 'CAL1', answered: null, duration: null, direction: 'inbound', customer_phone_number: '+14045551234', tracking_phone_number: '(404) 555-0199', start_time: '2026-03-02T13:04:05.000-05:00' }));
    expect(call).toMatchObject({ state: 'ringing', occurredAt: '2026-03-02T18:04:05.000Z', trackingNumber: '+14045550199' });
  });

  it('reads an unanswered post-call (voicemail included) as missed, with the older numeric id', () => {
    const call = firstCall(JSON.stringify({ id: 12345, answered: false, voicemail: true, duration: '20', direction: 'inbound', customer_phone_number: '+14045551234' }));
    expect(call).toMatchObject({ callId: '12345', state: 'missed', durationSeconds: 20 });
  });

  it('puts the customer on the called side of an outbound call', () => {
    const call = firstCall(JSON.stringify({ resource_id: 'CAL2', answered: true, duration: 60, direction: 'outbound', customer_phone_number: '+14045551234', tracking_phone_number: '+14045550199', agent_email: 'rep@acme.example' }));
    expect(call).toMatchObject({ direction: 'outbound', from: '+14045550199', to: '+14045551234', agent: 'rep@acme.example' });
  });

  it('gives a call-modified body a new event id and a retry of the same body the same one', () => {
    const first = firstCall(sample);
    const retry = firstCall(sample);
    const modified = firstCall(sample.toString('utf8').replace('"tags":[]', '"tags":["roof"]'));
    expect(retry.eventId).toBe(first.eventId);
    expect(modified.eventId).not.toBe(first.eventId);
  });

  it('returns 400 naming each bad field', () => {
    const error = clientErrorOf(() => callRailAdapter.parse(signed(JSON.stringify({ resource_id: 'CAL3', answered: 'yes', direction: 'sideways' })), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field).sort()).toEqual(['answered', 'direction']);
    const noId = clientErrorOf(() => callRailAdapter.parse(signed(JSON.stringify({ answered: 'yes' })), source));
    expect(noId.fields.map((f) => f.field).sort()).toEqual(['answered', 'resource_id']);
  });

  it('returns 400 when the call has no id', () => {
    const error = clientErrorOf(() => callRailAdapter.parse(signed('{"answered":true}'), source));
    expect(error.fields).toEqual([{ field: 'resource_id', problem: 'is required (or the older id)' }]);
  });

  it('returns 400 when the body is not a JSON object', () => {
    expect(clientErrorOf(() => callRailAdapter.parse(signed('[1]'), source)).statusCode).toBe(400);
    expect(clientErrorOf(() => callRailAdapter.parse(signed('{'), source)).statusCode).toBe(400);
  });
});

describe('callrail adapter: edges', () => {
  it('returns 400, not a crash, when start_time plus duration is past the last date a Date holds', () => {
    const body = JSON.stringify({ resource_id: 'CAL9', answered: true, duration: 60, start_time: '+275760-09-13T00:00:00.000Z' });
    const error = clientErrorOf(() => callRailAdapter.parse(signed(body), source));
    expect(error.fields).toEqual([{ field: 'start_time', problem: 'is out of range' }]);
  });
});
