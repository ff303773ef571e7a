/**
 * A dry run of routing: where a set of leads would go under a config, computed with the same pure
 * functions the assign function uses (`routeLead`, `rankCandidates`), over a snapshot of the directory.
 * Nothing is claimed or written. Each team's rotation starts at ticket 0 and loads grow as the run
 * hands out leads, so caps and least-loaded behave as they would over the batch.
 */
import type { LeadFacts } from './conditions.js';
import type { Rep, RoutingConfig, Team } from './directory.js';
import { NO_LOAD, eligibilityOf, type RepLoad } from './routing/eligibility.js';
import { routeLead } from './routing/route.js';
import { rankCandidates } from './routing/strategies.js';

/** One lead as a simulation sees it. */
export interface SimulatedLead {
  leadId: string;
  facts: LeadFacts;
  isTest: boolean;
  /** The team the lead's source names, if any. */
  sourceTeamId?: string;
}

/**
 * Why routing never sees a stored lead in this status, if it does not: only qualified leads reach the
 * assign function, so a simulation that routed a disqualified, merged or withdrawn lead would count a
 * rep's share of spam and duplicates that the real platform never hands anyone.
 */
export function notRoutedWhy(status: string): string | undefined {
  switch (status) {
    case 'disqualified':
      return 'disqualified by scoring; routing never sees it';
    case 'merged':
      return "merged into the same person's open lead; routing never sees it";
    case 'withdrawn':
      return 'withdrawn by its provider; routing never sees it';
    default:
      return undefined;
  }
}

/** The teams and reps a simulation may route to, with each rep's load now. */
export interface RoutingSnapshot {
  teams: ReadonlyMap<string, Team>;
  repsByTeam: ReadonlyMap<string, readonly Rep[]>;
  reps: ReadonlyMap<string, Rep>;
  loads: ReadonlyMap<string, RepLoad>;
}

/** Where one lead would go: a rep of a team, or nowhere and why. */
export interface SimulatedOutcome {
  leadId: string;
  ruleId: string;
  teamId?: string;
  repId?: string;
  /** True when a rule named the rep, rather than the team's strategy choosing them. */
  namedRep?: boolean;
  /** Set when no rep would get the lead (it would wait in the team's queue, or go to nobody). */
  unassigned?: string;
}

/** Routes every lead by `config`, in order, without side effects. */
export function simulateRouting(
  leads: readonly SimulatedLead[],
  config: RoutingConfig,
  snapshot: RoutingSnapshot,
  now: Date,
): SimulatedOutcome[] {
  const tickets = new Map<string, number>();
  const loads = new Map<string, RepLoad>();
  const loadOf = (repId: string) => loads.get(repId) ?? snapshot.loads.get(repId) ?? NO_LOAD;
  const take = (repId: string) => {
    const load = loadOf(repId);
    loads.set(repId, { thisHour: load.thisHour + 1, today: load.today + 1, open: load.open + 1 });
  };

  return leads.map((lead): SimulatedOutcome => {
    const decision = routeLead(lead.facts, config, lead.sourceTeamId, lead.isTest);
    const base = { leadId: lead.leadId, ruleId: decision.ruleId };
    const target = decision.target;
    if (!target) return { ...base, unassigned: decision.why };
    if ('repId' in target) {
      const rep = snapshot.reps.get(target.repId);
      if (!rep) return { ...base, unassigned: `rep ${target.repId} does not exist` };
      const team = snapshot.teams.get(rep.teamId);
      if (!team) return { ...base, repId: rep.repId, unassigned: `rep ${rep.repId}'s team ${rep.teamId} does not exist` };
      const verdict = eligibilityOf(rep, team, now, loadOf(rep.repId));
      if (!verdict.eligible) return { ...base, teamId: team.teamId, unassigned: `rep ${rep.repId} cannot take it: ${verdict.why}` };
      take(rep.repId);
      return { ...base, teamId: team.teamId, repId: rep.repId, namedRep: true };
    }
    const team = snapshot.teams.get(target.teamId);
    if (!team) return { ...base, teamId: target.teamId, unassigned: `team ${target.teamId} does not exist` };
    const reps = [...(snapshot.repsByTeam.get(team.teamId) ?? [])];
    const ticket = tickets.get(team.teamId) ?? 0;
    const { candidates, order } = rankCandidates(team, reps, new Map(reps.map((r) => [r.repId, loadOf(r.repId)])), now, ticket);
    const repId = order[0];
    if (!repId) {
      const why = candidates.length
        ? `no rep of team ${team.teamId} is eligible (${candidates.map((c) => `${c.repId}: ${c.why}`).join('; ')})`
        : `team ${team.teamId} has no reps`;
      return { ...base, teamId: team.teamId, unassigned: `would wait in the team's queue: ${why}` };
    }
    tickets.set(team.teamId, ticket + 1);
    take(repId);
    return { ...base, teamId: team.teamId, repId };
  });
}

/** How outcomes spread: leads per team and per rep, and the leads nobody would get. */
export interface Distribution {
  byTeam: Record<string, number>;
  byRep: Record<string, number>;
  unassigned: Array<{ leadId: string; teamId?: string; why: string }>;
}

/** Counts outcomes per team and per rep (a lead waiting in a team's queue counts for the team only). */
export function distributionOf(outcomes: readonly SimulatedOutcome[]): Distribution {
  const byTeam: Record<string, number> = {};
  const byRep: Record<string, number> = {};
  const unassigned: Distribution['unassigned'] = [];
  for (const o of outcomes) {
    if (o.teamId) byTeam[o.teamId] = (byTeam[o.teamId] ?? 0) + 1;
    if (o.unassigned) unassigned.push({ leadId: o.leadId, ...(o.teamId ? { teamId: o.teamId } : {}), why: o.unassigned });
    else if (o.repId) byRep[o.repId] = (byRep[o.repId] ?? 0) + 1;
  }
  return { byTeam, byRep, unassigned };
}

/** A lead that would go elsewhere under the draft than under the active config. */
export interface RoutingMove {
  leadId: string;
  from: { ruleId: string; teamId?: string; repId?: string };
  to: { ruleId: string; teamId?: string; repId?: string };
}

function place(o: SimulatedOutcome): RoutingMove['from'] {
  return { ruleId: o.ruleId, ...(o.teamId ? { teamId: o.teamId } : {}), ...(o.repId && !o.unassigned ? { repId: o.repId } : {}) };
}

/**
 * The leads whose team changes between the active and the draft outcome, or that become (un)assigned.
 * A change of rep inside the same team alone is not a move: it only reflects where the simulated
 * rotation stood, which shifts whenever other leads leave or join the team; those are counted apart.
 */
export function compareOutcomes(
  active: readonly SimulatedOutcome[],
  draft: readonly SimulatedOutcome[],
): { moves: RoutingMove[]; sameTeamOtherRep: number } {
  const byLead = new Map(active.map((o) => [o.leadId, o]));
  const moves: RoutingMove[] = [];
  let sameTeamOtherRep = 0;
  for (const to of draft) {
    const from = byLead.get(to.leadId);
    if (!from) continue;
    const teamChanged = from.teamId !== to.teamId || Boolean(from.unassigned) !== Boolean(to.unassigned);
    // A rule naming a rep is a decision of the config, not of the rotation.
    const namedRepChanged = (from.namedRep || to.namedRep) && from.repId !== to.repId;
    if (teamChanged || namedRepChanged) moves.push({ leadId: to.leadId, from: place(from), to: place(to) });
    else if (from.repId !== to.repId) sameTeamOtherRep++;
  }
  return { moves, sameTeamOtherRep };
}
