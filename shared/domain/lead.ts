import type { LeadCaptured } from '../../events/lead-captured.js';
import type { ScoreReason } from '../../events/lead-qualified.js';
import type { RoutingTrace } from '../../events/lead-assigned.js';
import type { LeadRef } from '../../events/common.js';

/** `waiting`: routed to a team none of whose reps can take it now; it is assigned when one can. */
export type LeadStatus =
  | 'qualified'
  | 'disqualified'
  | 'assigned'
  | 'unassigned'
  | 'waiting'
  | 'withdrawn'
  | 'merged'
  /** Set by the owner through the rep API (`qualified` is then the rep's sales qualification). */
  | 'accepted'
  | 'contacted'
  | 'won'
  | 'lost';

/** A lead as stored and served: what was captured, then what qualification and routing made of it. */
export interface Lead extends Omit<LeadCaptured, 'version' | 'rawRef'> {
  status: LeadStatus;
  score: number;
  grade: string;
  reasons: ScoreReason[];
  qualifiedAt: string;
  teamId?: string;
  ownerId?: string;
  assignedAt?: string;
  routingTrace?: RoutingTrace;
  /** When the owner must have accepted the lead (the team's SLA), if the team has one. */
  slaDeadline?: string;
  notifiedAt?: string;
  captureToNotifyMs?: number;
  /** The person this lead belongs to (absent for test leads and leads with neither email nor phone). */
  contactId?: string;
  /** For a re-submission within the merge window: the person's open lead it was merged into. */
  mergedInto?: string;
  /** When the owner accepted it, and how long after capture (for reports). */
  acceptedAt?: string;
  captureToAcceptMs?: number;
  /** When the owner first reached the person (contacted, qualified or won), and how long after capture. */
  contactedAt?: string;
  captureToContactMs?: number;
  /** What a won lead brought, and why a lost one was lost. */
  revenue?: { amount: number; currency: string };
  lostReason?: string;
  /** Acceptance deadlines missed so far (each hands the lead to another rep). */
  slaMisses?: number;
  /** The reps who missed this lead's deadline, in order; a re-assignment passes them over. */
  missedBy?: string[];
  /** The assignment last taken back for a missed deadline (it can no longer be accepted), and when. */
  slaExpiredAssignment?: number;
  slaExpiredAt?: string;
  /** When the team's manager was told of the lead's repeated misses. */
  escalatedAt?: string;
  /** The latest assignment whose rep was notified. */
  notifiedAssignment?: number;
}

/** One thing that happened to a lead, in the order it happened. */
export interface TimelineEntry {
  at: string;
  type: string;
  detail: Record<string, unknown>;
}

/** The reference every lead event carries. */
export function leadRefOf(lead: Pick<Lead, 'leadId' | 'sourceId' | 'channel' | 'capturedAt' | 'isTest'>): LeadRef {
  return {
    leadId: lead.leadId,
    sourceId: lead.sourceId,
    channel: lead.channel,
    capturedAt: lead.capturedAt,
    isTest: lead.isTest,
  };
}

/** A lead as the API shows it: fields in a fixed, readable order, then its timeline. */
export function presentLead(lead: Lead, timeline: TimelineEntry[]) {
  return {
    leadId: lead.leadId,
    status: lead.status,
    sourceId: lead.sourceId,
    channel: lead.channel,
    provider: lead.provider,
    isTest: lead.isTest,
    person: lead.person,
    message: lead.message,
    answers: lead.answers,
    attribution: lead.attribution,
    externalIds: lead.externalIds,
    score: lead.score,
    grade: lead.grade,
    reasons: lead.reasons,
    teamId: lead.teamId,
    ownerId: lead.ownerId,
    contactId: lead.contactId,
    mergedInto: lead.mergedInto,
    routingTrace: lead.routingTrace,
    capturedAt: lead.capturedAt,
    qualifiedAt: lead.qualifiedAt,
    assignedAt: lead.assignedAt,
    slaDeadline: lead.slaDeadline,
    notifiedAt: lead.notifiedAt,
    captureToNotifyMs: lead.captureToNotifyMs,
    acceptedAt: lead.acceptedAt,
    captureToAcceptMs: lead.captureToAcceptMs,
    contactedAt: lead.contactedAt,
    captureToContactMs: lead.captureToContactMs,
    revenue: lead.revenue,
    lostReason: lead.lostReason,
    slaMisses: lead.slaMisses,
    timeline,
  };
}
