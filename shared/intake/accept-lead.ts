import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { LEAD_CAPTURED } from '../../events/detail-types.js';
import type { LeadCaptured } from '../../events/lead-captured.js';
import type { EventPublisher } from '../aws/event-publisher.js';
import { contentFingerprint, type CanonicalLead } from '../domain/canonical-lead.js';
import type { Source } from '../domain/directory.js';
import { keys } from '../store/keys.js';
import { capturePublishedAt, captureLead, getCapture, markCapturePublished, type RawRequest } from '../store/lead-store.js';
import type { Table } from '../store/table.js';

/**
 * A sender's own idempotency key (or a provider's lead id) is honoured for a week: Meta retries a
 * notification for about 36 hours, Typeform for 10, and a lead must not come back as new after them.
 */
const IDEMPOTENCY_KEY_SECONDS = 7 * 86_400;

/** The dedupe key under which a sender's idempotency key (or a provider's lead id) is claimed. */
export function idempotencyDedupeKey(idempotencyKey: string): string {
  return `idem#${createHash('sha256').update(idempotencyKey).digest('base64url')}`;
}

export interface AcceptLeadDeps {
  table: Table;
  publisher: EventPublisher;
  now: () => Date;
  /** How long an identical submission without an idempotency key counts as the same lead. */
  contentWindowSeconds: number;
}

/**
 * Makes a lead durable and announces it, at most once per submission. The capture and its dedupe key are
 * written in one transaction, then Lead Captured is published; only when both succeeded does the caller
 * acknowledge. A repeat returns the first lead's id, and publishes it if the first attempt has not (its
 * sender was answered 5xx and is retrying). A capture whose publish failed stays unannounced until its
 * sender retries; a sweeper for those is future work.
 */
export async function acceptLead(
  deps: AcceptLeadDeps,
  input: {
    source: Source;
    lead: CanonicalLead;
    raw: RawRequest;
    /** When the request reached the API: the lead's capture time, so waiting in front of intake counts. */
    receivedAt: Date;
  },
): Promise<{ leadId: string; duplicate: boolean }> {
  const { source, lead, raw, receivedAt } = input;
  const now = deps.now();
  const leadId = ulid(receivedAt.getTime());
  const captured: LeadCaptured = {
    version: 1,
    leadId,
    sourceId: source.sourceId,
    channel: lead.channel,
    provider: lead.provider,
    externalIds: lead.externalIds,
    person: lead.person,
    message: lead.message,
    answers: lead.answers,
    attribution: lead.attribution,
    capturedAt: receivedAt.toISOString(),
    isTest: lead.isTest,
    rawRef: { pk: keys.leadCapture(leadId).PK, sk: keys.leadCapture(leadId).SK },
    teamHint: source.teamId,
  };
  const dedupe = lead.idempotencyKey
    ? { key: idempotencyDedupeKey(lead.idempotencyKey), seconds: IDEMPOTENCY_KEY_SECONDS }
    : { key: `content#${contentFingerprint(lead)}`, seconds: deps.contentWindowSeconds };

  const outcome = await captureLead(deps.table, {
    captured,
    raw,
    dedupeKey: dedupe.key,
    windowSeconds: dedupe.seconds,
    now,
  });
  if (outcome.duplicate) {
    if (!outcome.publishedAt && !(await publishedSoon(deps, source.sourceId, dedupe.key))) {
      const stored = await getCapture(deps.table, outcome.leadId);
      if (stored) await publishCapture(deps, stored.captured, dedupe.key);
    }
    return { leadId: outcome.leadId, duplicate: true };
  }
  await publishCapture(deps, captured, dedupe.key);
  return { leadId, duplicate: false };
}

/**
 * Gives a first request that is still between its write and its publish (a double-clicked submit) a
 * moment to finish, so the repeat does not announce the lead a second time.
 */
async function publishedSoon(deps: AcceptLeadDeps, sourceId: string, dedupeKey: string): Promise<boolean> {
  for (let wait = 0; wait < 5; wait++) {
    await new Promise((r) => setTimeout(r, 100));
    if (await capturePublishedAt(deps.table, sourceId, dedupeKey)) return true;
  }
  return false;
}

async function publishCapture(deps: AcceptLeadDeps, captured: LeadCaptured, dedupeKey: string): Promise<void> {
  await deps.publisher.publish({ detailType: LEAD_CAPTURED, detail: captured });
  await markCapturePublished(deps.table, {
    sourceId: captured.sourceId,
    dedupeKey,
    leadId: captured.leadId,
    at: deps.now().toISOString(),
  });
}
