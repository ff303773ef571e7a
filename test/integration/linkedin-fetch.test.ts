import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchLinkedInLead, linkedInLeadToCanonical, type LinkedInApiOptions } from '../../shared/sources/linkedin-api.js';
import { ProviderApiError } from '../../shared/sources/provider-api.js';
import { startLinkedInStandIn } from '../support/linkedin-stand-in.js';
import type { ApiStandIn } from '../support/graph-stand-in.js';

const TOKEN = 'li-token';
// Shape from LinkedIn's Lead Sync "fetch full lead data" response; values invented.
const lead = {
  owner: { sponsoredAccount: 'urn:li:sponsoredAccount:522529623' },
  submitter: 'urn:li:person:AbCdEf',
  leadType: 'SPONSORED',
  leadMetadata: { sponsoredLeadMetadata: { campaign: 'urn:li:sponsoredCampaign:1234567' } },
  versionedLeadGenFormUrn: 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:5678,1)',
  id: '3f1c2a9e-7d1b-4b0e-9d2a-0c9b8f7e6d5c',
  submittedAt: 1772442847000,
  testLead: true,
  associatedEntity: { associatedCreative: 'urn:li:sponsoredCreative:91011' },
  formResponse: {
    consentResponses: [{ accepted: true, consentId: 1 }],
    answers: [
      { questionId: 1, answerDetails: { textQuestionAnswer: { answer: 'Ann' } } },
      { questionId: 2, answerDetails: { textQuestionAnswer: { answer: 'Lee' } } },
      { questionId: 3, answerDetails: { textQuestionAnswer: { answer: 'Ann@Acme.com' } } },
      { questionId: 4, answerDetails: { textQuestionAnswer: { answer: '50-200' } } },
      { questionId: 5, answerDetails: { textQuestionAnswer: { answer: 'unmapped' } } },
    ],
  },
};

let api: ApiStandIn;
let waits: number[];
beforeAll(async () => {
  api = await startLinkedInStandIn({ accessToken: TOKEN, leads: { [lead.id]: lead } });
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
  waits = [];
});

const options = (overrides: Partial<LinkedInApiOptions> = {}): LinkedInApiOptions => ({
  accessToken: TOKEN,
  baseUrl: api.url,
  apiVersion: '202506',
  retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxHonouredWaitSeconds: 1, sleep: async (ms) => { waits.push(ms); } },
  ...overrides,
});

async function failureOf(promise: Promise<unknown>): Promise<ProviderApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderApiError);
  return error as ProviderApiError;
}

describe('fetchLinkedInLead against a local Lead Sync stand-in', () => {
  it('reads a lead with the bearer token, version and Rest.li headers', async () => {
    await expect(fetchLinkedInLead(lead.id, options())).resolves.toMatchObject({ id: lead.id, testLead: true });
    expect(api.requests[0]).toMatchObject({
      path: `/rest/leadFormResponses/${lead.id}`,
      headers: { authorization: `Bearer ${TOKEN}`, 'linkedin-version': '202506', 'x-restli-protocol-version': '2.0.0' },
    });
  });

  it('retries a 429 and a 503, then reads the lead', async () => {
    api.failNext(1, { status: 429, headers: { 'retry-after': '0' }, body: { status: 429 } });
    api.failNext(1, { status: 503, body: { status: 503 } });
    await expect(fetchLinkedInLead(lead.id, options())).resolves.toMatchObject({ id: lead.id });
    expect(api.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('gives up retryable when the API keeps answering 500', async () => {
    api.failNext(3, { status: 500, body: { status: 500 } });
    expect(await failureOf(fetchLinkedInLead(lead.id, options()))).toMatchObject({ retryable: true, details: { status: 500, attempts: 3 } });
  });

  it('gives up at once, retryable, when Retry-After asks for longer than the policy waits', async () => {
    api.failNext(1, { status: 429, headers: { 'retry-after': '120' }, body: { status: 429 } });
    expect(await failureOf(fetchLinkedInLead(lead.id, options()))).toMatchObject({ retryable: true, retryAfterSeconds: 120 });
    expect(api.requests).toHaveLength(1);
  });

  it('fails non-retryable at once for a wrong token (401) and an unknown lead (404)', async () => {
    expect(await failureOf(fetchLinkedInLead(lead.id, options({ accessToken: 'nope' })))).toMatchObject({ retryable: false, details: { status: 401 } });
    expect(await failureOf(fetchLinkedInLead('missing-lead', options()))).toMatchObject({ retryable: false, details: { status: 404 } });
    expect(api.requests).toHaveLength(2);
  });

  it('maps a fetched lead with the form\'s question map onto a canonical test lead', async () => {
    const fetched = await fetchLinkedInLead(lead.id, options());
    const ref = { provider: 'linkedin', externalId: lead.id, externalIds: { lead_urn: `urn:li:leadGenFormResponse:${lead.id}` }, attribution: {}, isTest: false };
    const canonical = linkedInLeadToCanonical(fetched, ref, { sourceId: 'li', secrets: {} }, {
      '1': 'FIRST_NAME', '2': 'LAST_NAME', '3': 'EMAIL', '4': 'Company size',
    });
    expect(canonical).toEqual({
      channel: 'ad_form',
      provider: 'linkedin',
      externalIds: {
        lead_urn: `urn:li:leadGenFormResponse:${lead.id}`, lead_id: lead.id, form: lead.versionedLeadGenFormUrn,
        lead_type: 'SPONSORED', campaign: 'urn:li:sponsoredCampaign:1234567', creative: 'urn:li:sponsoredCreative:91011',
        submitted_at: '2026-03-02T09:14:07.000Z',
      },
      person: { firstName: 'Ann', lastName: 'Lee', name: 'Ann Lee', email: 'ann@acme.com' },
      answers: { 'Company size': '50-200', question_5: 'unmapped' },
      attribution: {
        campaignId: 'urn:li:sponsoredCampaign:1234567', adId: 'urn:li:sponsoredCreative:91011', formId: lead.versionedLeadGenFormUrn,
      },
      isTest: true,
      idempotencyKey: `linkedin:${lead.id}`,
    });
  });
});
