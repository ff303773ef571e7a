/**
 * Assigning a lead to a rep, end to end: route it to a team (or a named rep), judge the team's reps,
 * order them by the team's strategy (or the returning contact's owner), claim the first whose caps
 * allow, record the owner with the routing trace, and announce it. When nobody can take the lead it
 * waits in the team's queue, and `drainTeamQueue` assigns it as soon as somebody can.
 *
 * Every step is safe to repeat and to run concurrently: tickets come from an atomic counter, a rep is
 * claimed by a conditional increment, the owner is written only if the lead has none (or, on
 * re-assignment, only while the previous owner still holds it), a claim that lost gives its counts back,
 * and the owner's write carries its Lead Assigned (the stream relays it), so nothing announces twice
 * or never.
 */
import { LEAD_ASSIGNED, type LeadAssigned, type RoutingTrace } from '../../events/lead-assigned.js';
import type { LeadRef } from '../../events/common.js';
import type { LeadQualified } from '../../events/lead-qualified.js';
import type { OutgoingEvent } from '../aws/event-publisher.js';
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

/** What assignment needs from the outside world; tests hand in DynamoDB Local. */
export interface AssignDeps {
  table: Table;
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

/** The Lead Assigned an assignment write carries. */
function leadAssigned(lead: LeadRef, assigned: { repId: string; teamId: string; at: string; trace: RoutingTrace; slaDeadline?: string }): OutgoingEvent {
  const detail: LeadAssigned = {
    version: 1,
    lead,
    repId: assigned.repId,
    teamId: assigned.teamId,
    strategy: assigned.trace.strategy,
    assignedAt: assigned.at,
    trace: assigned.trace,
    ...(assigned.slaDeadline ? { slaDeadline: assigned.slaDeadline } : {}),
  };
  return { detailType: LEAD_ASSIGNED, detail };
}

/**
 * Writes the owner a placement found, with its announcement; when another delivery assigned the lead
 * first, gives the claim back (that delivery's write announced the owner).
 */
async function commitPlacement(
  deps: AssignDeps,
  lead: LeadRef,
  placement: Placement & { winner: NonNullable<Placement['winner']> },
  rule: { ruleId: string; why: string },
  now: Date,
  options: { reason?: string; contactId?: string },
): Promise<AssignOutcome> {
  const { rep, claim } = placement.winner;
  const at = now.toISOString();
  const trace = traceOf(placement, rule, rep.repId, options.reason);
  const slaDeadline = slaDeadlineOf(placement.team, rep, now);
  const assignment = { repId: rep.repId, teamId: placement.team.teamId, at, trace, slaDeadline };
  const { assigned } = await assignLead(deps.table, { leadId: lead.leadId, ...assignment, announce: [leadAssigned(lead, assignment)] });
  if (assigned) {
    // The rep now owns the person too: their next lead comes back to this rep (sticky ownership).
    if (options.contactId) await setContactOwner(deps.table, options.contactId, rep.repId);
    return { outcome: 'assigned', repId: rep.repId, teamId: placement.team.teamId, trace, slaDeadline };
  }
  await releaseClaim(deps.table, claim);
  const stored = await getLead(deps.table, lead.leadId);
  return { outcome: 'already-assigned', repId: stored?.ownerId ?? '' };
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
 * Lead Qualified → an owner (or the team's queue). A redelivered event finds the lead owned and changes
 * nothing.
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
    return commitPlacement(deps, ref, { ...placement, winner: placement.winner }, rule, now, { contactId: qualified.contact?.contactId });
  }
  return wait(deps, ref, placement, rule, now);
}

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
    // Owned yet still queued: a drain assigned it (and its write announced it) but had not removed it yet.
    if (!stored || stored.ownerId) {
      await removeWaiting(deps.table, teamId, waiting.lead);
      continue;
    }
    const placement = await placeInTeam(deps, teamId, now);
    if (!placement.winner) return { assigned, waiting: queue.length - i };
    const rule = { ruleId: 'team-queue', why: `waited in team ${teamId}'s queue since ${waiting.queuedAt}: ${waiting.why}` };
    const outcome = await commitPlacement(deps, leadRefOf(stored), { ...placement, winner: placement.winner }, rule, now, { reason: 'queue-drain', contactId: stored.contactId });
    if (outcome.outcome === 'assigned') assigned.push(waiting.lead.leadId);
    await removeWaiting(deps.table, teamId, waiting.lead);
  }
  return { assigned, waiting: 0 };
}

/**
 * Hands an owned lead to the next rep of its team who can take it (an SLA miss), never to a rep in
 * `exclude` nor to the current owner, with Lead Assigned for the new owner (a new SLA deadline) in the
 * same write. Leaves the lead with its owner when nobody else can take it. The previous owner's open count
 * is not released here: the caller does that with `releaseOpenLead` once the hand-over succeeded.
 */
export async function assignToNextRep(
  deps: AssignDeps,
  leadId: string,
  options: {
    exclude: string[];
    reason: string;
    /** What the hand-over announces beside the new owner's Lead Assigned (telling the previous owner). */
    alsoAnnounce?: (hand: { fromRepId: string; toRepId: string; at: string; lead: LeadRef }) => OutgoingEvent[];
  },
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
  const ref = leadRefOf(stored);
  const assignment = { repId: rep.repId, teamId: stored.teamId, at, trace, slaDeadline };
  const announce = [leadAssigned(ref, assignment), ...(options.alsoAnnounce?.({ fromRepId, toRepId: rep.repId, at, lead: ref }) ?? [])];
  const { reassigned } = await reassignLead(deps.table, { leadId, fromRepId, ...assignment, reason: options.reason, announce });
  if (!reassigned) {
    await releaseClaim(deps.table, claim);
    return { reassigned: false, why: `lead ${leadId} changed owner meanwhile` };
  }
  if (stored.contactId) await setContactOwner(deps.table, stored.contactId, rep.repId);
  return { reassigned: true, fromRepId, repId: rep.repId, trace, slaDeadline };
}
