/**
 * Assigning a lead to a rep, end to end: route it to a team (or a named rep), judge the team's reps,
 * order them by the team's strategy (or the returning contact's owner), claim the first whose caps
 * allow, record the owner with the routing trace, and announce it. When nobody can take the lead it
 * waits in the team's queue, and `drainTeamQueue` assigns it as soon as somebody can.
 *
 * Every step is safe to repeat and to run concurrently: tickets come from an atomic counter, a rep is
 * claimed by a conditional increment, the owner is written only if the lead has none (or, on
 * re-assignment, only while the previous owner still holds it), and a claim that lost gives its counts back.
 */
import { LEAD_ASSIGNED, type LeadAssigned, type RoutingTrace } from '../../events/lead-assigned.js';
import type { LeadRef } from '../../events/common.js';
import type { LeadQualified } from '../../events/lead-qualified.js';
import type { EventPublisher } from '../aws/event-publisher.js';
import type { Rep, RoutingConfig, Team } from '../domain/directory.js';
import { leadRefOf, type Lead } from '../domain/lead.js';
import type { LeadFacts } from '../domain/conditions.js';
import { routeLead, stickyOwnerOf, type StickyDecision } from '../domain/routing/route.js';
import { rankCandidates, type CandidateVerdict, type StrategyState } from '../domain/routing/strategies.js';
import { addWorkingMinutes } from '../domain/routing/working-hours.js';
import { listTeamReps, takeRotationTicket } from '../store/directory-store.js';
import { assignLead, getLead, markUnassigned, markWaiting, reassignLead } from '../store/lead-store.js';
import { claimRep, enqueueWaiting, getTeam, listWaiting, readLoads, releaseClaim, removeWaiting, type RepClaim } from '../store/routing-store.js';
import { keys } from '../store/keys.js';
import { getAll, withoutKeys, type Table } from '../store/table.js';
import { setContactOwner } from '../store/contact-store.js';

/** What assignment needs from the outside world; tests hand in DynamoDB Local and an in-memory publisher. */
export interface AssignDeps {
  table: Table;
  publisher: EventPublisher;
  /** The active routing config; undefined when none was ever written. */
  routingConfig: () => Promise<RoutingConfig | undefined>;
  now?: () => Date;
}

export type AssignOutcome =
  | { outcome: 'assigned'; repId: string; teamId: string; trace: RoutingTrace; slaDeadline?: string }
  | { outcome: 'already-assigned'; repId: string }
  | { outcome: 'waiting'; teamId: string; why: string }
  | { outcome: 'unassigned'; why: string };

const clock = (deps: AssignDeps) => (deps.now ? deps.now() : new Date());

/** A team that is referenced but not stored routes by plain round robin, rather than losing its leads. */
function teamOrDefault(team: Team | undefined, teamId: string): Team {
  return team ?? { teamId, name: teamId, strategy: 'round_robin' };
}

async function getRep(table: Table, repId: string): Promise<Rep | undefined> {
  const [item] = await getAll(table, [keys.rep(repId)]);
  return item ? (withoutKeys(item) as unknown as Rep) : undefined;
}

/** The acceptance deadline the team's SLA gives a rep assigned at `at`, if the team has an SLA. */
export function slaDeadlineOf(team: Team, rep: Rep, at: Date): string | undefined {
  const sla = team.sla;
  if (!sla) return undefined;
  const due =
    sla.clock === 'working'
      ? addWorkingMinutes(rep, team, at, sla.acceptWithinMinutes)
      : new Date(at.getTime() + sla.acceptWithinMinutes * 60_000);
  return due.toISOString();
}

interface Placement {
  team: Team;
  candidates: CandidateVerdict[];
  order: string[];
  state?: StrategyState;
  sticky?: StickyDecision;
  skipped: Array<{ repId: string; why: string }>;
  winner?: { rep: Rep; claim: RepClaim };
}

/**
 * Finds and claims the rep of a team who takes a lead now: the contact's owner when sticky routing
 * keeps them, else a named rep a rule chose when they can take it, else the strategy's order. A ticket
 * is taken only when the rotation decides, so a kept owner costs nobody their turn.
 */
async function placeInTeam(
  deps: AssignDeps,
  teamId: string,
  now: Date,
  options: { ownerId?: string; preferRepId?: string; exclude?: string[] } = {},
): Promise<Placement> {
  const { table } = deps;
  const [team, reps] = await Promise.all([getTeam(table, teamId).then((t) => teamOrDefault(t, teamId)), listTeamReps(table, teamId)]);
  const loads = await readLoads(table, reps, now);
  const judged = rankCandidates(team, reps, loads, now, 0, options.exclude);
  const sticky = options.ownerId !== undefined ? stickyOwnerOf(team, options.ownerId, judged.candidates) : undefined;
  const named = options.preferRepId && judged.candidates.find((c) => c.repId === options.preferRepId && c.eligible);
  let order: string[];
  let state: StrategyState | undefined;
  if (sticky?.decision === 'owner') order = [sticky.ownerId!, ...judged.order.filter((r) => r !== sticky.ownerId)];
  else if (named) order = [named.repId, ...judged.order.filter((r) => r !== named.repId)];
  else if (judged.order.length) {
    const ranked = rankCandidates(team, reps, loads, now, await takeRotationTicket(table, teamId), options.exclude);
    ({ order, state } = ranked);
  } else order = [];
  const byId = new Map(reps.map((r) => [r.repId, r]));
  const skipped: Placement['skipped'] = [];
  for (const repId of order) {
    const rep = byId.get(repId)!;
    const { claim, why } = await claimRep(table, rep, now);
    if (claim) return { team, candidates: judged.candidates, order, state, sticky, skipped, winner: { rep, claim } };
    skipped.push({ repId, why: why! });
  }
  return { team, candidates: judged.candidates, order, state, sticky, skipped };
}

function traceOf(placement: Placement, rule: { ruleId: string; why: string }, winner: string, reason?: string): RoutingTrace {
  return {
    rule: rule.ruleId,
    ruleWhy: rule.why,
    teamId: placement.team.teamId,
    strategy: placement.sticky?.decision === 'owner' ? 'sticky_owner' : placement.team.strategy,
    candidates: placement.candidates,
    ticket: placement.state?.ticket,
    strategyState: placement.state,
    order: placement.order,
    ...(placement.skipped.length ? { skipped: placement.skipped } : {}),
    ...(placement.sticky ? { sticky: placement.sticky } : {}),
    ...(reason ? { reason } : {}),
    winner,
  };
}

function whyNobody(placement: Placement): string {
  if (!placement.candidates.length) return `team ${placement.team.teamId} has no reps`;
  if (placement.order.length) return `every eligible rep of team ${placement.team.teamId} filled a cap meanwhile`;
  return `no rep of team ${placement.team.teamId} can take a lead now`;
}

async function announce(deps: AssignDeps, lead: LeadRef, stored: Pick<Lead, 'ownerId' | 'teamId' | 'assignedAt' | 'routingTrace' | 'slaDeadline'>): Promise<void> {
  const detail: LeadAssigned = {
    version: 1,
    lead,
    repId: stored.ownerId!,
    teamId: stored.teamId!,
    strategy: stored.routingTrace!.strategy,
    assignedAt: stored.assignedAt!,
    trace: stored.routingTrace!,
    ...(stored.slaDeadline ? { slaDeadline: stored.slaDeadline } : {}),
  };
  await deps.publisher.publish({ detailType: LEAD_ASSIGNED, detail });
}

/**
 * Writes the owner a placement found and announces it; when another delivery assigned the lead first,
 * gives the claim back and (for a redelivered event, `reannounce`) announces the stored owner instead,
 * for consumers that missed it. A queue drain that lost a race announces nothing: the winner did.
 */
async function commitPlacement(
  deps: AssignDeps,
  lead: LeadRef,
  placement: Placement & { winner: NonNullable<Placement['winner']> },
  rule: { ruleId: string; why: string },
  now: Date,
  options: { reason?: string; reannounce: boolean; contactId?: string },
): Promise<AssignOutcome> {
  const { reason } = options;
  const { rep, claim } = placement.winner;
  const at = now.toISOString();
  const trace = traceOf(placement, rule, rep.repId, reason);
  const slaDeadline = slaDeadlineOf(placement.team, rep, now);
  const { assigned } = await assignLead(deps.table, { leadId: lead.leadId, repId: rep.repId, teamId: placement.team.teamId, at, trace, slaDeadline });
  if (assigned) {
    // The rep now owns the person too: their next lead comes back to this rep (sticky ownership).
    if (options.contactId) await setContactOwner(deps.table, options.contactId, rep.repId);
    await announce(deps, lead, { ownerId: rep.repId, teamId: placement.team.teamId, assignedAt: at, routingTrace: trace, slaDeadline });
    return { outcome: 'assigned', repId: rep.repId, teamId: placement.team.teamId, trace, slaDeadline };
  }
  await releaseClaim(deps.table, claim);
  if (options.reannounce) return reannounceStored(deps, lead);
  const stored = await getLead(deps.table, lead.leadId);
  return { outcome: 'already-assigned', repId: stored?.ownerId ?? '' };
}

async function reannounceStored(deps: AssignDeps, ref: LeadRef): Promise<AssignOutcome> {
  const stored = await getLead(deps.table, ref.leadId);
  if (!stored) throw new Error(`lead ${ref.leadId} was qualified but is not stored`);
  if (!stored.ownerId) throw new Error(`lead ${ref.leadId} could not be assigned and has no owner`);
  await announce(deps, ref, stored);
  return { outcome: 'already-assigned', repId: stored.ownerId };
}

/** Puts a lead no rep can take now in its team's queue, and says so on its timeline. */
async function wait(deps: AssignDeps, lead: LeadRef, placement: Placement, rule: { ruleId: string; why: string }, now: Date): Promise<AssignOutcome> {
  const why = whyNobody(placement);
  // The trace of a lead nobody took: everything but a winner.
  const { winner: _nobody, ...trace } = traceOf(placement, rule, '');
  await enqueueWaiting(deps.table, { teamId: placement.team.teamId, lead, queuedAt: now.toISOString(), why });
  await markWaiting(deps.table, lead.leadId, { at: now.toISOString(), teamId: placement.team.teamId, why, trace });
  return { outcome: 'waiting', teamId: placement.team.teamId, why };
}

/**
 * The facts routing rules see: those the lead was scored on, as Lead Qualified carries them, with its
 * score and grade. An event from before facts were carried still routes on its source, channel, score
 * and grade.
 */
export function factsOfQualified(qualified: LeadQualified): LeadFacts {
  const { lead } = qualified;
  return {
    sourceId: lead.sourceId,
    source: lead.sourceId,
    channel: lead.channel,
    isTest: String(lead.isTest),
    ...qualified.facts,
    score: String(qualified.score),
    grade: qualified.grade,
  };
}

/**
 * Lead Qualified → an owner (or the team's queue). A redelivered event finds the lead owned and
 * announces the stored owner again.
 */
export async function assignQualifiedLead(deps: AssignDeps, qualified: LeadQualified): Promise<AssignOutcome> {
  const now = clock(deps);
  const ref = qualified.lead;
  const config = await deps.routingConfig();
  const facts = factsOfQualified(qualified);
  const decision = routeLead(facts, config ?? ({ fallbackTeamId: '' } as RoutingConfig), qualified.teamHint, ref.isTest);
  const target = decision.target;
  if (!target || ('teamId' in target && !target.teamId)) {
    const why = target ? 'the source names no team and routing has no fallback team' : decision.why;
    await markUnassigned(deps.table, ref.leadId, now.toISOString(), why);
    return { outcome: 'unassigned', why };
  }
  let teamId: string;
  let preferRepId: string | undefined;
  if ('repId' in target) {
    const rep = await getRep(deps.table, target.repId);
    if (!rep) {
      const why = `rule ${decision.ruleId} names rep ${target.repId}, who does not exist`;
      await markUnassigned(deps.table, ref.leadId, now.toISOString(), why);
      return { outcome: 'unassigned', why };
    }
    teamId = rep.teamId;
    preferRepId = rep.repId;
  } else teamId = target.teamId;
  const rule = { ruleId: decision.ruleId, why: decision.why };
  const placement = await placeInTeam(deps, teamId, now, { ownerId: qualified.contact?.returning ? qualified.contact.ownerId : undefined, preferRepId });
  if (placement.winner) {
    return commitPlacement(deps, ref, { ...placement, winner: placement.winner }, rule, now, { reannounce: true, contactId: qualified.contact?.contactId });
  }
  return wait(deps, ref, placement, rule, now);
}

/** How long after its assignment a lead still in its team's queue is taken as never announced. */
const UNANNOUNCED_AFTER_MS = 2 * 60_000;

/**
 * Assigns the team's waiting leads, oldest capture first, to reps who can take them now; stops at the
 * first lead nobody can take, so capture order is kept. Call it when a rep comes online and every
 * minute. Safe concurrently and repeatedly: a lead two drains both place is assigned once, and the
 * losing claim is given back.
 */
export async function drainTeamQueue(deps: AssignDeps, teamId: string, now: Date = clock(deps)): Promise<{ assigned: string[]; waiting: number }> {
  const queue = await listWaiting(deps.table, teamId);
  const assigned: string[] = [];
  for (const [i, waiting] of queue.entries()) {
    const stored = await getLead(deps.table, waiting.lead.leadId);
    if (stored?.ownerId) {
      // Owned yet still queued: the drain that assigned it removes it after announcing, so it is either
      // still running (leave it) or failed before announcing, and then the rep would never be told.
      const since = Date.parse(stored.assignedAt ?? '');
      if (now.getTime() - since < UNANNOUNCED_AFTER_MS) continue;
      await reannounceStored(deps, leadRefOf(stored));
    }
    if (!stored || stored.ownerId) {
      await removeWaiting(deps.table, teamId, waiting.lead);
      continue;
    }
    const placement = await placeInTeam(deps, teamId, now);
    if (!placement.winner) return { assigned, waiting: queue.length - i };
    const rule = { ruleId: 'team-queue', why: `waited in team ${teamId}'s queue since ${waiting.queuedAt}: ${waiting.why}` };
    const outcome = await commitPlacement(deps, leadRefOf(stored), { ...placement, winner: placement.winner }, rule, now, { reason: 'queue-drain', reannounce: false, contactId: stored.contactId });
    if (outcome.outcome === 'assigned') assigned.push(waiting.lead.leadId);
    await removeWaiting(deps.table, teamId, waiting.lead);
  }
  return { assigned, waiting: 0 };
}

/**
 * Hands an owned lead to the next rep of its team who can take it (an SLA miss), never to a rep in
 * `exclude` nor to the current owner, and announces Lead Assigned for the new owner with a new SLA
 * deadline. Leaves the lead with its owner when nobody else can take it. The previous owner's open count
 * is not released here: the caller does that with `releaseOpenLead` once the hand-over succeeded.
 */
export async function assignToNextRep(
  deps: AssignDeps,
  leadId: string,
  options: { exclude: string[]; reason: string },
): Promise<{ reassigned: true; fromRepId: string; repId: string; trace: RoutingTrace; slaDeadline?: string } | { reassigned: false; why: string }> {
  const now = clock(deps);
  const stored = await getLead(deps.table, leadId);
  if (!stored) return { reassigned: false, why: `lead ${leadId} does not exist` };
  if (!stored.ownerId || !stored.teamId) return { reassigned: false, why: `lead ${leadId} has no owner to hand over from` };
  const fromRepId = stored.ownerId;
  const placement = await placeInTeam(deps, stored.teamId, now, { exclude: [...new Set([...options.exclude, fromRepId])] });
  if (!placement.winner) return { reassigned: false, why: whyNobody(placement) };
  const { rep, claim } = placement.winner;
  const at = now.toISOString();
  const trace = traceOf(placement, { ruleId: 'reassignment', why: options.reason }, rep.repId, options.reason);
  const slaDeadline = slaDeadlineOf(placement.team, rep, now);
  const { reassigned } = await reassignLead(deps.table, { leadId, fromRepId, repId: rep.repId, teamId: stored.teamId, at, trace, slaDeadline, reason: options.reason });
  if (!reassigned) {
    await releaseClaim(deps.table, claim);
    return { reassigned: false, why: `lead ${leadId} changed owner meanwhile` };
  }
  if (stored.contactId) await setContactOwner(deps.table, stored.contactId, rep.repId);
  await announce(deps, leadRefOf(stored), { ownerId: rep.repId, teamId: stored.teamId, assignedAt: at, routingTrace: trace, slaDeadline });
  return { reassigned: true, fromRepId, repId: rep.repId, trace, slaDeadline };
}
