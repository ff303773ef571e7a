import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { typeformAdapter } from '../../../shared/sources/typeform.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { clientErrorOf, fixture, inboundRequest } from './inbound-request.js';

const SAMPLE = 'form_response__docs_example_payload__VERBATIM.json';
const sampleBody = fixture(`typeform/${SAMPLE}`);
const vectors = JSON.parse(fixture('typeform/headers.json').toString('utf8'));
const sampleSignature: string = vectors.per_file[SAMPLE]['Typeform-Signature'];
const source: SourceContext = { sourceId: 'src-typeform', secrets: { secret: 'dummy_typeform_secret_do_not_use' } };

function signed(body: Buffer | string, secret = 'dummy_typeform_secret_do_not_use') {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  const signature = `sha256=${createHmac('sha256', secret).update(raw).digest('base64')}`;
  return inboundRequest({ raw, headers: { 'typeform-signature': signature } });
}

function responseEvent(formResponse: Record<string, unknown>, eventType = 'form_response'): string {
  return JSON.stringify({ event_id: 'ev-1', event_type: eventType, form_response: { form_id: 'F1', token: 't1', ...formResponse } });
}

describe('typeform adapter: authenticity', () => {
  it('accepts the verbatim documentation payload with the signature computed over its exact bytes', () => {
    expect(sampleBody.length).toBe(vectors.per_file[SAMPLE].body_bytes);
    const request = inboundRequest({ raw: sampleBody, headers: { 'typeform-signature': sampleSignature } });
    expect(() => typeformAdapter.verify(request, source)).not.toThrow();
  });

  it('returns 401 when the Typeform signature does not match the raw body', () => {
    const altered = Buffer.from(sampleBody.toString('utf8').replace('laura@example.com', 'mallory@example.com'));
    const request = inboundRequest({ raw: altered, headers: { 'typeform-signature': sampleSignature } });
    expect(clientErrorOf(() => typeformAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 when the body was re-serialized, because the signature covers the bytes sent', () => {
    const compact = Buffer.from(JSON.stringify(JSON.parse(sampleBody.toString('utf8'))));
    const request = inboundRequest({ raw: compact, headers: { 'typeform-signature': sampleSignature } });
    expect(clientErrorOf(() => typeformAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 when the body is signed with another secret', () => {
    expect(clientErrorOf(() => typeformAdapter.verify(signed(sampleBody, 'other'), source)).statusCode).toBe(401);
  });

  it('returns 401 when the signature is hex rather than base64', () => {
    const hex = `sha256=${createHmac('sha256', 'dummy_typeform_secret_do_not_use').update(sampleBody).digest('hex')}`;
    const request = inboundRequest({ raw: sampleBody, headers: { 'typeform-signature': hex } });
    expect(clientErrorOf(() => typeformAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 naming the header when the Typeform-Signature header is missing or lacks its prefix', () => {
    const missing = clientErrorOf(() => typeformAdapter.verify(inboundRequest({ raw: sampleBody }), source));
    expect(missing.statusCode).toBe(401);
    expect(missing.message).toContain('Typeform-Signature header is missing');
    const unprefixed = inboundRequest({ raw: sampleBody, headers: { 'typeform-signature': sampleSignature.slice(7) } });
    expect(clientErrorOf(() => typeformAdapter.verify(unprefixed, source)).statusCode).toBe(401);
  });

  it('returns 401 when the source has no secret configured', () => {
    const request = inboundRequest({ raw: sampleBody, headers: { 'typeform-signature': sampleSignature } });
    expect(clientErrorOf(() => typeformAdapter.verify(request, { ...source, secrets: {} })).statusCode).toBe(401);
  });
});

describe('typeform adapter: responses', () => {
  it('reads the verbatim documentation payload into a lead with every answer by its ref', () => {
    const delivery = typeformAdapter.parse(inboundRequest({ raw: sampleBody }), source);
    expect(delivery).toEqual({
      kind: 'leads',
      rejected: [],
      leads: [
        {
          channel: 'web_form',
          provider: 'typeform',
          externalIds: { form_id: 'lT4Z3j', token: 'a3a12ec67a1365927098a606107fac15' },
          person: { email: 'laura@example.com' },
          answers: {
            '[readable_ref_long_text':
              "It's cold right now! I live in an older medium-sized city with a university. Geographically, the area is hilly.",
            readable_ref_short_text: 'Laura',
            readable_ref_date: '2005-10-15',
            readable_ref_picture_choice: 'London, Sydney',
            readable_ref_number1: '5',
            readable_ref_legal: 'true',
            readable_ref_multiple_choice: 'London',
            readable_ref_yes_no: 'false',
            readable_ref_opinion_scale: '2',
            readable_ref_rating: '3',
            readable_ref_number2: '4',
            readable_ref_calendly: 'https://calendly.com/scheduled_events/EVENT_TYPE/invitees/INVITEE',
            calculated_score: '9',
            user_id: 'abc123456',
          },
          attribution: { formId: 'lT4Z3j' },
          isTest: false,
          idempotencyKey: 'LtWXD3crgy',
        },
      ],
    });
  });

  it('makes phone answers the person phone and reads UTMs and click ids from hidden fields', () => {
    const body = responseEvent({
      hidden: { utm_source: 'google', UTM_Medium: 'cpc', utm_campaign: '{campaignid}', gclid: 'Cj0KCQ' },
      answers: [
        { type: 'phone_number', phone_number: '+16505550123', field: { id: 'p1', type: 'phone_number', ref: 'phone_q' } },
        { type: 'text', text: 'Ada', field: { id: 'n1', type: 'short_text', title: 'First name' } },
        { type: 'choice', choice: { other: 'Something else' }, field: { id: 'c1', type: 'multiple_choice', ref: 'plan' } },
        { type: 'choices', choices: { labels: ['A'], other: 'B' }, field: { id: 'c2', type: 'multiple_choice', ref: 'extras' } },
        { type: 'payment', payment: { amount: '12.50', last4: '4242' }, field: { id: 'pay', type: 'payment', ref: 'deposit' } },
      ],
    });
    const delivery = typeformAdapter.parse(inboundRequest({ raw: body }), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]).toMatchObject({
      person: { phone: '+16505550123', firstName: 'Ada', name: 'Ada' },
      answers: { plan: 'Something else', extras: 'A, B', deposit: '12.50' },
      attribution: { utm_source: 'google', utm_medium: 'cpc', gclid: 'Cj0KCQ', formId: 'F1' },
      idempotencyKey: 'ev-1',
    });
  });

  it('keys an answer by its question title when its ref was generated by Typeform', () => {
    const body = responseEvent({
      answers: [
        { type: 'email', email: 'a@b.co', field: { id: 'e', type: 'email' } },
        { type: 'text', text: 'Acme', field: { id: 'x', type: 'short_text', ref: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', title: 'Company' } },
      ],
    });
    const delivery = typeformAdapter.parse(inboundRequest({ raw: body }), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]?.answers).toEqual({ Company: 'Acme' });
  });

  it('keeps a response with an email when its phone answer cannot be read', () => {
    const body = responseEvent({
      answers: [
        { type: 'email', email: 'a@b.co', field: { id: 'e', type: 'email' } },
        { type: 'phone_number', phone_number: '123', field: { id: 'p', type: 'phone_number' } },
      ],
    });
    const delivery = typeformAdapter.parse(inboundRequest({ raw: body }), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]?.person).toEqual({ email: 'a@b.co', phoneRaw: '123' });
  });

  it('acknowledges a form_response_partial event without a lead', () => {
    const delivery = typeformAdapter.parse(inboundRequest({ raw: responseEvent({}, 'form_response_partial') }), source);
    expect(delivery).toEqual({ kind: 'ignored', reason: 'Typeform form_response_partial events carry no finished response' });
  });

  it('returns 400 naming the missing fields when the body is not a Typeform event', () => {
    const error = clientErrorOf(() => typeformAdapter.parse(inboundRequest({ raw: '{"hello":"world"}' }), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field)).toEqual(['event_id', 'event_type']);
  });

  it('returns 400 when the body is not JSON', () => {
    expect(clientErrorOf(() => typeformAdapter.parse(inboundRequest({ raw: '{"event_id":' }), source)).statusCode).toBe(400);
  });
});

describe('typeform adapter: malformed responses', () => {
  it('returns 400 naming form_response when a form_response event lacks it', () => {
    const body = JSON.stringify({ event_id: 'e', event_type: 'form_response' });
    const error = clientErrorOf(() => typeformAdapter.parse(inboundRequest({ raw: body }), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field)).toEqual(['form_response']);
  });
});
