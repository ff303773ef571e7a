import type { LeadReferenced, LeadWithdrawn } from '../../events/lead-referenced.js';
import type { EventPublisher } from '../aws/event-publisher.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { Source } from '../domain/directory.js';
import type { LeadReference, SourceContext } from '../sources/adapter.js';
import { LINKEDIN_PROVIDER } from '../sources/linkedin.js';
import { fetchLinkedInLead, linkedInLeadToCanonical } from '../sources/linkedin-api.js';
import { fetchMetaLead, metaLeadToCanonical } from '../sources/meta-graph.js';
import { META_PROVIDER } from '../sources/meta-lead-ads.js';
import { ProviderApiError } from '../sources/provider-api.js';
import { isWithdrawn, leadIdOfDedupeKey, recordWithdrawal, withdrawLead } from '../store/lead-store.js';
import type { Table } from '../store/table.js';
import { acceptLead, idempotencyDedupeKey } from './accept-lead.js';

/** Where the providers' APIs are; tests and the local platform point them at stand-ins. */
export interface ProviderApis {
  metaGraphUrl: string;
  metaGraphVersion: string;
  linkedInUrl: string;
  linkedInVersion: string;
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
  publisher: EventPublisher;
  now: () => Date;
  contentWindowSeconds: number;
  apis: ProviderApis;
  sourceOf(sourceId: string): Promise<Source | undefined>;
  secretsOf(sourceId: string): Promise<Record<string, string>>;
}

async function readLead(deps: FetchLeadDeps, ref: LeadReference, context: SourceContext): Promise<{ lead: CanonicalLead; raw: unknown }> {
  const accessToken = context.secrets.accessToken;
  if (!accessToken) throw new ProviderApiError(ref.provider, `source ${context.sourceId} has no accessToken secret to read leads with`, false);
  if (ref.provider === META_PROVIDER) {
    const raw = await fetchMetaLead(ref.externalId, { accessToken, graphBaseUrl: deps.apis.metaGraphUrl, apiVersion: deps.apis.metaGraphVersion });
    return { lead: metaLeadToCanonical(raw, ref, context), raw };
  }
  if (ref.provider === LINKEDIN_PROVIDER) {
    const raw = await fetchLinkedInLead(ref.externalId, { accessToken, baseUrl: deps.apis.linkedInUrl, apiVersion: deps.apis.linkedInVersion });
    return { lead: linkedInLeadToCanonical(raw, ref, context), raw };
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
  const context: SourceContext = { sourceId: source.sourceId, defaultCountry: source.defaultCountry, secrets: await deps.secretsOf(source.sourceId) };
  const { version: _v, sourceId: _s, receivedAt, ...ref } = referenced;
  const { lead, raw } = await readLead(deps, ref, context);
  const body = JSON.stringify(raw);
  return acceptLead(deps, {
    source,
    lead,
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
