import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClientError, UnauthorizedError, ValidationError } from '../../../shared/domain/errors.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { metaLeadAdsAdapter } from '../../../shared/sources/meta-lead-ads.js';
import { inboundRequest, providerSample } from '../../support/inbound-request.js';

const APP_SECRET = 'test_app_secret_do_not_use';
const source: SourceContext = { sourceId: 'meta-1', secrets: { appSecret: APP_SECRET, verifyToken: 'meatyhamhock' } };
const verbatim = providerSample('meta-leadads/leadgen_webhook__docs_sample__VERBATIM.json');
const vectors = JSON.parse(providerSample('meta-leadads/headers.json').toString('utf8'));
const documentedSignature: string =
  vectors.per_file_signatures['leadgen_webhook__docs_sample__VERBATIM.json']['X-Hub-Signature-256'];

function signed(body: string | Buffer, secret = APP_SECRET) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const signature = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  return inboundRequest({ body: raw, headers: { 'X-Hub-Signature-256': signature } });
}

function thrown(fn: () => unknown): ClientError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  }
  throw new Error('expected a ClientError');
}

const change = (value: unknown, field = 'leadgen') => ({ field, value });
const notification = (...changes: unknown[]) =>
  JSON.stringify({ object: 'page', entry: [{ id: '153125381133', time: 1438292065, changes }] });

describe('Meta Lead Ads handshake', () => {
  const handshake = (query: string) =>
    metaLeadAdsAdapter.handshake!(inboundRequest({ method: 'GET', url: `https://intake.example.com/hook?${query}` }), source);

  it('answers the documented verification request with its challenge as plain text', () => {
    // The query of verification_request__docs__VERBATIM.txt.
    expect(handshake('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock')).toEqual({
      kind: 'reply', statusCode: 200, contentType: 'text/plain', body: '1158201444',
    });
  });

  it('refuses with 403 when the verify token is not the configured one', () => {
    expect(thrown(() => handshake('hub.mode=subscribe&hub.challenge=1&hub.verify_token=meatyhamhocks')).statusCode).toBe(403);
    expect(thrown(() => handshake('hub.mode=subscribe&hub.challenge=1')).statusCode).toBe(403);
  });

  it('refuses with 403 when the mode is not subscribe', () => {
    expect(thrown(() => handshake('hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=meatyhamhock')).statusCode).toBe(403);
  });

  it('refuses with 403 when the source has no verify token configured', () => {
    const bare = inboundRequest({ method: 'GET', url: 'https://x.example/?hub.mode=subscribe&hub.challenge=1&hub.verify_token=' });
    expect(thrown(() => metaLeadAdsAdapter.handshake!(bare, { sourceId: 's', secrets: {} })).statusCode).toBe(403);
  });

  it('answers 400 when the challenge is missing', () => {
    expect(thrown(() => handshake('hub.mode=subscribe&hub.verify_token=meatyhamhock')).statusCode).toBe(400);
  });
});

describe('Meta Lead Ads signature', () => {
  it('accepts the verbatim documentation webhook with its computed signature vector', () => {
    const request = inboundRequest({ body: verbatim, headers: { 'X-Hub-Signature-256': documentedSignature } });
    expect(() => metaLeadAdsAdapter.verify(request, source)).not.toThrow();
  });

  it('returns 401 when the Meta signature does not match the raw body', () => {
    // Re-serializing the body changes its bytes; the signature over the original no longer holds.
    const reserialized = JSON.stringify(JSON.parse(verbatim.toString('utf8')));
    const request = inboundRequest({ body: reserialized, headers: { 'X-Hub-Signature-256': documentedSignature } });
    const error = thrown(() => metaLeadAdsAdapter.verify(request, source));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toMatch(/does not match/);
  });

  it('returns 401 when the trailing newline of the signed body is dropped', () => {
    const trimmed = verbatim.subarray(0, verbatim.length - 1);
    const request = inboundRequest({ body: trimmed, headers: { 'X-Hub-Signature-256': documentedSignature } });
    expect(thrown(() => metaLeadAdsAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 when the body was signed with another app secret', () => {
    expect(thrown(() => metaLeadAdsAdapter.verify(signed(verbatim, 'another-secret'), source)).statusCode).toBe(401);
  });

  it('returns 401 when the signature header is missing or not sha256=<hex>', () => {
    expect(thrown(() => metaLeadAdsAdapter.verify(inboundRequest({ body: verbatim }), source)).message).toMatch(/missing/);
    const sha1 = inboundRequest({ body: verbatim, headers: { 'X-Hub-Signature-256': 'sha1=7f93aadaa08236136103abe111313003930718d8' } });
    expect(thrown(() => metaLeadAdsAdapter.verify(sha1, source)).statusCode).toBe(401);
  });

  it('accepts an uppercase hex signature', () => {
    const request = inboundRequest({ body: verbatim, headers: { 'X-Hub-Signature-256': documentedSignature.toUpperCase().replace('SHA256=', 'sha256=') } });
    expect(() => metaLeadAdsAdapter.verify(request, source)).not.toThrow();
  });

  it('returns 401 when the source has no app secret, whatever the request carries', () => {
    const request = inboundRequest({ body: verbatim, headers: { 'X-Hub-Signature-256': documentedSignature } });
    expect(thrown(() => metaLeadAdsAdapter.verify(request, { sourceId: 's', secrets: {} })).statusCode).toBe(401);
  });
});

describe('Meta Lead Ads notification', () => {
  it('reads the verbatim documentation sample into two lead references with their ids', () => {
    const delivery = metaLeadAdsAdapter.parse(inboundRequest({ body: verbatim }), source);
    expect(delivery).toEqual({
      kind: 'lead-refs',
      rejected: [],
      refs: [
        {
          provider: 'meta_lead_ads',
          externalId: '123123123123',
          externalIds: {
            page_id: '123123123', form_id: '12312312312', ad_id: '12312312312', adgroup_id: '12312312312',
            created_time: '2015-08-21T01:26:24.000Z',
          },
          attribution: { adId: '12312312312', formId: '12312312312' },
          createdAt: '2015-08-21T01:26:24.000Z',
          isTest: false,
        },
        expect.objectContaining({ externalId: '123123123124' }),
      ],
    });
  });

  it('keeps leadgen ids past 2^53 exact', () => {
    const body = `{"object":"page","entry":[{"changes":[{"field":"leadgen","value":{"leadgen_id":9007199254740993,"form_id":1234567890123456789}}]}]}`;
    const delivery = metaLeadAdsAdapter.parse(inboundRequest({ body }), source);
    expect(delivery.kind === 'lead-refs' && delivery.refs[0]).toMatchObject({
      externalId: '9007199254740993',
      externalIds: { form_id: '1234567890123456789' },
    });
  });

  it('collapses a lead repeated inside one POST to one reference', () => {
    const value = { leadgen_id: 444, page_id: 1, form_id: 2, ad_id: 3, created_time: 1440120384 };
    const body = JSON.stringify({
      object: 'page',
      entry: [{ changes: [change(value), change({ ...value, leadgen_id: 445 })] }, { changes: [change(value)] }],
    });
    const delivery = metaLeadAdsAdapter.parse(inboundRequest({ body }), source);
    expect(delivery.kind === 'lead-refs' && delivery.refs.map((r) => r.externalId)).toEqual(['444', '445']);
  });

  it('names a malformed change in rejected while the other changes still count', () => {
    const body = notification(change({ leadgen_id: 1 }), change({ page_id: 5 }), change('oops'), change({ leadgen_id: 'abc' }));
    const delivery = metaLeadAdsAdapter.parse(inboundRequest({ body }), source);
    expect(delivery).toEqual({
      kind: 'lead-refs',
      refs: [expect.objectContaining({ externalId: '1' })],
      rejected: [
        { field: 'entry[0].changes[1]', problem: 'value.leadgen_id must be a numeric id' },
        { field: 'entry[0].changes[2]', problem: 'value must be an object' },
        { field: 'entry[0].changes[3]', problem: 'value.leadgen_id must be a numeric id' },
      ],
    });
  });

  it('takes campaign and ad set ids when a notification carries them, never the ad set from adgroup_id', () => {
    const body = notification(change({ leadgen_id: 7, ad_id: 30, adgroup_id: 30, adset_id: 20, campaign_id: 10 }));
    const delivery = metaLeadAdsAdapter.parse(inboundRequest({ body }), source);
    expect(delivery.kind === 'lead-refs' && delivery.refs[0]?.attribution).toEqual({ campaignId: '10', adsetId: '20', adId: '30' });
  });

  it('answers 400 naming every change when none can be read', () => {
    const error = thrown(() => metaLeadAdsAdapter.parse(inboundRequest({ body: notification(change({})) }), source));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fields).toEqual([{ field: 'entry[0].changes[0]', problem: 'value.leadgen_id must be a numeric id' }]);
  });

  it('ignores changes to other page fields and notifications for other objects', () => {
    expect(metaLeadAdsAdapter.parse(inboundRequest({ body: notification(change({ item: 'post' }, 'feed')) }), source).kind).toBe('ignored');
    expect(metaLeadAdsAdapter.parse(inboundRequest({ body: '{"object":"user","entry":[]}' }), source).kind).toBe('ignored');
  });

  it('answers 400 for a body that is not JSON or has no entry list', () => {
    expect(thrown(() => metaLeadAdsAdapter.parse(inboundRequest({ body: '{"object":"page",' }), source)).statusCode).toBe(400);
    expect(thrown(() => metaLeadAdsAdapter.parse(inboundRequest({ body: '{"object":"page"}' }), source)).fields).toEqual([
      { field: 'entry', problem: 'must be an array' },
    ]);
  });
});
