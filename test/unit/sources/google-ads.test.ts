import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../shared/domain/errors.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { googleAdsAdapter } from '../../../shared/sources/google-ads.js';
import { inboundRequest, providerSample } from '../../support/inbound-request.js';

const verbatim = providerSample('google-ads-leadform/docs_testing_page_sample__VERBATIM.json');
const source: SourceContext = { sourceId: 'g-1', defaultCountry: 'US', secrets: { googleKey: 'testkey' } };

function thrown(fn: () => unknown): ClientError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  }
  throw new Error('expected a ClientError');
}

const parse = (body: string | Buffer) => googleAdsAdapter.parse(inboundRequest({ body }), source);
const leadOf = (body: string | Buffer) => {
  const delivery = parse(body);
  if (delivery.kind !== 'leads') throw new Error(`expected leads, got ${delivery.kind}`);
  return delivery.leads[0]!;
};

describe('Google Ads lead form key', () => {
  it('accepts the verbatim documentation sample whose google_key equals the source key', () => {
    expect(() => googleAdsAdapter.verify(inboundRequest({ body: verbatim }), source)).not.toThrow();
  });

  it('returns 403 when google_key differs from the configured key', () => {
    const error = thrown(() => googleAdsAdapter.verify(inboundRequest({ body: verbatim }), { ...source, secrets: { googleKey: 'testkez' } }));
    expect(error.statusCode).toBe(403);
    expect(error.message).toMatch(/does not match/);
  });

  it('returns 403 when the body carries no google_key, or the source has no key', () => {
    expect(thrown(() => googleAdsAdapter.verify(inboundRequest({ body: '{"lead_id":"1"}' }), source)).statusCode).toBe(403);
    expect(thrown(() => googleAdsAdapter.verify(inboundRequest({ body: verbatim }), { sourceId: 'g', secrets: {} })).statusCode).toBe(403);
  });

  it('answers 400 when the body is not JSON', () => {
    expect(thrown(() => googleAdsAdapter.verify(inboundRequest({ body: 'google_key=testkey' }), source)).statusCode).toBe(400);
  });
});

describe('Google Ads lead form delivery', () => {
  it('reads the verbatim documentation sample into one test lead', () => {
    expect(parse(verbatim)).toEqual({
      kind: 'leads',
      rejected: [],
      leads: [
        {
          channel: 'ad_form',
          provider: 'google_ads',
          externalIds: {
            lead_id: 'Cj0KCQjwit_8BRCoARIsAIx3Rj7g-AeL6z35IWb6VYiZUygtTfwD3hDlgSGmY-XTTlK3lfV1wcuIwIAaAmMxEALw_wcB',
            campaign_id: '123456',
            adgroup_id: '0',
            creative_id: '0',
            form_id: '123456789',
            gcl_id: 'Cj0KCQjwit_8BRCoARIsAIx3Rj7g-AeL6z35IWb6VYiZUygtTfwD3hDlgSGmY-XTTlK3lfV1wcuIwIAaAmMxEALw_wcB',
          },
          // The source's default country (US) reads "1-650-555-0123" as a national number.
          person: { name: 'FirstName LastName', email: 'test@example.com', phone: '+16505550123' },
          answers: {},
          attribution: {
            gclid: 'Cj0KCQjwit_8BRCoARIsAIx3Rj7g-AeL6z35IWb6VYiZUygtTfwD3hDlgSGmY-XTTlK3lfV1wcuIwIAaAmMxEALw_wcB',
            campaignId: '123456',
            formId: '123456789',
          },
          isTest: true,
          idempotencyKey: 'google:Cj0KCQjwit_8BRCoARIsAIx3Rj7g-AeL6z35IWb6VYiZUygtTfwD3hDlgSGmY-XTTlK3lfV1wcuIwIAaAmMxEALw_wcB',
        },
      ],
    });
  });

  it('keeps int64 ids past 2^53 exact, digit for digit', () => {
    const body = `{"lead_id": 9223372036854775807, "campaign_id": 9007199254740993, "adgroup_id": 18014398509481985,
      "creative_id": 123456789012345678, "form_id": 9007199254740995, "google_key": "testkey", "is_test": false,
      "user_column_data": [{"column_id": "EMAIL", "string_value": "ann@acme.com"}]}`;
    const lead = leadOf(body);
    expect(lead.externalIds).toEqual({
      lead_id: '9223372036854775807', campaign_id: '9007199254740993', adgroup_id: '18014398509481985',
      creative_id: '123456789012345678', form_id: '9007199254740995',
    });
    expect(lead.attribution).toEqual({
      campaignId: '9007199254740993', adsetId: '18014398509481985', adId: '123456789012345678', formId: '9007199254740995',
    });
    expect(lead.idempotencyKey).toBe('google:9223372036854775807');
    expect(lead.isTest).toBe(false);
  });

  it('maps name, phone and email columns to the person and other columns to answers by their names', () => {
    const lead = leadOf(JSON.stringify({
      lead_id: 'L1',
      user_column_data: [
        { column_id: 'FIRST_NAME', string_value: 'Ann' },
        { column_id: 'LAST_NAME', string_value: 'Lee' },
        { column_id: 'PHONE_NUMBER', string_value: '+1 415 555 2671' },
        { column_id: 'WORK_EMAIL', string_value: 'Ann@Acme.com' },
        { column_id: 'POSTAL_CODE', string_value: '94016' },
        { column_name: 'How many seats?', column_id: 'how_many_seats?', string_value: '50' },
      ],
    }));
    expect(lead.person).toEqual({ firstName: 'Ann', lastName: 'Lee', name: 'Ann Lee', phone: '+14155552671', email: 'ann@acme.com' });
    expect(lead.answers).toEqual({ WORK_EMAIL: 'Ann@Acme.com', POSTAL_CODE: '94016', 'How many seats?': '50' });
  });

  it('names an unreadable column in rejected while the lead still counts', () => {
    const delivery = parse(JSON.stringify({
      lead_id: 'L2',
      user_column_data: [{ column_id: 'EMAIL', string_value: 'ann@acme.com' }, { column_id: 'PHONE_NUMBER' }, 7],
    }));
    expect(delivery).toMatchObject({
      kind: 'leads',
      leads: [{ person: { email: 'ann@acme.com' } }],
      rejected: [
        { field: 'user_column_data[1]', problem: 'string_value must be a string' },
        { field: 'user_column_data[2]', problem: 'must be an object' },
      ],
    });
  });

  it('answers 400 when the lead has no lead_id', () => {
    const error = thrown(() => parse('{"google_key":"testkey","user_column_data":[]}'));
    expect(error.statusCode).toBe(400);
    expect(error.fields).toEqual([{ field: 'lead_id', problem: 'must be a string or an integer' }]);
  });

  it('answers 400 when user_column_data is not a list', () => {
    expect(thrown(() => parse('{"lead_id":"L3","user_column_data":{}}')).statusCode).toBe(400);
  });
});
