/**
 * Distribution strategies as pure functions that are safe under concurrency: a strategy turns the
 * eligible candidates and a ticket from the team's atomic counter into an ORDERED preference list. The
 * store then claims the first rep whose cap counters can still be incremented (a conditional update), and
 * falls to the next on a lost race, so concurrent leads get distinct turns and caps are never exceeded.
 */
import type { DistributionStrategy, Rep, Team } from '../directory.js';
import { eligibilityOf, NO_LOAD, type RepLoad } from './eligibility.js';

/** A rep as a strategy sees them: only what ordering needs. */
export interface StrategyCandidate {
  repId: string;
  weight?: number;
  open: number;
}

/** Where the rotation stood for this lead, for the routing trace. */
export interface StrategyState {
  ticket: number;
  /** The slot of the cycle the ticket fell on (ticket mod cycle). */
  position: number;
  /** Slots per cycle: the number of candidates, or the sum of weights. */
  cycle: number;
  weights?: Record<string, number>;
}

const byId = (a: { repId: string }, b: { repId: string }) => (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0);

function rotate<T>(items: T[], by: number): T[] {
  return items.length ? [...items.slice(by % items.length), ...items.slice(0, by % items.length)] : [];
}

/** A rep's whole-number weight under weighted round robin (default 1; 0 takes no share). */
export function weightOf(weight: number | undefined): number {
  return Math.max(0, Math.round(weight ?? 1));
}

/**
 * One cycle of smooth weighted round robin: each rep appears as often as their weight, spread out rather
 * than in runs (weights 5,1,1 give a a b a c a a, not a a a a a b c), so a short stretch of leads is
 * shared close to the weights too. Ties go to the lower id, so every process computes the same cycle.
 */
export function weightedCycle(weights: Array<{ repId: string; weight: number }>): string[] {
  const reps = [...weights].filter((w) => w.weight > 0).sort(byId);
  const total = reps.reduce((sum, r) => sum + r.weight, 0);
  const current = reps.map(() => 0);
  const cycle: string[] = [];
  for (let slot = 0; slot < total; slot++) {
    let best = 0;
    for (let i = 0; i < reps.length; i++) {
      current[i]! += reps[i]!.weight;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    cycle.push(reps[best]!.repId);
  }
  return cycle;
}

/**
 * The order in which the eligible candidates are offered a lead holding `ticket`:
 * - round robin: by id, starting at `ticket mod n`;
 * - weighted round robin: the weighted cycle from slot `ticket mod sum(weights)`, each rep once;
 * - least loaded: fewest open leads first, ties in round-robin order.
 * The first entry is the rep whose turn it is; the rest are who gets it if that rep's cap fills first.
 */
export function preferenceOrder(
  strategy: DistributionStrategy,
  candidates: StrategyCandidate[],
  ticket: number,
): { order: string[]; state: StrategyState } {
  const sorted = [...candidates].sort(byId);
  if (strategy === 'weighted_round_robin') {
    const weighted = sorted.map((c) => ({ repId: c.repId, weight: weightOf(c.weight) }));
    // Nobody with a positive weight: share evenly rather than drop the lead.
    const usable = weighted.some((w) => w.weight > 0) ? weighted : weighted.map((w) => ({ ...w, weight: 1 }));
    const cycle = weightedCycle(usable);
    const position = cycle.length ? ticket % cycle.length : 0;
    const order = [...new Set(rotate(cycle, position))];
    return { order, state: { ticket, position, cycle: cycle.length, weights: Object.fromEntries(usable.map((w) => [w.repId, w.weight])) } };
  }
  const position = sorted.length ? ticket % sorted.length : 0;
  const rotation = rotate(sorted, position);
  if (strategy === 'least_loaded') {
    const rank = new Map(rotation.map((c, i) => [c.repId, i]));
    const order = [...rotation].sort((a, b) => a.open - b.open || rank.get(a.repId)! - rank.get(b.repId)!).map((c) => c.repId);
    return { order, state: { ticket, position, cycle: sorted.length } };
  }
  return { order: rotation.map((c) => c.repId), state: { ticket, position, cycle: sorted.length } };
}

/** One rep as the routing trace records them. */
export interface CandidateVerdict {
  repId: string;
  eligible: boolean;
  why: string;
  load: RepLoad;
}

/**
 * Judges every rep of the team and orders the eligible ones by the team's strategy. Reps listed in
 * `exclude` (those who already missed this lead's deadline) are ruled out with that reason.
 */
export function rankCandidates(
  team: Team,
  reps: Rep[],
  loads: ReadonlyMap<string, RepLoad>,
  now: Date,
  ticket: number,
  exclude: readonly string[] = [],
): { candidates: CandidateVerdict[]; order: string[]; state: StrategyState } {
  const candidates = [...reps].sort(byId).map((rep): CandidateVerdict => {
    const load = loads.get(rep.repId) ?? NO_LOAD;
    if (exclude.includes(rep.repId)) return { repId: rep.repId, eligible: false, why: 'excluded: already had this lead', load };
    return { repId: rep.repId, ...eligibilityOf(rep, team, now, load), load };
  });
  const eligible = new Set(candidates.filter((c) => c.eligible).map((c) => c.repId));
  const { order, state } = preferenceOrder(
    team.strategy,
    reps.filter((r) => eligible.has(r.repId)).map((r) => ({ repId: r.repId, weight: r.weight, open: loads.get(r.repId)?.open ?? 0 })),
    ticket,
  );
  return { candidates, order, state };
}
