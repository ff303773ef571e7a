import * as z from 'zod/mini';
import type { Attribution, Person } from '../../events/lead-captured.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import { normalizeEmail } from '../domain/normalize-email.js';
import { normalizePhone } from '../domain/normalize-phone.js';
import type { LeadReference, SourceContext } from './adapter.js';
import { LINKEDIN_PROVIDER } from './linkedin.js';
import {
  DEFAULT_RETRY_POLICY, networkFailure, ProviderApiError, retryAfterHeader, withRetries, type RetryPolicy,
} from './provider-api.js';

const answerSchema = z.object({
  questionId: z.union([z.number(), z.string()]),
  answerDetails: z.optional(
    z.object({
      textQuestionAnswer: z.optional(z.object({ answer: z.optional(z.string()) })),
      multipleChoiceAnswer: z.optional(z.object({ options: z.optional(z.array(z.union([z.number(), z.string()]))) })),
    }),
  ),
});

const leadResponseSchema = z.object({
  id: z.string().check(z.minLength(1)),
  leadType: z.optional(z.string()),
  submittedAt: z.optional(z.number()),
  testLead: z.optional(z.boolean()),
  versionedLeadGenFormUrn: z.optional(z.string()),
  owner: z.optional(z.record(z.string(), z.string())),
  associatedEntity: z.optional(z.record(z.string(), z.string())),
  leadMetadata: z.optional(z.object({ sponsoredLeadMetadata: z.optional(z.object({ campaign: z.optional(z.string()) })) })),
  formResponse: z.optional(z.object({ answers: z.optional(z.array(answerSchema)) })),
});
/** A lead form response as the Lead Sync API returns it (`/rest/leadFormResponses/{id}`). */
export type LinkedInLeadResponse = z.infer<typeof leadResponseSchema>;

export interface LinkedInApiOptions {
  accessToken: string;
  /** e.g. `https://api.linkedin.com`; a local stand-in in tests. */
  baseUrl: string;
  /** The `LinkedIn-Version` header, e.g. `202506`. */
  apiVersion: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

/**
 * Reads one lead form response after its notification was acknowledged, with the same discipline as
 * the Graph read: 429, 5xx and network failures are retried with jittered backoff (honouring
 * Retry-After); 401, 403 and 404 will not improve and throw a non-retryable `ProviderApiError` at once.
 */
export async function fetchLinkedInLead(leadId: string, options: LinkedInApiOptions): Promise<LinkedInLeadResponse> {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(leadId)) {
    throw new ProviderApiError(LINKEDIN_PROVIDER, `"${leadId.slice(0, 40)}" is not a lead id`, false);
  }
  const url = `${options.baseUrl.replace(/\/+$/, '')}/rest/leadFormResponses/${leadId}`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return withRetries<LinkedInLeadResponse>(
    LINKEDIN_PROVIDER,
    async () => {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            authorization: `Bearer ${options.accessToken}`,
            'linkedin-version': options.apiVersion,
            'x-restli-protocol-version': '2.0.0',
            accept: 'application/json',
          },
        });
        text = await response.text();
      } catch (error) {
        return networkFailure(error);
      }
      if (!response.ok) {
        const retryAfterSeconds = retryAfterHeader(response.headers.get('retry-after'));
        return {
          ok: false,
          retryable: response.status === 429 || response.status >= 500,
          message: `the LinkedIn API answered ${response.status}`,
          status: response.status,
          ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
        };
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { ok: false, retryable: true, message: `the LinkedIn API answered ${response.status} with a body that is not JSON` };
      }
      const lead = leadResponseSchema.safeParse(body);
      if (!lead.success) return { ok: false, retryable: false, message: 'the LinkedIn API answered with a lead leadflow cannot read' };
      return { ok: true, value: lead.data };
    },
    { ...DEFAULT_RETRY_POLICY, ...options.retry },
  );
}

type PersonKey = 'firstName' | 'lastName' | 'email' | 'phone';
const PREDEFINED: Record<string, PersonKey> = {
  FIRST_NAME: 'firstName', LAST_NAME: 'lastName', EMAIL: 'email', WORK_EMAIL: 'email', PHONE_NUMBER: 'phone', WORK_PHONE: 'phone',
};

/**
 * Maps a lead form response onto the canonical lead. LinkedIn's answers name only a question id; the
 * form's questions (read once per form from `/rest/leadForms`, and cached by the caller) say what each
 * id is: a predefined field such as `EMAIL` or `FIRST_NAME`, or a custom question's label. Answers to
 * questions the map does not name are kept as `question_<id>`.
 */
export function linkedInLeadToCanonical(
  lead: LinkedInLeadResponse,
  ref: LeadReference,
  source: SourceContext,
  questions: Record<string, string> = {},
): CanonicalLead {
  const found: Partial<Record<PersonKey, string>> = {};
  const answers: Record<string, string> = {};
  for (const { questionId, answerDetails } of lead.formResponse?.answers ?? []) {
    const text = answerDetails?.textQuestionAnswer?.answer ?? answerDetails?.multipleChoiceAnswer?.options?.join(', ');
    const value = text?.trim();
    if (!value) continue;
    const name = questions[String(questionId)] ?? `question_${questionId}`;
    const key = PREDEFINED[name];
    if (key && found[key] === undefined) found[key] = value;
    else answers[name] = value.slice(0, 10_000);
  }
  const person: Person = {};
  if (found.firstName) person.firstName = found.firstName.slice(0, 100);
  if (found.lastName) person.lastName = found.lastName.slice(0, 100);
  if (person.firstName || person.lastName) person.name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  if (found.email) {
    const email = normalizeEmail(found.email);
    if (email) person.email = email;
    else answers.EMAIL = found.email;
  }
  if (found.phone) {
    const phone = normalizePhone(found.phone, source.defaultCountry);
    if (phone) person.phone = phone;
    else person.phoneRaw = found.phone.slice(0, 100);
  }

  const externalIds: Record<string, string> = { ...ref.externalIds, lead_id: ref.externalId };
  if (lead.versionedLeadGenFormUrn) externalIds.form = lead.versionedLeadGenFormUrn;
  if (lead.leadType) externalIds.lead_type = lead.leadType;
  const campaign = lead.leadMetadata?.sponsoredLeadMetadata?.campaign;
  const creative = lead.associatedEntity?.associatedCreative;
  if (campaign) externalIds.campaign = campaign;
  if (creative) externalIds.creative = creative;
  if (lead.submittedAt !== undefined) {
    const at = new Date(lead.submittedAt);
    if (!Number.isNaN(at.getTime())) externalIds.submitted_at = at.toISOString();
  }
  const attribution: Attribution = { ...ref.attribution };
  if (campaign) attribution.campaignId = campaign;
  if (creative) attribution.adId = creative;
  if (lead.versionedLeadGenFormUrn) attribution.formId = lead.versionedLeadGenFormUrn;

  return {
    channel: 'ad_form',
    provider: LINKEDIN_PROVIDER,
    externalIds,
    person,
    answers,
    attribution,
    isTest: ref.isTest || lead.testLead === true,
    idempotencyKey: `linkedin:${ref.externalId}`,
  };
}
