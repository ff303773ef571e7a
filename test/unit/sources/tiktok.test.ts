import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../shared/domain/errors.js';
import { tiktokAdapter } from '../../../shared/sources/tiktok.js';
import { inboundRequest } from '../../support/inbound-request.js';

// TikTok's lead webhook body is not documented in the material consulted: these bodies are
// RECONSTRUCTED to the shape the adapter accepts (see the comment at the top of tiktok.ts).
const source = { sourceId: 'tt-1', defaultCountry: 'US', secrets: { token: 'tt-token-123' } };
const lead = {
  meta_data: { lead_id: '7351234567890123456', advertiser_id: 7001, page_id: 7002, campaign_id: 7003, adgroup_id: 7004, ad_id: 7005, create_time: 1772442847 },
  lead_data: { 'Full Name': 'Ann Lee', Email: 'Ann@Acme.com', phone_number: '+1 415 555 2671', 'Budget?': '10k', ttclid: 'E.C.P.abc' },
};
const url = (token?: string) => `https://intake.example.com/v1/sources/tt-1/webhook${token === undefined ? '' : `?token=${token}`}`;
const post = (body: string, options: { token?: string; headers?: Record<string, string>; receivedAt?: Date } = {}) =>
  inboundRequest({ body, url: url(options.token ?? 'tt-token-123'), headers: options.headers, receivedAt: options.receivedAt });

function thrown(fn: () => unknown): ClientError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  }
  throw new Error('expected a ClientError');
}

describe('TikTok webhook authenticity', () => {
  it('accepts a request whose token parameter equals the source token', () => {
    expect(() => tiktokAdapter.verify(post('{}'), source)).not.toThrow();
  });

  it('returns 401 without a token parameter and 403 with a wrong one', () => {
    expect(thrown(() => tiktokAdapter.verify(inboundRequest({ body: '{}', url: url() }), source)).statusCode).toBe(401);
    expect(thrown(() => tiktokAdapter.verify(post('{}', { token: 'tt-token-124' }), source)).statusCode).toBe(403);
    expect(thrown(() => tiktokAdapter.verify(post('{}'), { sourceId: 's', secrets: {} })).statusCode).toBe(403);
  });

  describe('with a client secret configured', () => {
    const withSecret = { ...source, secrets: { ...source.secrets, clientSecret: 'tt-secret' } };
    const body = JSON.stringify({ client_key: 'abc', event: 'lead.create', create_time: 1772442847, content: JSON.stringify(lead) });
    const receivedAt = new Date(1772442900 * 1000);
    const signature = (t: number, raw = body, secret = 'tt-secret') =>
      `t=${t},s=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;

    it('accepts TikTok-Signature over "<t>.<raw body>" within five minutes', () => {
      expect(() => tiktokAdapter.verify(post(body, { headers: { 'TikTok-Signature': signature(1772442847) }, receivedAt }), withSecret)).not.toThrow();
    });

    it('returns 401 when the signature is missing, wrong, or too old', () => {
      expect(thrown(() => tiktokAdapter.verify(post(body, { receivedAt }), withSecret)).message).toMatch(/missing/);
      const wrong = signature(1772442847, body, 'other');
      expect(thrown(() => tiktokAdapter.verify(post(body, { headers: { 'TikTok-Signature': wrong }, receivedAt }), withSecret)).statusCode).toBe(401);
      const old = signature(1772442847 - 600);
      expect(thrown(() => tiktokAdapter.verify(post(body, { headers: { 'TikTok-Signature': old }, receivedAt }), withSecret)).message).toMatch(/timestamp/);
    });
  });
});

describe('TikTok lead delivery', () => {
  it('reads a lead into the person, answers, exact ids and attribution', () => {
    expect(tiktokAdapter.parse(post(JSON.stringify(lead)), source)).toEqual({
      kind: 'leads',
      rejected: [],
      leads: [
        {
          channel: 'ad_form',
          provider: 'tiktok',
          externalIds: {
            lead_id: '7351234567890123456', advertiser_id: '7001', page_id: '7002', campaign_id: '7003', adgroup_id: '7004', ad_id: '7005',
            create_time: '2026-03-02T09:14:07.000Z',
          },
          person: { name: 'Ann Lee', email: 'ann@acme.com', phone: '+14155552671' },
          answers: { 'Budget?': '10k' },
          attribution: { ttclid: 'E.C.P.abc', campaignId: '7003', adsetId: '7004', adId: '7005', formId: '7002' },
          isTest: false,
          idempotencyKey: 'tiktok:7351234567890123456',
        },
      ],
    });
  });

  it('keeps a lead id written as a JSON number past 2^53 exact', () => {
    const delivery = tiktokAdapter.parse(post('{"lead_id": 7351234567890123456, "lead_data": {"email": "a@b.co"}}'), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]?.externalIds.lead_id).toBe('7351234567890123456');
  });

  it('reads the lead from an envelope whose content is a serialized JSON string', () => {
    const body = JSON.stringify({ client_key: 'abc', event: 'lead.create', content: JSON.stringify({ ...lead, is_test: true }) });
    const delivery = tiktokAdapter.parse(post(body), source);
    expect(delivery).toMatchObject({ kind: 'leads', leads: [{ isTest: true, externalIds: { lead_id: '7351234567890123456' } }] });
  });

  it('collapses a repeated lead in a batch and names the unreadable item while the others count', () => {
    const body = JSON.stringify({
      leads: [
        { lead_id: 'a1', lead_data: [{ name: 'email', value: 'a@b.co' }] },
        { lead_id: 'a1', lead_data: [{ name: 'email', value: 'a@b.co' }] },
        { lead_data: { email: 'no-id@b.co' } },
        { lead_id: 'a2', lead_data: [{ name: 'email' }] },
        { lead_id: 'a3', lead_data: { first_name: 'Bo', last_name: 'Ng' } },
      ],
    });
    const delivery = tiktokAdapter.parse(post(body), source);
    expect(delivery).toMatchObject({
      kind: 'leads',
      leads: [{ idempotencyKey: 'tiktok:a1', person: { email: 'a@b.co' } }, { idempotencyKey: 'tiktok:a3', person: { name: 'Bo Ng' } }],
      rejected: [
        { field: 'leads[2]', problem: 'lead_id must be a string or an integer' },
        { field: 'leads[3]', problem: 'every lead_data item needs a name and a value' },
      ],
    });
    expect(delivery.kind === 'leads' && delivery.leads).toHaveLength(2);
  });

  it('answers 400 when no lead in the delivery can be read', () => {
    const error = thrown(() => tiktokAdapter.parse(post('{"lead_data":{"email":"a@b.co"}}'), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields).toEqual([{ field: 'lead', problem: 'lead_id must be a string or an integer' }]);
    expect(thrown(() => tiktokAdapter.parse(post('{"content":"not json"}'), source)).statusCode).toBe(400);
  });
});
