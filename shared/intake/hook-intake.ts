import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CALL_TRACKED, type CallTracked } from '../../events/call-tracked.js';
import { LEAD_REFERENCED, LEAD_WITHDRAWN, type LeadReferenced, type LeadWithdrawn } from '../../events/lead-referenced.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { Source } from '../domain/directory.js';
import { ClientError, NotFoundError, ValidationError } from '../domain/errors.js';
import { inboundRequestOf } from '../http/inbound-request.js';
import { json } from '../http/responses.js';
import type { Delivery, InboundRequest, SourceAdapter, SourceContext } from '../sources/adapter.js';
import { recordDelivery } from '../store/delivery-store.js';
import type { Table } from '../store/table.js';
import { captureCanonicalLead } from '../use-cases/capture-lead.js';
import { boundLead, rawRequestOf } from './bounds.js';

type MultipartParser = (request: InboundRequest, source: SourceContext) => Promise<Delivery>;

/** Webhook bodies over 1 MB are refused (413) before anything else is read. */
export const MAX_HOOK_BYTES = 1_048_576;

export interface HookIntakeDeps {
  table: Table;
  now: () => Date;
  contentWindowSeconds: number;
  /** The configured source, or undefined when there is none. */
  sourceOf(sourceId: string): Promise<Source | undefined>;
  /** The source's secrets by name (empty when it has none), of the version its item names. */
  secretsOf(sourceId: string, version?: number): Promise<Record<string, string>>;
}

/** `/v1/hooks/<provider>/<sourceId>[/...]`: the provider named by the path. */
function providerOf(event: APIGatewayProxyEventV2): string {
  return event.rawPath.split('/')[3] ?? '';
}

function reply(delivery: Extract<Delivery, { kind: 'reply' }>): APIGatewayProxyStructuredResultV2 {
  return { statusCode: delivery.statusCode, headers: { 'content-type': delivery.contentType }, body: delivery.body };
}

/**
 * Takes one provider webhook: finds the source and its adapter, refuses what is too big (413), of a
 * type the provider never sends (415), not provably from the sender (401/403) or unreadable (400), and
 * answers only once what it carried is durable: leads captured, lead references, call events and
 * withdrawals written with their announcements (the stream relays them). Anything failing after verification is a 5xx, so the
 * sender retries; its retry is recognized and creates nothing twice.
 */
export async function handleHook(
  deps: HookIntakeDeps,
  adapters: ReadonlyMap<string, SourceAdapter>,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const provider = providerOf(event);
  const adapter = adapters.get(provider);
  const sourceId = event.pathParameters?.sourceId ?? '';
  if (!adapter) throw new NotFoundError(`leadflow has no webhook for provider "${provider}"`);
  const source = await deps.sourceOf(sourceId);
  if (!source || source.provider !== provider) throw new NotFoundError(`there is no ${provider} source "${sourceId}"`);
  if (!source.enabled) throw new ClientError(403, 'source_disabled', `source ${sourceId} is disabled`);

  const request = inboundRequestOf(event);
  const maxBytes = adapter.maxBytes ?? MAX_HOOK_BYTES;
  if (request.raw.length > maxBytes) {
    throw new ClientError(413, 'payload_too_large', `the body is ${request.raw.length} bytes; at most ${maxBytes} are accepted`);
  }
  const context: SourceContext = { sourceId, defaultCountry: source.defaultCountry, secrets: await deps.secretsOf(sourceId, source.secretsVersion) };

  if (request.method === 'GET') {
    if (!adapter.handshake) throw new ClientError(405, 'method_not_allowed', `${provider} webhooks are POSTed; GET is not served`);
    return answer(deps, source, request, adapter.handshake(request, context), context.secrets);
  }
  if (!adapter.accepts.includes(request.mediaType)) {
    throw new ClientError(
      415,
      'unsupported_media_type',
      `content type "${request.mediaType || '(none)'}" is not what ${provider} sends; expected ${adapter.accepts.join(' or ')}`,
    );
  }
  adapter.verify(request, context);
  // Multipart bodies need the runtime's async parser, which the adapters' sync `parse` cannot await.
  const delivery =
    request.mediaType === 'multipart/form-data' && 'parseMultipart' in adapter
      ? await (adapter as SourceAdapter & { parseMultipart: MultipartParser }).parseMultipart(request, context)
      : adapter.parse(request, context);
  return answer(deps, source, request, delivery, context.secrets);
}

async function answer(
  deps: HookIntakeDeps,
  source: Source,
  request: InboundRequest,
  delivery: Delivery,
  secrets: Readonly<Record<string, string | undefined>>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const receivedAt = request.receivedAt.toISOString();
  switch (delivery.kind) {
    case 'reply':
      return reply(delivery);
    case 'ignored':
      return json(200, { ok: true, ignored: delivery.reason });
    case 'leads': {
      if (!delivery.leads.length) throw new ValidationError('the request carries no lead leadflow can read', delivery.rejected);
      const accepted = await acceptAll(deps, source, request, delivery.leads, secrets);
      return json(200, { ok: true, leads: accepted, ...(delivery.rejected.length ? { rejected: delivery.rejected } : {}) });
    }
    case 'lead-refs': {
      if (!delivery.refs.length) throw new ValidationError('the request names no lead leadflow can read', delivery.rejected);
      const events = delivery.refs.map((ref): { detailType: string; detail: LeadReferenced } => ({
        detailType: LEAD_REFERENCED,
        detail: { version: 1, sourceId: source.sourceId, ...ref, receivedAt },
      }));
      await recordDelivery(deps.table, { sourceId: source.sourceId, events, at: request.receivedAt });
      return json(200, { ok: true, referenced: events.length, ...(delivery.rejected.length ? { rejected: delivery.rejected } : {}) });
    }
    case 'calls': {
      if (!delivery.calls.length) throw new ValidationError('the request carries no call event leadflow can read', delivery.rejected);
      const events = delivery.calls.map((call): { detailType: string; detail: CallTracked } => ({
        detailType: CALL_TRACKED,
        detail: { version: 1, sourceId: source.sourceId, call, receivedAt, teamHint: source.teamId },
      }));
      await recordDelivery(deps.table, { sourceId: source.sourceId, events, at: request.receivedAt });
      return json(200, { ok: true, calls: events.length, ...(delivery.rejected.length ? { rejected: delivery.rejected } : {}) });
    }
    case 'suppressions': {
      const events = delivery.externalIds.map((externalId): { detailType: string; detail: LeadWithdrawn } => ({
        detailType: LEAD_WITHDRAWN,
        detail: { version: 1, sourceId: source.sourceId, provider: delivery.provider, externalId, receivedAt },
      }));
      await recordDelivery(deps.table, { sourceId: source.sourceId, events, at: request.receivedAt });
      return json(200, { ok: true, withdrawn: events.length });
    }
  }
}

/**
 * Captures every lead of a delivery, a few at a time; the first failure fails the request (5xx, retried).
 * The archived request has the source's secrets redacted (Google Ads sends its key in the body).
 */
async function acceptAll(deps: HookIntakeDeps, source: Source, request: InboundRequest, leads: CanonicalLead[], secrets: Readonly<Record<string, string | undefined>>) {
  const raw = rawRequestOf(request, secrets);
  const results: Array<{ leadId: string; duplicate: boolean }> = [];
  for (let i = 0; i < leads.length; i += 5) {
    const batch = leads.slice(i, i + 5).map((lead) =>
      captureCanonicalLead(deps, { source, lead: boundLead(lead), raw, receivedAt: request.receivedAt }),
    );
    results.push(...(await Promise.all(batch)));
  }
  return results;
}
