import * as z from 'zod/mini';
import { fieldMap } from '../domain/field-map.js';
import type { Attribution, Person } from '../../events/lead-captured.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import { normalizeEmail } from '../domain/normalize-email.js';
import { normalizePhone } from '../domain/normalize-phone.js';
import type { LeadReference, SourceContext } from './adapter.js';
import { META_PROVIDER } from './meta-lead-ads.js';
import {
  DEFAULT_RETRY_POLICY, networkFailure, ProviderApiError, retryAfterHeader, withRetries,
  type AttemptOutcome, type RetryPolicy,
} from './provider-api.js';

const graphLeadSchema = z.object({
  id: z.string().check(z.minLength(1)),
  created_time: z.optional(z.string()),
  field_data: z.optional(z.array(z.object({ name: z.string(), values: z.optional(z.array(z.string())) }))),
  ad_id: z.optional(z.string()),
  adset_id: z.optional(z.string()),
  campaign_id: z.optional(z.string()),
  form_id: z.optional(z.string()),
  is_organic: z.optional(z.boolean()),
  platform: z.optional(z.string()),
});
/** A lead as the Graph API returns it for the fields leadflow asks for. */
export type GraphLead = z.infer<typeof graphLeadSchema>;

const LEAD_FIELDS = 'id,created_time,field_data,ad_id,adset_id,campaign_id,form_id,is_organic,platform';

/**
 * Graph error codes that mean "throttled or briefly down: wait and retry" (error-handling and
 * rate-limiting guides): 1 unknown/temporary, 2 service, 4 app, 17 user, 32 page, 341 application
 * limit, 613 custom, and the business-use-case range 80000-80014 (80001 is Pages).
 */
const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 341, 613]);
const isBusinessUseCaseLimit = (code: number): boolean => code >= 80000 && code <= 80014;

export interface MetaGraphOptions {
  accessToken: string;
  /** e.g. `https://graph.facebook.com`; a local stand-in in tests. */
  graphBaseUrl: string;
  /** e.g. `v21.0`. */
  apiVersion: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Per attempt; a read that hangs longer is retried. */
  timeoutMs?: number;
}

const graphErrorSchema = z.object({
  error: z.object({
    message: z.optional(z.string()),
    code: z.optional(z.number()),
    error_subcode: z.optional(z.number()),
    is_transient: z.optional(z.boolean()),
  }),
});

/**
 * Minutes Meta says a throttled app must wait, from `X-Business-Use-Case-Usage`
 * (`{"<id>": [{"estimated_time_to_regain_access": <minutes>, ...}]}`), as seconds.
 */
function businessUseCaseWaitSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  try {
    const usage: unknown = JSON.parse(header);
    let minutes = 0;
    for (const entries of Object.values(usage as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries as Array<Record<string, unknown>>) {
        const m = entry?.estimated_time_to_regain_access;
        if (typeof m === 'number' && m > minutes) minutes = m;
      }
    }
    return minutes > 0 ? minutes * 60 : undefined;
  } catch {
    return undefined;
  }
}

/** Decides what a non-2xx Graph answer means for retrying. */
function classifyFailure(status: number, bodyText: string, headers: Headers): AttemptOutcome<never> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const graphError = graphErrorSchema.safeParse(parsed);
  const error = graphError.success ? graphError.data.error : undefined;
  const code = error?.code;
  const message = `the Graph API answered ${status}${code !== undefined ? ` with error ${code}` : ''}${error?.message ? `: ${error.message.slice(0, 200)}` : ''}`;
  const throttled = code !== undefined && (RETRYABLE_CODES.has(code) || isBusinessUseCaseLimit(code));
  const retryAfterSeconds =
    retryAfterHeader(headers.get('retry-after')) ??
    (throttled ? businessUseCaseWaitSeconds(headers.get('x-business-use-case-usage')) : undefined);
  // 190 (token expired or invalid), 102 (session), 100 (unknown object or bad field), 10 and 200-299
  // (permissions) will fail again however often they are retried.
  const retryable = !isPermanent(code) && (throttled || error?.is_transient === true || status === 429 || status >= 500);
  return { ok: false, retryable, message, status, ...(code !== undefined && { code }), ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) };
}

function isPermanent(code: number | undefined): boolean {
  return code === 190 || code === 102 || code === 100 || code === 10 || (code !== undefined && code >= 200 && code <= 299);
}

/**
 * Reads one lead from the Graph API after its webhook was acknowledged. Throttling, 5xx, 429 and
 * network failures are retried with jittered backoff (honouring Retry-After and Meta's usage header);
 * a wait longer than the policy allows, or running out of attempts, throws a retryable
 * `ProviderApiError` so the queue can try later. An invalid token (190) or an unknown lead (100)
 * throws a non-retryable one at once.
 */
export async function fetchMetaLead(leadgenId: string, options: MetaGraphOptions): Promise<GraphLead> {
  if (!/^\d{1,30}$/.test(leadgenId)) {
    throw new ProviderApiError(META_PROVIDER, `"${leadgenId.slice(0, 40)}" is not a leadgen id`, false);
  }
  if (!/^v\d+\.\d+$/.test(options.apiVersion)) {
    throw new ProviderApiError(META_PROVIDER, `"${options.apiVersion}" is not a Graph API version like v21.0`, false);
  }
  const url = new URL(`${options.graphBaseUrl.replace(/\/+$/, '')}/${options.apiVersion}/${leadgenId}`);
  url.searchParams.set('access_token', options.accessToken);
  url.searchParams.set('fields', LEAD_FIELDS);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  return withRetries<GraphLead>(
    META_PROVIDER,
    async () => {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
        text = await response.text();
      } catch (error) {
        return networkFailure(error);
      }
      if (!response.ok) return classifyFailure(response.status, text, response.headers);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { ok: false, retryable: true, message: `the Graph API answered ${response.status} with a body that is not JSON` };
      }
      const lead = graphLeadSchema.safeParse(body);
      if (!lead.success) {
        return { ok: false, retryable: false, message: 'the Graph API answered with a lead leadflow cannot read' };
      }
      return { ok: true, value: lead.data };
    },
    { ...DEFAULT_RETRY_POLICY, ...options.retry },
  );
}

/** Meta's testing tool fills every field with this placeholder; test@meta.com is its email. */
const DUMMY_VALUE = /^<test lead: dummy data for /i;
const TEST_EMAIL = 'test@meta.com';

/** `2015-02-28T08:49:14+0000` (Graph's format, offset without a colon) as ISO 8601 UTC. */
export function graphTimeToIso(value: string): string | undefined {
  const iso = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(iso);
  return /^\d{4}-\d{2}-\d{2}T/.test(iso) && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/**
 * Maps a Graph lead onto the canonical lead, keeping the ids the webhook carried. `field_data`
 * names Meta's standard questions (email, phone_number, full_name, first_name, last_name); everything
 * else is an answer. A lead from Meta's testing tool (dummy placeholders, test@meta.com) is marked as a
 * test so it is not worked or counted.
 */
export function metaLeadToCanonical(graphLead: GraphLead, ref: LeadReference, source: SourceContext): CanonicalLead {
  const person: Person = {};
  const answers = fieldMap();
  let isTest = ref.isTest;
  for (const { name, values = [] } of graphLead.field_data ?? []) {
    const value = values.map((v) => v.trim()).filter(Boolean).join(', ');
    if (!value) continue;
    if (values.some((v) => DUMMY_VALUE.test(v))) isTest = true;
    const key = name.trim().toLowerCase();
    if (key === 'email') {
      const email = normalizeEmail(value);
      if (email === TEST_EMAIL) isTest = true;
      if (email) person.email = email;
      else answers[name] = value;
    } else if (key === 'phone_number' || key === 'phone') {
      const phone = normalizePhone(value, source.defaultCountry);
      if (phone) person.phone = phone;
      else person.phoneRaw = value.slice(0, 100);
    } else if (key === 'full_name') {
      person.name = value.slice(0, 200);
    } else if (key === 'first_name') {
      person.firstName = value.slice(0, 100);
    } else if (key === 'last_name') {
      person.lastName = value.slice(0, 100);
    } else {
      answers[name] = value.slice(0, 10_000);
    }
  }
  if (!person.name && (person.firstName || person.lastName)) {
    person.name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  }

  const externalIds: Record<string, string> = { ...ref.externalIds, leadgen_id: ref.externalId };
  const ids: Array<[string, string | undefined]> = [
    ['ad_id', graphLead.ad_id], ['adset_id', graphLead.adset_id], ['campaign_id', graphLead.campaign_id],
    ['form_id', graphLead.form_id], ['platform', graphLead.platform],
  ];
  for (const [key, value] of ids) if (value) externalIds[key] = value;
  if (graphLead.is_organic !== undefined) externalIds.is_organic = String(graphLead.is_organic);
  const createdAt = graphLead.created_time ? graphTimeToIso(graphLead.created_time) : undefined;
  if (createdAt) externalIds.created_time = createdAt;

  const attribution: Attribution = { ...ref.attribution };
  if (graphLead.campaign_id) attribution.campaignId = graphLead.campaign_id;
  if (graphLead.adset_id) attribution.adsetId = graphLead.adset_id;
  if (graphLead.ad_id) attribution.adId = graphLead.ad_id;
  if (graphLead.form_id) attribution.formId = graphLead.form_id;

  return {
    channel: 'ad_form',
    provider: META_PROVIDER,
    externalIds,
    person,
    answers,
    attribution,
    isTest,
    idempotencyKey: `meta:${ref.externalId}`,
  };
}
