import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../shared/domain/errors.js';
import type { Delivery, InboundRequest, SourceAdapter } from '../../../shared/sources/adapter.js';
import { adAdapters } from '../../../shared/sources/ads.js';

const SECRETS = { appSecret: 's1', verifyToken: 'vt', googleKey: 'gk', token: 'tk', clientSecret: 'cs' };
const source = { sourceId: 'fuzz', defaultCountry: 'US', secrets: SECRETS };
const KINDS = new Set(['reply', 'leads', 'lead-refs', 'calls', 'suppressions', 'ignored']);

/** Keys the adapters look for, plus prototype names, so generated bodies reach deep into the readers. */
const KEYS = [
  'object', 'entry', 'changes', 'field', 'value', 'leadgen_id', 'page_id', 'form_id', 'ad_id', 'adgroup_id', 'adset_id',
  'campaign_id', 'created_time', 'lead_id', 'user_column_data', 'column_id', 'string_value', 'column_name', 'google_key',
  'is_test', 'gcl_id', 'creative_id', 'type', 'leadGenFormResponse', 'leadAction', 'leadGenForm', 'owner', 'associatedEntity',
  'occurredAt', 'leadType', 'content', 'leads', 'lead_data', 'meta_data', 'name', 'field_name', 'field_value', 'create_time',
  '__proto__', 'constructor', 'toString',
];
const SCALARS = fc.oneof(
  fc.constantFrom('page', 'leadgen', 'LEAD_ACTION', 'CREATED', 'DELETED', 'gk', 'EMAIL', 'PHONE_NUMBER', 'FULL_NAME',
    'urn:li:leadGenFormResponse:abc', 'a@b.co', 'p:+14155552671', '{"lead_id":1}', '', '0'),
  fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String),
);
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    SCALARS,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('tree'), { maxKeys: 6 }),
  ),
}));

/** Bodies shaped like each provider's, with arbitrary leaves, so the readers' deeper branches are reached. */
const leaf = fc.oneof(fc.constant(null), SCALARS, tree);
const nearValid = fc.oneof(
  fc.record({
    object: fc.constant('page'),
    entry: fc.array(fc.record({
      changes: fc.oneof(leaf, fc.array(fc.record({
        field: fc.constantFrom('leadgen', 'feed'),
        value: fc.oneof(leaf, fc.record({ leadgen_id: leaf, page_id: leaf, form_id: leaf, ad_id: leaf, created_time: leaf }, { requiredKeys: [] })),
      }, { requiredKeys: [] }), { maxLength: 4 })),
    }, { requiredKeys: [] }), { maxLength: 3 }),
  }),
  fc.record({
    google_key: fc.constant('gk'), lead_id: leaf, campaign_id: leaf, gcl_id: leaf, is_test: leaf,
    user_column_data: fc.oneof(leaf, fc.array(fc.record({
      column_id: fc.oneof(fc.constantFrom('EMAIL', 'PHONE_NUMBER', 'FULL_NAME', 'FIRST_NAME', 'WORK_EMAIL'), leaf),
      string_value: leaf, column_name: leaf,
    }, { requiredKeys: [] }), { maxLength: 5 })),
  }, { requiredKeys: ['google_key'] }),
  fc.record({
    leads: fc.array(fc.record({
      lead_id: leaf, meta_data: leaf, create_time: leaf, is_test: leaf,
      lead_data: fc.oneof(leaf, fc.dictionary(fc.constantFrom('email', 'phone_number', 'Full Name', 'ttclid', 'x'), leaf),
        fc.array(fc.record({ name: leaf, value: leaf }, { requiredKeys: [] }))),
    }, { requiredKeys: [] }), { maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('LEAD_ACTION'),
    leadGenFormResponse: fc.oneof(fc.constant('urn:li:leadGenFormResponse:abc-1'), leaf),
    leadAction: fc.oneof(fc.constantFrom('CREATED', 'DELETED'), leaf),
    leadGenForm: leaf, owner: leaf, associatedEntity: leaf, occurredAt: leaf, leadType: leaf,
  }, { requiredKeys: ['type'] }),
);

const bodies = fc.oneof(
  nearValid.map((v) => Buffer.from(JSON.stringify(v), 'utf8')),
  nearValid.map((v) => Buffer.from(JSON.stringify({ content: JSON.stringify(v) }), 'utf8')),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 300 }).map((s) => Buffer.from(s, 'utf8')),
  fc.json().map((s) => Buffer.from(s, 'utf8')),
  tree.map((v) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8')),
  fc.nat(200).map((n) => Buffer.from('['.repeat(n) + ']'.repeat(n))),
);
const headerValues = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('sha256=', 'sha256=zz', 't=1,s=ab', 't=x', ''));
const headers = fc.dictionary(
  fc.constantFrom('x-hub-signature-256', 'x-li-signature', 'tiktok-signature', 'content-type', 'retry-after'),
  headerValues,
  { maxKeys: 4 },
);
const queries = fc.dictionary(
  fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge', 'challengeCode', 'token', 'applicationId'),
  fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('subscribe', 'vt', 'tk')),
  { maxKeys: 4 },
);

function requestOf(method: string, raw: Buffer, h: Record<string, string>, query: Record<string, string>): InboundRequest {
  return {
    method, url: 'https://intake.example.com/hook', headers: h, query, mediaType: 'application/json',
    raw, text: raw.toString('utf8'), receivedAt: new Date(),
  };
}

/** Runs one adapter step: it must return (a Delivery where one is due) or throw a 4xx ClientError. */
function expectContained(step: () => Delivery | void): void {
  let result: Delivery | void;
  try {
    result = step();
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    expect(error.statusCode).toBeGreaterThanOrEqual(400);
    expect(error.statusCode).toBeLessThan(500);
    return;
  }
  if (result !== undefined) expect(KINDS.has(result.kind)).toBe(true);
}

/** Signs a body the way each provider does, so the parse step is also reached behind a passing verify. */
function signedHeaders(adapter: SourceAdapter, raw: Buffer): Record<string, string> {
  const hex = (secret: string, data: Buffer) => createHmac('sha256', secret).update(data).digest('hex');
  if (adapter.provider === 'meta_lead_ads') return { 'x-hub-signature-256': `sha256=${hex('s1', raw)}` };
  if (adapter.provider === 'linkedin') return { 'x-li-signature': hex('cs', Buffer.concat([Buffer.from('hmacsha256='), raw])) };
  if (adapter.provider === 'tiktok') {
    const t = Math.floor(Date.now() / 1000);
    return { 'tiktok-signature': `t=${t},s=${hex('cs', Buffer.concat([Buffer.from(`${t}.`), raw]))}` };
  }
  return {};
}

describe.each(adAdapters.map((a) => [a.provider, a] as const))('%s adapter fed arbitrary input', (_provider, adapter) => {
  it('answers every handshake, verify and parse with a Delivery or a 4xx ClientError, never anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom('GET', 'POST'), bodies, headers, queries, (method, raw, h, query) => {
        const request = requestOf(method, raw, h, query);
        if (adapter.handshake) expectContained(() => adapter.handshake!(request, source));
        expectContained(() => adapter.verify(request, source));
        expectContained(() => adapter.parse(request, source));
        expectContained(() => adapter.parse(request, { sourceId: 'bare', secrets: {} }));
      }),
      { numRuns: 600 },
    );
  });

  it('reads arbitrary bodies that pass verification into a Delivery or a 4xx ClientError', () => {
    fc.assert(
      fc.property(bodies, (raw) => {
        const request = requestOf('POST', raw, signedHeaders(adapter, raw), { token: 'tk' });
        expectContained(() => {
          adapter.verify(request, source);
          return adapter.parse(request, source);
        });
      }),
      { numRuns: 600 },
    );
  });
});
