import * as z from 'zod/mini';
import { fieldMap } from '../domain/field-map.js';
import type { Attribution } from '../../events/lead-captured.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { LeadReference, SourceContext } from './adapter.js';
import { LINKEDIN_PROVIDER } from './linkedin.js';
import {
  DEFAULT_RETRY_POLICY, networkFailure, ProviderApiError, retryAfterHeader, withRetries, type RetryPolicy,
} from './provider-api.js';
import { personFromFields } from '../domain/person-fields.js';

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

/** The parts of a lead form (`/rest/leadForms/{id}`) that say what each answer's question id is. */
const formSchema = z.object({
  id: z.optional(z.union([z.number(), z.string()])),
  creationLocale: z.optional(z.object({ country: z.optional(z.string()), language: z.optional(z.string()) })),
  content: z.optional(
    z.object({
      questions: z.optional(
        z.array(
          z.object({
            questionId: z.union([z.number(), z.string()]),
            name: z.optional(z.string()),
            predefinedField: z.optional(z.string()),
            question: z.optional(z.object({ localized: z.optional(z.record(z.string(), z.string())) })),
          }),
        ),
      ),
    }),
  ),
});
/** A lead form as the Lead Sync API returns it, reduced to what leadflow reads. */
export type LinkedInLeadForm = z.infer<typeof formSchema>;

/**
 * One GET against the Lead Sync API, retried as every LinkedIn read is: 429, 5xx and network failures
 * with jittered backoff (honouring Retry-After); 401, 403 and 404 will not improve and throw a
 * non-retryable `ProviderApiError` at once, as does a body that does not match `schema`.
 */
async function readLinkedIn<S extends z.ZodMiniType>(path: string, schema: S, what: string, options: LinkedInApiOptions): Promise<z.infer<S>> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${path}`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return withRetries<z.infer<S>>(
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
          message: `the LinkedIn API answered ${response.status} for ${what}`,
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
      const parsed = z.safeParse(schema, body);
      if (!parsed.success) return { ok: false, retryable: false, message: `the LinkedIn API answered with ${what} leadflow cannot read` };
      return { ok: true, value: parsed.data };
    },
    { ...DEFAULT_RETRY_POLICY, ...options.retry },
  );
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
  return readLinkedIn(`/rest/leadFormResponses/${leadId}`, leadResponseSchema, 'a lead', options);
}

const FORM_URN = /^(?:urn:li:leadGenForm:(\d{1,20})|urn:li:versionedLeadGenForm:\(urn:li:leadGenForm:(\d{1,20}),\d{1,10}\))$/;

/**
 * The numeric id of a lead form, from a bare id, `urn:li:leadGenForm:{id}` or a versioned form URN
 * `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:{id},{version})` as leads and notifications name it;
 * undefined for anything else.
 */
export function linkedInFormIdOf(formUrnOrId: string): string | undefined {
  const trimmed = formUrnOrId.trim();
  if (/^\d{1,20}$/.test(trimmed)) return trimmed;
  const urn = FORM_URN.exec(trimmed);
  return urn?.[1] ?? urn?.[2];
}

/**
 * What each question of a form is, by question id, in the shape `linkedInLeadToCanonical` takes: the
 * predefined field (`EMAIL`, `FIRST_NAME`, `PHONE_NUMBER`, ...) when the question has one, since that
 * is stable whatever language the form is in; otherwise the custom question's text in the form's own
 * locale, then its `name`.
 */
export function linkedInFormQuestions(form: LinkedInLeadForm): Record<string, string> {
  const { language, country } = form.creationLocale ?? {};
  const formLocale = language && country ? `${language}_${country}` : '';
  const questions = fieldMap();
  for (const question of form.content?.questions ?? []) {
    const localized = question.question?.localized ?? {};
    const texts = [localized[formLocale], ...Object.values(localized)];
    const label = [question.predefinedField, ...texts, question.name].map((text) => text?.trim()).find(Boolean);
    if (label) questions[String(question.questionId)] = label.slice(0, 200);
  }
  return questions;
}

/**
 * Reads a lead form's questions (`GET /rest/leadForms/{id}`), because a lead's answers name only
 * question ids. Same retry discipline as `fetchLinkedInLead`; a form URN or id leadflow cannot read is
 * a non-retryable `ProviderApiError`. Callers cache the answer per form: questions rarely change.
 */
export async function fetchLinkedInFormQuestions(formUrnOrId: string, options: LinkedInApiOptions): Promise<Record<string, string>> {
  const formId = linkedInFormIdOf(formUrnOrId);
  if (!formId) throw new ProviderApiError(LINKEDIN_PROVIDER, `"${formUrnOrId.slice(0, 80)}" is not a lead form URN or id`, false);
  return linkedInFormQuestions(await readLinkedIn(`/rest/leadForms/${formId}`, formSchema, 'a lead form', options));
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
  const answers = fieldMap();
  for (const { questionId, answerDetails } of lead.formResponse?.answers ?? []) {
    const text = answerDetails?.textQuestionAnswer?.answer ?? answerDetails?.multipleChoiceAnswer?.options?.join(', ');
    const value = text?.trim();
    if (!value) continue;
    const name = questions[String(questionId)] ?? `question_${questionId}`;
    const key = PREDEFINED[name];
    if (key && found[key] === undefined) found[key] = value;
    else answers[name] = value.slice(0, 10_000);
  }
  const person = personFromFields(found, { defaultCountry: source.defaultCountry, answers, badEmailAnswer: 'EMAIL' });

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
