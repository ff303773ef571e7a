/**
 * The SLA sweep: every minute, the watches whose deadline has passed are read by minute bucket (never a
 * scan), and each lead still not accepted in the watched assignment is taken back from its rep and
 * handed to the next eligible rep who has not missed it yet. The old rep is told through the notify
 * queue (Lead Taken Back, with the queue's retries and DLQ); the new rep gets the usual Lead Assigned
 * notification with a new accept link. After `escalateAfterMisses` misses the team's manager is told.
 *
 * Safe to repeat and to run concurrently: the miss is claimed by one conditional write on the lead (which
 * also makes the old assignment unacceptable), only the claimer hands the lead on, the escalation is
 * claimed once, and a watch is deleted only after its lead was handled. A sweeper that dies after its
 * claim leaves the watch; a later sweep resumes the hand-over once the claim is `STALL_MS` old.
 */
import { LEAD_ASSIGNED, type LeadAssigned } from '../../events/lead-assigned.js';
import { LEAD_TAKEN_BACK, type LeadTakenBack } from '../../events/lead-taken-back.js';
import type { OutgoingEvent } from '../aws/event-publisher.js';
import type { Rep, Team } from '../domain/directory.js';
import { leadRefOf, type Lead } from '../domain/lead.js';
import { dueBuckets, judgeWatch, nextCursor, reachesEscalation, type SlaWatch } from '../domain/sla.js';
import { assignToNextRep, drainTeamQueue, slaDeadlineOf, type AssignDeps } from './assign-lead.js';
import { logger } from '../observability/logger.js';
import { listTeams } from '../store/directory-store.js';
import { getLead } from '../store/lead-store.js';
import { getTeam, releaseOpenLead } from '../store/routing-store.js';
import {
  appendSlaEntry,
  claimEscalation,
  claimMissedDeadline,
  deleteSlaWatch,
  moveSweepCursor,
  readDueWatches,
  readSweepCursor,
  reclaimStalledMiss,
  reopenForSameRep,
} from '../store/sla-store.js';
import { keys } from '../store/keys.js';
import { getAll, withoutKeys } from '../store/table.js';

/** How long a claimed miss may stay unfinished before another sweep takes it over. */
export const STALL_MS = 2 * 60_000;

/** What a sweep needs besides assignment's own deps: a way to tell a manager (a webhook POST). */
export interface SweepDeps extends AssignDeps {
  tellManager: (url: string, payload: unknown, idempotencyKey: string) => Promise<void>;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/** What one sweep did, for logs and tests. */
export interface SweepReport {
  buckets: number;
  due: number;
  reassigned: string[];
  kept: string[];
  escalated: string[];
  closed: number;
  unfinished: number;
  drained: string[];
}

async function getRep(deps: SweepDeps, repId: string): Promise<Rep | undefined> {
  const [item] = await getAll(deps.table, [keys.rep(repId)]);
  return item ? (withoutKeys(item) as unknown as Rep) : undefined;
}

/** Sweeps once at `now`: due watches, then the teams' waiting queues. */
export async function sweepSla(deps: SweepDeps, now: Date = deps.now?.() ?? new Date()): Promise<SweepReport> {
  const report: SweepReport = { buckets: 0, due: 0, reassigned: [], kept: [], escalated: [], closed: 0, unfinished: 0, drained: [] };
  const cursor = await readSweepCursor(deps.table);
  const buckets = dueBuckets(cursor, now);
  const unfinished = new Set<string>();
  report.buckets = buckets.length;
  for (const bucket of buckets) {
    for (const watch of await readDueWatches(deps.table, bucket, now)) {
      report.due++;
      try {
        if (!(await handleWatch(deps, watch, now, report))) unfinished.add(bucket);
      } catch (error) {
        deps.log?.('could not handle an SLA watch; the next sweep tries again', { leadId: watch.leadId, error: (error as Error).message });
        unfinished.add(bucket);
      }
    }
  }
  report.unfinished = unfinished.size;
  const next = nextCursor(buckets, unfinished, now);
  if (next) await moveSweepCursor(deps.table, cursor, next);
  for (const team of await listTeams(deps.table)) {
    // One team's failing drain must not keep the others' waiting leads waiting: it is tried next minute.
    try {
      const drained = await drainTeamQueue(deps, team.teamId, now);
      report.drained.push(...drained.assigned);
    } catch (error) {
      logger.error('draining a team queue failed', { teamId: team.teamId, error: error as Error });
    }
  }
  return report;
}

/** Handles one due watch; false when it must be looked at again by a later sweep. */
async function handleWatch(deps: SweepDeps, watch: SlaWatch, now: Date, report: SweepReport): Promise<boolean> {
  const at = now.toISOString();
  const lead = await getLead(deps.table, watch.leadId);
  if (lead && lead.ownerId === watch.repId && lead.slaExpiredAssignment === watch.assignment) {
    // Claimed by a sweep that has not finished: its own, in flight, or one that died.
    if (now.getTime() - Date.parse(lead.slaExpiredAt ?? at) < STALL_MS) return false;
    if (!(await reclaimStalledMiss(deps.table, watch.leadId, watch.repId, lead.slaExpiredAt!, at))) return false;
    await handOn(deps, watch, lead, now, report);
    return true;
  }
  if (lead && movedOnByThisMiss(lead, watch)) {
    // A sweep claimed this miss and moved the lead (to another rep, or a new deadline) but failed before
    // announcing it; the watch is deleted only after. Without the announcement the lead's rep is never
    // told and the lead is never watched again. Left alone while that sweep may still be running.
    if (now.getTime() - Date.parse(lead.slaExpiredAt!) < STALL_MS) return false;
    await resumeHandOn(deps, watch, lead, now, report);
    return true;
  }
  const verdict = judgeWatch(lead, watch, now);
  if (!verdict.missed) {
    if (verdict.why === 'the deadline has not passed') return false;
    await deleteSlaWatch(deps.table, watch);
    report.closed++;
    return true;
  }
  const claimed = await claimMissedDeadline(deps.table, watch, at);
  // Lost to the rep accepting or to another sweeper: the next sweep sees which and closes the watch.
  if (!claimed) return false;
  await handOn(deps, watch, claimed, now, report);
  return true;
}

/** After a claimed miss: hand the lead to the next rep (or give the same rep a new deadline), tell, escalate. */
async function handOn(deps: SweepDeps, watch: SlaWatch, lead: Lead, now: Date, report: SweepReport): Promise<void> {
  const at = now.toISOString();
  const misses = lead.slaMisses ?? 1;
  const team: Team = (await getTeam(deps.table, watch.teamId)) ?? { teamId: watch.teamId, name: watch.teamId, strategy: 'round_robin' };
  const reason = `sla-missed: ${watch.repId} did not accept by ${watch.deadline}`;
  const result = await assignToNextRep(deps, watch.leadId, {
    exclude: lead.missedBy ?? [watch.repId],
    reason,
    alsoAnnounce: ({ toRepId, at: handedAt, lead: ref }) => [takenBack(watch, ref, misses, toRepId, handedAt)],
  });
  if (result.reassigned) {
    // Lead Taken Back went out with the hand-over; the rep who missed it holds one lead less.
    await releaseOpenLead(deps.table, watch.repId);
    report.reassigned.push(watch.leadId);
  } else {
    await keepWithSameRep(deps, watch, lead, team, now, result.why);
    report.kept.push(watch.leadId);
  }
  if (reachesEscalation(misses, team.sla) && (await claimEscalation(deps.table, watch.leadId, at))) {
    await escalate(deps, watch, lead, team, misses, at, result.reassigned ? result.repId : watch.repId);
    report.escalated.push(watch.leadId);
  }
  await deleteSlaWatch(deps.table, watch);
}

/** The announcement telling the rep who missed the deadline that the lead went to `toRepId`. */
function takenBack(watch: SlaWatch, lead: LeadTakenBack['lead'], misses: number, toRepId: string, at: string): OutgoingEvent {
  const detail: LeadTakenBack = {
    version: 1,
    lead,
    repId: watch.repId,
    teamId: watch.teamId,
    assignment: watch.assignment,
    deadline: watch.deadline,
    misses,
    toRepId,
    takenBackAt: at,
  };
  return { detailType: LEAD_TAKEN_BACK, detail };
}

/**
 * Whether the watched miss was claimed and the lead moved on from it (handed to another rep, or given
 * its rep a new deadline), with nothing after: the lead is still in the assignment that miss started.
 */
function movedOnByThisMiss(lead: Lead, watch: SlaWatch): boolean {
  if (lead.slaMisses !== watch.assignment || !lead.slaExpiredAt || lead.acceptedAt || lead.status !== 'assigned' || !lead.slaDeadline) return false;
  return lead.ownerId !== watch.repId || lead.slaExpiredAssignment === undefined;
}

/**
 * Finishes a hand-on whose sweep stopped after moving the lead (its write announced the move): counts
 * the lead off the rep who missed it, escalates if due, and closes the watch.
 */
async function resumeHandOn(deps: SweepDeps, watch: SlaWatch, lead: Lead, now: Date, report: SweepReport): Promise<void> {
  const at = now.toISOString();
  const misses = lead.slaMisses ?? watch.assignment;
  const team: Team = (await getTeam(deps.table, watch.teamId)) ?? { teamId: watch.teamId, name: watch.teamId, strategy: 'round_robin' };
  if (lead.ownerId !== watch.repId) {
    await releaseOpenLead(deps.table, watch.repId);
    report.reassigned.push(watch.leadId);
  } else report.kept.push(watch.leadId);
  if (reachesEscalation(misses, team.sla) && (await claimEscalation(deps.table, watch.leadId, at))) {
    await escalate(deps, watch, lead, team, misses, at, lead.ownerId ?? watch.repId);
    report.escalated.push(watch.leadId);
  }
  await deleteSlaWatch(deps.table, watch);
}

/**
 * Nobody else can take the lead now: it stays with the rep who missed it, with a new assignment (a new
 * accept link) and a new deadline, announced as Lead Assigned so they are notified and it is watched.
 */
async function keepWithSameRep(deps: SweepDeps, watch: SlaWatch, lead: Lead, team: Team, now: Date, why: string): Promise<void> {
  const rep = (await getRep(deps, watch.repId)) ?? ({ repId: watch.repId, teamId: watch.teamId, name: watch.repId, active: true } as Rep);
  const deadline = slaDeadlineOf(team, rep, now) ?? new Date(now.getTime() + 60 * 60_000).toISOString();
  const at = now.toISOString();
  const announce: OutgoingEvent[] = [];
  if (lead.routingTrace && lead.teamId) {
    const detail: LeadAssigned = {
      version: 1,
      lead: leadRefOf(lead),
      repId: watch.repId,
      teamId: lead.teamId,
      strategy: lead.routingTrace.strategy,
      assignedAt: at,
      trace: { ...lead.routingTrace, reason: 'sla-missed, kept: no other rep can take it' },
      slaDeadline: deadline,
    };
    announce.push({ detailType: LEAD_ASSIGNED, detail });
  }
  await reopenForSameRep(deps.table, {
    leadId: watch.leadId,
    repId: watch.repId,
    missedAssignment: watch.assignment,
    deadline,
    at,
    why: `no other rep can take it: ${why}`,
    announce,
  });
}

/** Tells the team's manager, with a few quick retries; the outcome goes on the lead's timeline either way. */
async function escalate(deps: SweepDeps, watch: SlaWatch, lead: Lead, team: Team, misses: number, at: string, nowWith: string): Promise<void> {
  const manager = team.manager;
  const base = { manager: manager?.name ?? null, misses, missedBy: lead.missedBy ?? [watch.repId], nowWith };
  if (!manager?.webhookUrl) {
    await appendSlaEntry(deps.table, watch.leadId, { at, type: 'SLA Escalated', detail: { ...base, delivered: false, why: `team ${team.teamId} has no manager webhook` } });
    return;
  }
  const payload = {
    type: 'lead.sla_escalated',
    leadId: watch.leadId,
    teamId: team.teamId,
    misses,
    missedBy: base.missedBy,
    nowWith,
    capturedAt: lead.capturedAt,
    escalatedAt: at,
  };
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await deps.tellManager(manager.webhookUrl, payload, `${watch.leadId}:escalation`);
      await appendSlaEntry(deps.table, watch.leadId, { at, type: 'SLA Escalated', detail: { ...base, delivered: true, attempt } });
      return;
    } catch (error) {
      lastError = error;
      if ((error as { retryable?: boolean }).retryable === false) break;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
  await appendSlaEntry(deps.table, watch.leadId, {
    at,
    type: 'SLA Escalated',
    detail: { ...base, delivered: false, why: (lastError as Error)?.message ?? String(lastError) },
  });
}
