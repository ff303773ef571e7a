import type { DemoNotification, StoredLead } from './lead-api.js';
import { summarize, type Summary } from './stats.js';

/** How the leads of one rep were handed out, seen from three sides that should agree. */
export interface RepAssignment {
  /** Leads whose stored owner is this rep. */
  owned: number;
  /** Distinct leads of the burst in the rep's own list (GET /v1/rep/leads, the "leads of a rep" index). */
  listed: number;
  /** Distinct leads of the burst whose notification reached this rep's webhook. */
  notified: number;
  captureToAssigned: Summary;
}

/** Assignment under the burst: how long it took, who got what, and whether any lead was handed out twice. */
export interface AssignmentReport {
  /** `assignedAt - capturedAt` and `assignedAt - qualifiedAt` of each assigned lead. */
  captureToAssigned: Summary;
  qualifiedToAssigned: Summary;
  perRep: Record<string, RepAssignment>;
  /** Leads that waited in a team's queue before a rep took them (a `Lead Waiting` entry on the timeline). */
  waitedInQueue: number;
  /** Leads still waiting, unassigned or without an owner when the burst was read back. */
  notAssigned: number;
  /** Leads whose timeline holds more than one `Lead Assigned` or any `Lead Reassigned` entry. */
  assignedMoreThanOnce: number;
  /** Leads that appear in more than one rep's list, or in a list of a rep who does not own them. */
  listedTwiceOrWrongly: number;
  /** Leads whose notifications reached more than one rep. */
  notifiedToSeveralReps: number;
  /** The sum over reps of distinct listed leads: the burst's size when every lead went to exactly one rep. */
  listedTotal: number;
  /** True when every lead of the burst was assigned, once, to one rep, and all three sides agree. */
  eachAssignedOnce: boolean;
}

const gap = (from: string | undefined, to: string | undefined) => (from && to ? [Date.parse(to) - Date.parse(from)] : []);

/**
 * Tallies assignment for `expected` leads from the leads as read back (state and timeline), each rep's
 * own list of lead ids, and every notification the reps' webhooks received. The owner on the lead alone
 * cannot show a double assignment (it is overwritten), so the timeline, the reps' lists and the
 * notifications are counted too.
 */
export function tallyAssignment(input: {
  expected: number;
  leads: readonly StoredLead[];
  repLists: Readonly<Record<string, readonly string[]>>;
  notifications: readonly DemoNotification[];
}): AssignmentReport {
  const burstIds = new Set(input.leads.map((l) => l.leadId));
  const assigned = input.leads.filter((l) => l.ownerId && l.assignedAt);
  const ownerOf = new Map(assigned.map((l) => [l.leadId, l.ownerId!]));

  const listers = new Map<string, Set<string>>();
  const listedPerRep: Record<string, number> = {};
  for (const [repId, ids] of Object.entries(input.repLists)) {
    const own = new Set(ids.filter((id) => burstIds.has(id)));
    listedPerRep[repId] = own.size;
    for (const id of own) listers.set(id, (listers.get(id) ?? new Set()).add(repId));
  }
  const listedTwiceOrWrongly = [...listers].filter(([id, reps]) => reps.size > 1 || !reps.has(ownerOf.get(id) ?? '')).length;

  const notifiedReps = new Map<string, Set<string>>();
  for (const n of input.notifications) {
    const id = n.payload.leadId;
    if (id && burstIds.has(id)) notifiedReps.set(id, (notifiedReps.get(id) ?? new Set()).add(n.repId));
  }
  const notifiedPerRep: Record<string, number> = {};
  for (const reps of notifiedReps.values()) for (const rep of reps) notifiedPerRep[rep] = (notifiedPerRep[rep] ?? 0) + 1;

  const reps = [...new Set([...Object.keys(input.repLists), ...ownerOf.values(), ...Object.keys(notifiedPerRep)])].sort();
  const perRep: Record<string, RepAssignment> = {};
  for (const repId of reps) {
    const theirs = assigned.filter((l) => l.ownerId === repId);
    perRep[repId] = {
      owned: theirs.length,
      listed: listedPerRep[repId] ?? 0,
      notified: notifiedPerRep[repId] ?? 0,
      captureToAssigned: summarize(theirs.flatMap((l) => gap(l.capturedAt, l.assignedAt))),
    };
  }

  const entries = (l: StoredLead, type: string) => (l.timeline ?? []).filter((e) => e.type === type).length;
  const assignedMoreThanOnce = input.leads.filter((l) => entries(l, 'Lead Assigned') > 1 || entries(l, 'Lead Reassigned') > 0).length;
  const notifiedToSeveralReps = [...notifiedReps.values()].filter((r) => r.size > 1).length;
  const listedTotal = Object.values(listedPerRep).reduce((s, n) => s + n, 0);
  const notAssigned = input.expected - assigned.length;
  return {
    captureToAssigned: summarize(assigned.flatMap((l) => gap(l.capturedAt, l.assignedAt))),
    qualifiedToAssigned: summarize(assigned.flatMap((l) => gap(l.qualifiedAt, l.assignedAt))),
    perRep,
    waitedInQueue: input.leads.filter((l) => entries(l, 'Lead Waiting') > 0).length,
    notAssigned,
    assignedMoreThanOnce,
    listedTwiceOrWrongly,
    notifiedToSeveralReps,
    listedTotal,
    eachAssignedOnce:
      notAssigned === 0 &&
      assignedMoreThanOnce === 0 &&
      listedTwiceOrWrongly === 0 &&
      notifiedToSeveralReps === 0 &&
      listedTotal === input.expected &&
      assigned.every((l) => entries(l, 'Lead Assigned') === 1),
  };
}
