import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readReferencedLead, type ProviderApis } from '../../shared/use-cases/fetch-referenced-lead.js';
import {
  fetchLinkedInFormQuestions, fetchLinkedInLead, linkedInLeadToCanonical, type LinkedInApiOptions,
} from '../../shared/sources/linkedin-api.js';
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

// Shape from the Lead Sync leadForms response (questions with predefinedField, or a localized
// question text for custom ones); ids and texts invented.
const form = {
  id: 5678,
  versionId: 1,
  name: 'Demo request',
  state: 'PUBLISHED',
  creationLocale: { country: 'US', language: 'en' },
  content: {
    questions: [
      { questionId: 1, question: { localized: { en_US: 'First name' } }, name: 'First name', predefinedField: 'FIRST_NAME', responseRequired: true },
      { questionId: 2, question: { localized: { en_US: 'Last name' } }, name: 'Last name', predefinedField: 'LAST_NAME', responseRequired: true },
      { questionId: 3, question: { localized: { en_US: 'Email address' } }, name: 'Email address', predefinedField: 'EMAIL', responseRequired: true },
      {
        questionId: 4, question: { localized: { de_DE: 'Firmengröße', en_US: 'Company size' } }, name: 'companySize',
        questionDetails: { textQuestionDetails: { maxResponseLength: 300 } }, responseRequired: false,
      },
      { questionId: 6, question: { localized: { en_US: 'Phone' } }, name: 'Phone number', predefinedField: 'PHONE_NUMBER', responseRequired: false },
      { questionId: 7, name: 'budget', responseRequired: false },
    ],
  },
};
const FORM_URN = 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:5678,1)';

/** A lead of `formUrn` whose answers fill every question of `form`. */
function leadOf(id: string, formUrn: string) {
  const answer = (questionId: number, text: string) => ({ questionId, answerDetails: { textQuestionAnswer: { answer: text } } });
  return {
    id, leadType: 'SPONSORED', versionedLeadGenFormUrn: formUrn, submittedAt: 1772442847000, testLead: false,
    formResponse: {
      answers: [answer(1, 'Bea'), answer(2, 'Kim'), answer(3, ' Bea.Kim@Example.org '), answer(4, '11-50'), answer(6, '(415) 555-2671'), answer(7, '10k')],
    },
  };
}
const withForm = leadOf('0a1b2c3d-with-form', FORM_URN);
const otherForm = { ...form, id: 9012 };
const sameFormLeads = [leadOf('lead-9012-a', 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:9012,3)'), leadOf('lead-9012-b', 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:9012,3)')];
const unknownForm = leadOf('lead-of-unknown-form', 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:4040,1)');

let api: ApiStandIn;
let waits: number[];
beforeAll(async () => {
  const leads = Object.fromEntries([lead, withForm, ...sameFormLeads, unknownForm].map((l) => [l.id, l]));
  api = await startLinkedInStandIn({ accessToken: TOKEN, leads, forms: { '5678': form, '9012': otherForm } });
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

describe('fetchLinkedInFormQuestions against a local Lead Sync stand-in', () => {
  it('reads a form by its versioned URN and names each question by its predefined field, else its text in the form\'s locale, else its name', async () => {
    await expect(fetchLinkedInFormQuestions(FORM_URN, options())).resolves.toEqual({
      '1': 'FIRST_NAME', '2': 'LAST_NAME', '3': 'EMAIL', '4': 'Company size', '6': 'PHONE_NUMBER', '7': 'budget',
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({
      path: '/rest/leadForms/5678',
      headers: { authorization: `Bearer ${TOKEN}`, 'linkedin-version': '202506', 'x-restli-protocol-version': '2.0.0' },
    });
  });

  it('takes a bare form id or a leadGenForm URN, and refuses anything else without a request', async () => {
    await expect(fetchLinkedInFormQuestions('5678', options())).resolves.toMatchObject({ '3': 'EMAIL' });
    await expect(fetchLinkedInFormQuestions('urn:li:leadGenForm:5678', options())).resolves.toMatchObject({ '3': 'EMAIL' });
    expect(await failureOf(fetchLinkedInFormQuestions('urn:li:sponsoredCampaign:5678', options()))).toMatchObject({ retryable: false });
    expect(await failureOf(fetchLinkedInFormQuestions('../leadFormResponses/x', options()))).toMatchObject({ retryable: false });
    expect(api.requests.map((r) => r.path)).toEqual(['/rest/leadForms/5678', '/rest/leadForms/5678']);
  });

  it('retries a 503 on the form, then reads its questions', async () => {
    api.failNext(1, { status: 503, body: { status: 503 } });
    await expect(fetchLinkedInFormQuestions(FORM_URN, options())).resolves.toMatchObject({ '6': 'PHONE_NUMBER' });
    expect(api.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('fails non-retryable at once for an unknown form (404) and a wrong token (401)', async () => {
    expect(await failureOf(fetchLinkedInFormQuestions('4040', options()))).toMatchObject({ retryable: false, details: { status: 404 } });
    expect(await failureOf(fetchLinkedInFormQuestions('5678', options({ accessToken: 'nope' })))).toMatchObject({ retryable: false, details: { status: 401 } });
    expect(api.requests).toHaveLength(2);
  });
});

describe('readReferencedLead for LinkedIn, through the stand-in', () => {
  const apis = (): ProviderApis => ({
    metaGraphUrl: 'http://127.0.0.1:9', metaGraphVersion: 'v21.0', linkedInUrl: api.url, linkedInVersion: '202506',
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxHonouredWaitSeconds: 1, sleep: async () => {} },
  });
  const context = { sourceId: 'li', defaultCountry: 'US', secrets: { accessToken: TOKEN } };
  const refOf = (id: string, externalIds: Record<string, string> = {}) => ({
    provider: 'linkedin', externalId: id, externalIds: { lead_urn: `urn:li:leadGenFormResponse:${id}`, ...externalIds }, attribution: {}, isTest: false,
  });

  it('reads the lead and its form, so the person comes out with name, email and phone filled', async () => {
    const { lead: read } = await readReferencedLead({ apis: apis() }, refOf(withForm.id), context);
    expect(read.person).toEqual({ firstName: 'Bea', lastName: 'Kim', name: 'Bea Kim', email: 'bea.kim@example.org', phone: '+14155552671' });
    expect(read.answers).toEqual({ 'Company size': '11-50', budget: '10k' });
    expect(api.requests.map((r) => r.path)).toEqual([`/rest/leadFormResponses/${withForm.id}`, '/rest/leadForms/5678']);
  });

  it('reads a form once for several of its leads while its questions are cached', async () => {
    for (const l of sameFormLeads) {
      const { lead: read } = await readReferencedLead({ apis: apis() }, refOf(l.id), context);
      expect(read.person.email).toBe('bea.kim@example.org');
    }
    expect(api.requests.filter((r) => r.path.startsWith('/rest/leadForms/')).map((r) => r.path)).toEqual(['/rest/leadForms/9012']);
  });

  it('keeps the answers by question id when the form is gone for good (404) instead of losing the lead', async () => {
    const { lead: read } = await readReferencedLead({ apis: apis() }, refOf(unknownForm.id), context);
    expect(read.person).toEqual({});
    expect(read.answers).toMatchObject({ question_3: 'Bea.Kim@Example.org', question_6: '(415) 555-2671' });
  });

  it('takes the form from the notification when the lead does not name it', async () => {
    const { versionedLeadGenFormUrn: _form, ...bare } = lead;
    const bareApi = await startLinkedInStandIn({ accessToken: TOKEN, leads: { [bare.id]: bare }, forms: { '5678': form } });
    try {
      const { lead: read } = await readReferencedLead({ apis: { ...apis(), linkedInUrl: bareApi.url } }, refOf(bare.id, { form: FORM_URN }), context);
      expect(read.person).toEqual({ firstName: 'Ann', lastName: 'Lee', name: 'Ann Lee', email: 'ann@acme.com' });
      expect(bareApi.requests.map((r) => r.path)).toContain('/rest/leadForms/5678');
    } finally {
      await bareApi.close();
    }
  });
});
