import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../shared/domain/errors.js';
import type { InboundRequest, SourceAdapter, SourceContext } from '../../../shared/sources/adapter.js';
import { formAdapters } from '../../../shared/sources/forms.js';
import { htmlFormAdapter } from '../../../shared/sources/html-form.js';
import { inboundRequest } from './inbound-request.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const source: SourceContext = {
  sourceId: 'src-fuzz',
  defaultCountry: 'RU',
  secrets: { token: 'tok', key: 'key', secret: 'sec' },
};

/** Gives a request the credentials its adapter expects, so the fuzzed body reaches `parse`. */
const credentials: Record<string, (raw: Buffer) => Pick<InboundRequest, 'headers' | 'query'>> = {
  tilda: () => ({ headers: {}, query: { token: 'tok' } }),
  html_form: () => ({ headers: { 'x-api-key': 'key' }, query: {} }),
  typeform: (raw) => ({
    headers: { 'typeform-signature': `sha256=${createHmac('sha256', 'sec').update(raw).digest('base64')}` },
    query: {},
  }),
  webflow: (raw) => {
    const ts = String(NOW.getTime());
    const sig = createHmac('sha256', 'sec').update(Buffer.concat([Buffer.from(`${ts}:`), raw])).digest('hex');
    return { headers: { 'x-webflow-timestamp': ts, 'x-webflow-signature': sig }, query: {} };
  },
  signed_json: (raw) => {
    const ts = String(NOW.getTime() / 1000);
    const sig = createHmac('sha256', 'sec').update(Buffer.concat([Buffer.from(`${ts}.`), raw])).digest('hex');
    return { headers: { 'x-leadflow-timestamp': ts, 'x-leadflow-signature': `sha256=${sig}` }, query: {} };
  },
};

const DELIVERY_KINDS = ['reply', 'leads', 'lead-refs', 'calls', 'suppressions', 'ignored'];

/** Runs verify then parse; the only acceptable failure is a ClientError with a 4xx status. */
function outcomeOf(adapter: SourceAdapter, request: InboundRequest): void {
  try {
    adapter.verify(request, source);
    const delivery = adapter.parse(request, source);
    expect(DELIVERY_KINDS).toContain(delivery.kind);
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    expect(error.statusCode).toBeGreaterThanOrEqual(400);
    expect(error.statusCode).toBeLessThan(500);
  }
}

function signedRequest(adapter: SourceAdapter, raw: Buffer, mediaType: string): InboundRequest {
  return inboundRequest({ raw, mediaType, receivedAt: NOW, ...credentials[adapter.provider]!(raw) });
}

const headerName = fc.constantFrom(
  'typeform-signature', 'x-webflow-signature', 'x-webflow-timestamp', 'x-leadflow-signature',
  'x-leadflow-timestamp', 'x-api-key', 'idempotency-key', 'content-type',
);
const headers = fc.dictionary(headerName, fc.string({ maxLength: 80 }));
const query = fc.dictionary(fc.constantFrom('token', 'key', 'test'), fc.string({ maxLength: 40 }));
const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
/** Form-like JSON: contact fields, UTMs and noise, sometimes nested or listed. */
const formObject = fc.dictionary(
  fc.oneof(fc.constantFrom('name', 'email', 'phone', 'Phone Number', 'utm_source', 'page_url', 'tranid', 'event_id', 'hp', 'leads', '__proto__'), fc.string({ maxLength: 12 })),
  fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), scalar, { maxKeys: 3 })),
  { maxKeys: 8 },
);
const typeformBody = fc.record({
  event_id: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
  event_type: fc.constantFrom('form_response', 'form_response_partial', 'other'),
  form_response: fc.record(
    {
      form_id: fc.string(),
      token: fc.string(),
      hidden: fc.oneof(formObject, fc.anything()),
      answers: fc.array(
        fc.record({ type: fc.constantFrom('text', 'email', 'phone_number', 'choice', 'choices', 'number', 'boolean', 'payment', 'url', 'x'), field: fc.record({ id: fc.string(), ref: fc.string() }, { requiredKeys: [] }) })
          .chain((a) => fc.anything().map((value) => ({ ...a, [a.type]: value }))),
        { maxLength: 5 },
      ),
    },
    { requiredKeys: [] },
  ),
});
const webflowBody = fc.oneof(
  fc.record({ triggerType: fc.constantFrom('form_submission', 'site_publish'), payload: fc.record({ id: fc.string(), data: fc.oneof(formObject, fc.anything()) }, { requiredKeys: [] }) }),
  fc.record({ _id: fc.string(), site: fc.string(), data: formObject }, { requiredKeys: [] }),
);
const batchBody = fc.record({ event_id: fc.string({ maxLength: 250 }), leads: fc.array(fc.oneof(formObject, fc.anything()), { maxLength: 5 }) }, { requiredKeys: ['leads'] });
const urlencoded = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('Name', 'Phone', 'Email', 'tranid', 'COOKIES', 'test', 'UTM_Source', 'hp'), fc.string({ maxLength: 10 })), fc.string({ maxLength: 40 })), { maxLength: 10 })
  .map((pairs) => new URLSearchParams(pairs).toString());

describe.each(formAdapters.map((adapter) => [adapter.provider, adapter] as const))('%s adapter under arbitrary input', (_name, adapter) => {
  it('answers arbitrary bytes, media types and headers with a delivery or a 4xx ClientError, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...adapter.accepts, '', 'text/plain'), headers, query, (bytes, mediaType, h, q) => {
        outcomeOf(adapter, inboundRequest({ raw: Buffer.from(bytes), mediaType, headers: h, query: q, receivedAt: NOW }));
      }),
      { numRuns: 300 },
    );
  });

  it('answers correctly authenticated arbitrary bytes with a delivery or a 4xx ClientError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...adapter.accepts), (bytes, mediaType) => {
        outcomeOf(adapter, signedRequest(adapter, Buffer.from(bytes), mediaType));
      }),
      { numRuns: 300 },
    );
  });

  it('answers correctly authenticated arbitrary JSON structures with a delivery or a 4xx ClientError', () => {
    const body = fc.oneof(fc.jsonValue(), formObject, typeformBody, webflowBody, batchBody);
    fc.assert(
      fc.property(body, (value) => {
        outcomeOf(adapter, signedRequest(adapter, Buffer.from(JSON.stringify(value) ?? 'null'), 'application/json'));
      }),
      { numRuns: 400 },
    );
  });

  it('answers correctly authenticated arbitrary urlencoded forms with a delivery or a 4xx ClientError', () => {
    fc.assert(
      fc.property(urlencoded, (text) => {
        outcomeOf(adapter, signedRequest(adapter, Buffer.from(text), 'application/x-www-form-urlencoded'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('html_form multipart under arbitrary input', () => {
  it('answers arbitrary multipart bytes and boundaries with a delivery or a 4xx ClientError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 20 }), async (bytes, boundary) => {
        const request = inboundRequest({
          raw: Buffer.from(bytes),
          mediaType: 'multipart/form-data',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          receivedAt: NOW,
        });
        try {
          expect((await htmlFormAdapter.parseMultipart(request, source)).kind).toBe('leads');
        } catch (error) {
          if (!(error instanceof ClientError)) throw error;
          expect(error.statusCode).toBe(400);
        }
      }),
      { numRuns: 200 },
    );
  });
});
