import type { Attribution } from '../../events/lead-captured.js';
import type { CallDirection, CallEvent, CallState } from './call-event.js';

/**
 * How far each state is from the start of a call. The three final states are ordered too, only as a
 * tie-break when two events of one call disagree about its end: a call someone talked on is
 * `completed` whatever else was said, and a call that could not be placed (`failed`) says more than
 * one nobody answered (`missed`).
 */
const STATE_RANK: Record<CallState, number> = { ringing: 0, answered: 1, missed: 2, failed: 3, completed: 4 };

/** A record remembers at most this many event ids (a real call has a handful). */
export const MAX_EVENT_IDS = 100;

/** The merged state of one call, built from its events in any order. */
export interface CallRecord {
  callId: string;
  provider: string;
  direction: CallDirection;
  state: CallState;
  from?: string;
  to?: string;
  trackingNumber?: string;
  agent?: string;
  /** The earliest time any event of the call names. */
  startedAt: string;
  /** When the call was first reported answered, if an event said so. */
  answeredAt?: string;
  /** When the call was first reported over. */
  endedAt?: string;
  durationSeconds?: number;
  recordingUrl?: string;
  attribution: Attribution;
  isTest: boolean;
  /** Ids of the events merged, sorted; beyond `MAX_EVENT_IDS` the smallest are forgotten. */
  eventIds: string[];
  /** The highest provider sequence number seen. */
  lastSeq?: number;
  /**
   * For each field taken from "the latest event that has it", the order key of that event. It is what
   * makes the result independent of arrival order: an older event never overwrites a newer one's value.
   */
  versions: Record<string, string>;
}

/** Fields whose value comes from the latest event (by `orderKey`) that carries one. */
const LATEST_WINS = ['provider', 'direction', 'from', 'to', 'trackingNumber', 'agent', 'durationSeconds', 'recordingUrl'] as const;
type LatestField = (typeof LATEST_WINS)[number];

function canonicalTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
}

/**
 * Orders a call's events: by the provider's sequence number, then time, then how far the call got,
 * then event id, so that every pair of distinct events compares the same way wherever it is merged.
 * Events without a sequence number sort before those with one.
 */
function orderKey(event: CallEvent): string {
  const seq = event.seq === undefined || !Number.isSafeInteger(event.seq) || event.seq < 0
    ? '-'
    : String(event.seq).padStart(16, '0');
  return `${seq}|${canonicalTime(event.occurredAt)}|${STATE_RANK[event.state]}|${event.eventId}`;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a <= b ? a : b;
}

function withEventId(ids: readonly string[], id: string): string[] {
  if (ids.includes(id)) return [...ids];
  const all = [...ids, id].sort();
  // Keeping the largest ids is a choice any replica makes the same way, whatever order ids came in.
  return all.length > MAX_EVENT_IDS ? all.slice(all.length - MAX_EVENT_IDS) : all;
}

function isPlainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((k) => isPlainEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function recordFromEvent(event: CallEvent): CallRecord {
  return {
    callId: event.callId,
    provider: event.provider,
    direction: event.direction,
    state: 'ringing',
    startedAt: canonicalTime(event.occurredAt),
    attribution: {},
    isTest: false,
    eventIds: [],
    versions: {},
  };
}

/**
 * Folds one event of a call into the call's record. Providers deliver a call's events out of order
 * and more than once, so the merge is a join: the same event twice changes nothing, and any order of
 * the same events gives the same record. The state only moves forward; each other field takes the
 * value of the latest event (by sequence number, then time) that has one, so a missing field is
 * filled from any event. `changed` is false when the record is as it was, so callers can skip work.
 */
export function mergeCallEvent(record: CallRecord | undefined, event: CallEvent): { record: CallRecord; changed: boolean } {
  if (record && record.callId !== event.callId) {
    throw new Error(`event of call ${event.callId} merged into the record of call ${record.callId}`);
  }
  if (record?.eventIds.includes(event.eventId)) return { record, changed: false };

  const base = record ?? recordFromEvent(event);
  const key = orderKey(event);
  const occurredAt = canonicalTime(event.occurredAt);
  const next: CallRecord = {
    ...base,
    attribution: { ...base.attribution },
    versions: { ...base.versions },
    eventIds: withEventId(base.eventIds, event.eventId),
    startedAt: earlier(base.startedAt, occurredAt)!,
    isTest: base.isTest || event.isTest,
  };

  for (const field of LATEST_WINS) {
    const value = event[field as LatestField];
    if (value === undefined) continue;
    const current = next.versions[field];
    if (current === undefined || key > current) {
      (next as unknown as Record<string, unknown>)[field] = value;
      next.versions[field] = key;
    }
  }
  for (const [name, value] of Object.entries(event.attribution) as Array<[keyof Attribution, string | undefined]>) {
    if (value === undefined) continue;
    const current = next.versions[`attribution.${name}`];
    if (current === undefined || key > current) {
      next.attribution[name] = value;
      next.versions[`attribution.${name}`] = key;
    }
  }

  if (event.state === 'answered') next.answeredAt = earlier(base.answeredAt, occurredAt);
  if (STATE_RANK[event.state] >= STATE_RANK.missed) next.endedAt = earlier(base.endedAt, occurredAt);
  if (event.seq !== undefined && Number.isSafeInteger(event.seq)) {
    next.lastSeq = base.lastSeq === undefined ? event.seq : Math.max(base.lastSeq, event.seq);
  }

  let state = STATE_RANK[event.state] > STATE_RANK[base.state] ? event.state : base.state;
  // A call reported answered and later "missed" or "failed" (Mango's Disconnected says only that it
  // ended) is a call someone talked on.
  if ((state === 'missed' || state === 'failed') && next.answeredAt !== undefined) state = 'completed';
  next.state = state;

  if (next.answeredAt === undefined) delete next.answeredAt;
  if (next.endedAt === undefined) delete next.endedAt;
  if (next.lastSeq === undefined) delete next.lastSeq;
  return { record: next, changed: !isPlainEqual(record, next) };
}

/** What the caller of `classifyCall` has looked up for a call (see `callLookups`). */
export interface CallKnowledge {
  /** The contact whose phone is the call's outside number. */
  contact?: { contactId: string };
  /** The open lead of the outside number, with the rep it is assigned to. */
  openLead?: { leadId: string; ownerRepId?: string };
  /** The rep on the business side of the call, found by the call's agent id or business phone. */
  rep?: { repId: string };
  /** A rep whose own phone is the outside number: a colleague or a test call, not a customer. */
  outsideRep?: { repId: string };
  /**
   * The contact's latest lead was made from this very call: another event of the call got there first,
   * and its outcome is not stored yet (the contact is made as soon as that lead is qualified).
   */
  leadOfThisCall?: { leadId: string };
}

/** What a call means for the leads. */
export type CallMeaning =
  | { kind: 'new-lead'; phone: string }
  | { kind: 'touchpoint'; contactId: string }
  | { kind: 'contacted'; leadId: string; repId: string }
  | { kind: 'none'; why: string };

/**
 * Names what `classifyCall` needs looked up: the outside party's phone (contact, open lead, a rep's
 * own phone), and the business side's agent id and phone (the rep). Inbound calls are from the outside
 * party; outbound calls are to it.
 */
export function callLookups(record: CallRecord): { outsidePhone?: string; agent?: string; businessPhone?: string } {
  const lookups: { outsidePhone?: string; agent?: string; businessPhone?: string } = {};
  if (record.direction === 'internal') return lookups;
  const outside = record.direction === 'inbound' ? record.from : record.to;
  const business = record.direction === 'inbound' ? (record.trackingNumber ?? record.to) : record.from;
  if (outside) lookups.outsidePhone = outside;
  if (business) lookups.businessPhone = business;
  if (record.agent) lookups.agent = record.agent;
  return lookups;
}

/**
 * Decides what a call means. An inbound call from an outside number nobody knows is a new lead from
 * its first event on — a ringing call is enough, so a missed call is a lead to call back, which is
 * when it matters most. The decision for a given call and knowledge never changes as later events
 * arrive, so a consumer may classify on every changed record and dedupe the new lead on the call id.
 * An inbound call from a known contact is a touchpoint on that contact. An outbound call to the
 * number of an open lead, placed by the rep the lead is assigned to, counts as contacting the lead
 * (the attempt counts, answered or not, unless the call could not be placed at all).
 */
export function classifyCall(record: CallRecord, knowledge: CallKnowledge): CallMeaning {
  if (record.isTest) return { kind: 'none', why: 'a test call' };
  if (record.direction === 'internal') return { kind: 'none', why: 'an internal call between extensions' };

  if (record.direction === 'inbound') {
    if (!record.from) return { kind: 'none', why: "the caller's number is hidden or not a valid phone number" };
    if (knowledge.outsideRep) return { kind: 'none', why: `the caller is rep ${knowledge.outsideRep.repId}` };
    // Still the new lead (which dedupes to the one made), not a touchpoint on the lead the call made.
    if (knowledge.leadOfThisCall) return { kind: 'new-lead', phone: record.from };
    if (knowledge.contact) return { kind: 'touchpoint', contactId: knowledge.contact.contactId };
    if (knowledge.openLead) return { kind: 'none', why: `the caller already has open lead ${knowledge.openLead.leadId}` };
    return { kind: 'new-lead', phone: record.from };
  }

  if (!record.to) return { kind: 'none', why: 'the called number is not a valid phone number' };
  if (!knowledge.openLead) return { kind: 'none', why: 'no open lead has the called number' };
  if (record.state === 'failed') return { kind: 'none', why: 'the call could not be placed' };
  if (!knowledge.rep) return { kind: 'none', why: 'no rep is known for the calling agent or phone' };
  if (knowledge.rep.repId !== knowledge.openLead.ownerRepId) {
    return { kind: 'none', why: `rep ${knowledge.rep.repId} called, but lead ${knowledge.openLead.leadId} is not assigned to them` };
  }
  return { kind: 'contacted', leadId: knowledge.openLead.leadId, repId: knowledge.rep.repId };
}
