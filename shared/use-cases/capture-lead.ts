import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { LeadCaptured } from '../../events/lead-captured.js';
import { contentFingerprint, type CanonicalLead } from '../domain/canonical-lead.js';
import type { Source } from '../domain/directory.js';
import { keys } from '../store/keys.js';
import { captureLead, type RawRequest } from '../store/lead-store.js';
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

export interface CaptureLeadDeps {
  table: Table;
  now: () => Date;
  /** How long an identical submission without an idempotency key counts as the same lead. */
  contentWindowSeconds: number;
}

/**
 * Makes a lead durable, at most once per submission: the capture, its dedupe key and its announcement
 * (Lead Captured, in the archived capture's outbox) are one transaction, so once it commits the lead
 * is on its way (the stream relays the announcement) and the caller can acknowledge. A repeat returns
 * the first lead's id and writes nothing.
 */
export async function captureCanonicalLead(
  deps: CaptureLeadDeps,
  input: {
    source: Source;
    lead: CanonicalLead;
    raw: RawRequest;
    /** When the request reached the API: the lead's capture time, so waiting in front of intake counts. */
    receivedAt: Date;
  },
): Promise<{ leadId: string; duplicate: boolean }> {
  const { source, lead, raw, receivedAt } = input;
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
  return captureLead(deps.table, { captured, raw, dedupeKey: dedupe.key, windowSeconds: dedupe.seconds, now: deps.now() });
}
