import { LEAD_REFERENCED, LEAD_WITHDRAWN, leadReferencedSchema, leadWithdrawnSchema, type LeadReferenced, type LeadWithdrawn } from '../../events/lead-referenced.js';
import { parseDetail } from '../aws/event-input.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { Source } from '../domain/directory.js';
import type { LeadReference, SourceContext } from '../sources/adapter.js';
import { LINKEDIN_PROVIDER } from '../sources/linkedin.js';
import { fetchLinkedInFormQuestions, fetchLinkedInLead, linkedInLeadToCanonical, type LinkedInApiOptions } from '../sources/linkedin-api.js';
import { fetchMetaLead, metaLeadToCanonical } from '../sources/meta-graph.js';
import { META_PROVIDER } from '../sources/meta-lead-ads.js';
import { ProviderApiError, type RetryPolicy } from '../sources/provider-api.js';
import { logger } from '../observability/logger.js';
import { isWithdrawn, leadIdOfDedupeKey, recordWithdrawal, withdrawLead } from '../store/lead-store.js';
import type { Table } from '../store/table.js';
import { captureCanonicalLead, idempotencyDedupeKey } from './capture-lead.js';
import { boundLead } from '../intake/bounds.js';

/** Where the providers' APIs are; tests and the local platform point them at stand-ins. */
export interface ProviderApis {
  metaGraphUrl: string;
  metaGraphVersion: string;
  linkedInUrl: string;
  linkedInVersion: string;
  /** Tests shorten the waits between retried reads; the providers' defaults otherwise. */
  retry?: Partial<RetryPolicy>;
}

/** The provider APIs from the environment, defaulting to the real ones. */
export function providerApisFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderApis {
  return {
    metaGraphUrl: env.META_GRAPH_URL?.trim() || 'https://graph.facebook.com',
    metaGraphVersion: env.META_GRAPH_VERSION?.trim() || 'v21.0',
    linkedInUrl: env.LINKEDIN_API_URL?.trim() || 'https://api.linkedin.com',
    linkedInVersion: env.LINKEDIN_API_VERSION?.trim() || '202506',
  };
}

export interface FetchLeadDeps {
  table: Table;
  now: () => Date;
  contentWindowSeconds: number;
  apis: ProviderApis;
  sourceOf(sourceId: string): Promise<Source | undefined>;
  /** The source's secrets by name, of the version its item names. */
  secretsOf(sourceId: string, version?: number): Promise<Record<string, string>>;
}

/** A form's questions change rarely; a burst of leads from one form reads it once. */
const FORM_QUESTIONS_TTL_MS = 10 * 60_000;
const formQuestionsCache = new Map<string, { questions: Promise<Record<string, string>>; until: number }>();

/**
 * The questions of a LinkedIn lead form, read at most once per form every 10 minutes in this process.
 * A failed read is not remembered, so the next lead tries again.
 */
function linkedInFormQuestions(formUrn: string, options: LinkedInApiOptions): Promise<Record<string, string>> {
  const key = `${options.baseUrl} ${formUrn}`;
  const now = Date.now();
  const hit = formQuestionsCache.get(key);
  if (hit && hit.until > now) return hit.questions;
  if (formQuestionsCache.size > 1_000) formQuestionsCache.clear();
  const questions = fetchLinkedInFormQuestions(formUrn, options);
  formQuestionsCache.set(key, { questions, until: now + FORM_QUESTIONS_TTL_MS });
  questions.catch(() => {
    if (formQuestionsCache.get(key)?.questions === questions) formQuestionsCache.delete(key);
  });
  return questions;
}

/**
 * Reads the lead a reference names from its provider's API and maps it onto the canonical lead. A
 * LinkedIn lead's answers name only question ids, so its form is read too (the form URN comes from the
 * lead, else from the notification): a form that cannot be read for good (403, 404) leaves the answers
 * under `question_<id>` rather than losing the lead; a form read worth retrying fails the whole read.
 */
export async function readReferencedLead(
  deps: Pick<FetchLeadDeps, 'apis'>,
  ref: LeadReference,
  context: SourceContext,
): Promise<{ lead: CanonicalLead; raw: unknown }> {
  const accessToken = context.secrets.accessToken;
  if (!accessToken) throw new ProviderApiError(ref.provider, `source ${context.sourceId} has no accessToken secret to read leads with`, false);
  const { apis } = deps;
  const retry = apis.retry ? { retry: apis.retry } : {};
  if (ref.provider === META_PROVIDER) {
    const raw = await fetchMetaLead(ref.externalId, { accessToken, graphBaseUrl: apis.metaGraphUrl, apiVersion: apis.metaGraphVersion, ...retry });
    return { lead: metaLeadToCanonical(raw, ref, context), raw };
  }
  if (ref.provider === LINKEDIN_PROVIDER) {
    const options: LinkedInApiOptions = { accessToken, baseUrl: apis.linkedInUrl, apiVersion: apis.linkedInVersion, ...retry };
    const raw = await fetchLinkedInLead(ref.externalId, options);
    const formUrn = raw.versionedLeadGenFormUrn ?? ref.externalIds.form;
    let questions: Record<string, string> = {};
    if (formUrn) {
      try {
        questions = await linkedInFormQuestions(formUrn, options);
      } catch (error) {
        if (!(error instanceof ProviderApiError) || error.retryable) throw error;
        logger.warn('LinkedIn lead form unreadable; answers kept by question id', { formUrn, why: error.message });
      }
    }
    return { lead: linkedInLeadToCanonical(raw, ref, context, questions), raw };
  }
  throw new ProviderApiError(ref.provider, `leadflow cannot read ${ref.provider} leads by reference`, false);
}

/**
 * Reads a lead the provider only named, and captures it like any other: a repeated reference (Meta
 * repeats notifications, even inside one POST) finds the provider's lead id claimed and creates
 * nothing. A lead the provider has withdrawn is not captured. A failed read throws a
 * `ProviderApiError`, which says whether to try again.
 */
export async function captureReferencedLead(deps: FetchLeadDeps, referenced: LeadReferenced): Promise<{ leadId?: string; duplicate?: boolean; skipped?: string }> {
  if (await isWithdrawn(deps.table, referenced.provider, referenced.externalId)) return { skipped: 'withdrawn by the provider' };
  const source = await deps.sourceOf(referenced.sourceId);
  if (!source) return { skipped: `source ${referenced.sourceId} no longer exists` };
  const context: SourceContext = { sourceId: source.sourceId, defaultCountry: source.defaultCountry, secrets: await deps.secretsOf(source.sourceId, source.secretsVersion) };
  const { version: _v, sourceId: _s, receivedAt, ...ref } = referenced;
  const { lead, raw } = await readReferencedLead(deps, ref, context);
  const body = JSON.stringify(raw);
  return captureCanonicalLead(deps, {
    source,
    lead: boundLead(lead),
    receivedAt: new Date(receivedAt),
    raw: { contentType: 'application/json', body: body.length > 65_536 ? body.slice(0, 65_536) : body, headers: { 'x-leadflow-read-from': ref.provider } },
  });
}

/** Records a provider's withdrawal and marks the lead withdrawn if it was captured already. */
export async function withdrawReferencedLead(deps: Pick<FetchLeadDeps, 'table' | 'now'>, withdrawn: LeadWithdrawn): Promise<void> {
  const at = deps.now().toISOString();
  await recordWithdrawal(deps.table, { provider: withdrawn.provider, externalId: withdrawn.externalId, at });
  const prefix = withdrawn.provider === LINKEDIN_PROVIDER ? 'linkedin' : withdrawn.provider === META_PROVIDER ? 'meta' : withdrawn.provider;
  const leadId = await leadIdOfDedupeKey(deps.table, withdrawn.sourceId, idempotencyDedupeKey(`${prefix}:${withdrawn.externalId}`));
  if (leadId) await withdrawLead(deps.table, { leadId, at, why: `${withdrawn.provider} withdrew lead ${withdrawn.externalId}` });
}

/**
 * One message of the lead-fetch queue: a withdrawal is recorded; a reference is read from its provider
 * and captured. A failed read throws (the queue brings the message back); what was skipped says why.
 */
export async function fetchReferencedLead(
  deps: FetchLeadDeps,
  message: { detailType: string | undefined; detail: unknown },
): Promise<{ leadId?: string; duplicate?: boolean; skipped?: string; withdrawn?: boolean }> {
  if (message.detailType === LEAD_WITHDRAWN) {
    await withdrawReferencedLead(deps, parseDetail(leadWithdrawnSchema, LEAD_WITHDRAWN, message.detail));
    return { withdrawn: true };
  }
  return captureReferencedLead(deps, parseDetail(leadReferencedSchema, LEAD_REFERENCED, message.detail));
}
