import { LEAD_STATUS_CHANGED, type LeadStatusChanged } from '../../events/lead-status-changed.js';
import type { CallTracked } from '../../events/call-tracked.js';
import type { CallEvent } from '../domain/call-event.js';
import { callLookups, classifyCall, mergeCallEvent, type CallKnowledge, type CallMeaning, type CallRecord } from '../domain/call-correlation.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { Source } from '../domain/directory.js';
import { leadRefOf } from '../domain/lead.js';
import { getCall, putCall, type CallOutcome, type StoredCall } from '../store/call-store.js';
import { findContactIds, getContact, recordTouch } from '../store/contact-store.js';
import { findRepByIdentity } from '../store/directory-store.js';
import { appendTimelineOnce, getLead, leadIdOfDedupeKey } from '../store/lead-store.js';
import { recordStatus } from '../store/rep-lead-store.js';
import { assignmentOf } from '../store/sla-store.js';
import type { Table } from '../store/table.js';
import { captureCanonicalLead, idempotencyDedupeKey } from './capture-lead.js';

export interface TrackCallDeps {
  table: Table;
  now: () => Date;
  contentWindowSeconds: number;
  sourceOf(sourceId: string): Promise<Source | undefined>;
}

/** Lead states that no longer need a first contact. */
const CLOSED = new Set(['won', 'lost', 'disqualified', 'withdrawn', 'merged']);

/** Merges the event into its call's stored record, retrying when another event of the call won the race. */
async function mergeStored(table: Table, sourceId: string, event: CallEvent): Promise<StoredCall> {
  for (let attempt = 1; ; attempt++) {
    const stored = await getCall(table, event.provider, event.callId);
    const { record, changed } = mergeCallEvent(stored?.record, event);
    if (stored && !changed) return stored;
    const next: StoredCall = { record, rev: (stored?.rev ?? 0) + 1, sourceId, ...(stored?.outcome ? { outcome: stored.outcome } : {}) };
    if (await putCall(table, next)) return next;
    if (attempt >= 8) throw new Error(`call ${event.provider}/${event.callId} kept changing under concurrent events`);
  }
}

/** Looks up what `classifyCall` needs: the contact and open lead of the outside number, the reps on either side. */
async function knowledgeOf(table: Table, sourceId: string, record: CallRecord): Promise<CallKnowledge> {
  const { outsidePhone, agent, businessPhone } = callLookups(record);
  const knowledge: CallKnowledge = {};
  if (outsidePhone) {
    const outsideRep = await findRepByIdentity(table, 'phone', outsidePhone);
    if (outsideRep) knowledge.outsideRep = { repId: outsideRep };
    const { byPhone } = await findContactIds(table, { phone: outsidePhone });
    const contact = byPhone ? await getContact(table, byPhone) : undefined;
    if (contact) {
      knowledge.contact = { contactId: contact.contactId };
      const lead = contact.lastLeadId ? await getLead(table, contact.lastLeadId) : undefined;
      if (lead && !CLOSED.has(lead.status)) knowledge.openLead = { leadId: lead.leadId, ownerRepId: lead.ownerId };
      // The call's own lead is claimed before the contact exists, and the contact before it names that lead.
      const ownLead = record.direction === 'inbound' ? await leadIdOfDedupeKey(table, sourceId, idempotencyDedupeKey(callLeadKey(record))) : undefined;
      if (ownLead) knowledge.leadOfThisCall = { leadId: ownLead };
    }
  }
  const repId =
    (agent ? await findRepByIdentity(table, 'agent', agent) : undefined) ??
    (businessPhone ? await findRepByIdentity(table, 'phone', businessPhone) : undefined);
  if (repId) knowledge.rep = { repId };
  return knowledge;
}

/** The idempotency key of the lead a call makes: one per call. */
function callLeadKey(record: CallRecord): string {
  return `call:${record.provider}:${record.callId}`;
}

/** The lead a call from an unknown number becomes: the phone channel, with its tracking number's attribution. */
function leadOfCall(record: CallRecord, source: Source, phone: string): CanonicalLead {
  const tracked = record.trackingNumber ? source.trackingNumbers?.[record.trackingNumber] : undefined;
  return {
    channel: 'phone',
    provider: record.provider,
    externalIds: { callId: record.callId, ...(record.trackingNumber ? { trackingNumber: record.trackingNumber } : {}) },
    person: { phone },
    answers: {
      call_state: record.state,
      ...(record.durationSeconds !== undefined ? { call_duration_seconds: String(record.durationSeconds) } : {}),
      ...(record.recordingUrl ? { call_recording_url: record.recordingUrl } : {}),
    },
    attribution: { ...(tracked ?? {}), ...record.attribution },
    isTest: record.isTest,
    // One lead per call, however many of its events arrive and however often.
    idempotencyKey: callLeadKey(record),
  };
}

async function act(deps: TrackCallDeps, stored: StoredCall, meaning: CallMeaning, receivedAt: Date): Promise<CallOutcome | undefined> {
  const { record } = stored;
  const at = deps.now().toISOString();
  switch (meaning.kind) {
    case 'none':
      return undefined;
    case 'new-lead': {
      const source = await deps.sourceOf(stored.sourceId);
      if (!source) return undefined;
      const { leadId } = await captureCanonicalLead(deps, {
        source,
        lead: leadOfCall(record, source, meaning.phone),
        receivedAt,
        raw: { contentType: 'application/json', body: JSON.stringify(record), headers: {} },
      });
      return { kind: 'new-lead', leadId, at };
    }
    case 'touchpoint': {
      await recordTouch(deps.table, meaning.contactId, {
        at: record.startedAt,
        kind: 'call',
        callId: record.callId,
        sourceId: stored.sourceId,
        channel: 'phone',
        ...(Object.keys(record.attribution).length ? { attribution: record.attribution as Record<string, string> } : {}),
      });
      const contact = await getContact(deps.table, meaning.contactId);
      if (contact?.lastLeadId) {
        // Once per call: two deliveries of one event can both get here before either stores the outcome.
        await appendTimelineOnce(deps.table, contact.lastLeadId, `call:${record.provider}:${record.callId}`, {
          at: record.startedAt,
          type: 'Call Received',
          detail: { provider: record.provider, callId: record.callId, state: record.state, trackingNumber: record.trackingNumber },
        });
      }
      return { kind: 'touchpoint', contactId: meaning.contactId, at };
    }
    case 'contacted':
      return markContacted(deps, record, meaning.leadId, meaning.repId, at);
  }
}

/**
 * The lead's owner called the lead: that is first contact, the speed-to-lead stamp. Only a lead not
 * contacted yet changes, in one write with its Lead Status Changed; the time of contact is when the
 * call started. A redelivered event finds the lead contacted and changes nothing.
 */
async function markContacted(deps: TrackCallDeps, record: CallRecord, leadId: string, repId: string, at: string): Promise<CallOutcome | undefined> {
  const lead = await getLead(deps.table, leadId);
  if (!lead || lead.ownerId !== repId) return undefined;
  const note = `${record.provider} call ${record.callId}`;
  const from = lead.status as string;
  if (from !== 'assigned' && from !== 'accepted') return { kind: 'contacted', leadId, at };
  // The assignment the status write is conditioned on: a lead handed on after a missed deadline is in a later one.
  const assignment = assignmentOf(lead);
  const contactMs = Math.max(0, Date.parse(record.startedAt) - Date.parse(lead.capturedAt));
  const detail: LeadStatusChanged = {
    version: 1,
    lead: leadRefOf(lead),
    repId,
    from,
    to: 'contacted',
    changedAt: record.startedAt,
    captureToContactMs: contactMs,
    ...(from === 'assigned' ? { captureToAcceptMs: contactMs } : {}),
  };
  await recordStatus(deps.table, {
    leadId,
    repId,
    assignment,
    from,
    to: 'contacted',
    at: record.startedAt,
    note,
    captureToContactMs: contactMs,
    ...(from === 'assigned' ? { captureToAcceptMs: contactMs } : {}),
    announce: [{ detailType: LEAD_STATUS_CHANGED, detail }],
  });
  return { kind: 'contacted', leadId, at };
}

/**
 * One call event: merged into its call (events arrive out of order and repeated; the merge gives the
 * same record for any order), then, the first time the call means something, acted on once: a call
 * from an unknown number becomes a lead on the phone channel, a call from a known contact a
 * touchpoint, a call from a lead's rep to the lead marks it contacted.
 */
export async function trackCall(deps: TrackCallDeps, tracked: CallTracked): Promise<CallOutcome | undefined> {
  let stored = await mergeStored(deps.table, tracked.sourceId, tracked.call);
  if (stored.outcome) return stored.outcome;
  const meaning = classifyCall(stored.record, await knowledgeOf(deps.table, stored.sourceId, stored.record));
  const outcome = await act(deps, stored, meaning, new Date(tracked.receivedAt));
  if (!outcome) return undefined;
  // Remember the outcome so later events of the call do not act again; a lost race only re-reads.
  for (let attempt = 0; attempt < 8; attempt++) {
    const next: StoredCall = { ...stored, rev: stored.rev + 1, outcome };
    if (await putCall(deps.table, next)) break;
    const current = await getCall(deps.table, stored.record.provider, stored.record.callId);
    if (!current || current.outcome) break;
    stored = current;
  }
  return outcome;
}
