import type { RoutingTrace } from '../../events/lead-assigned.js';

export interface RepCandidate {
  repId: string;
  active: boolean;
}

/**
 * Picks the rep for a rotation ticket: eligible reps in a stable order (by id), the ticket modulo their
 * count. Tickets come from an atomic counter, so concurrent leads get distinct tickets and every rep
 * gets a share within one of every other's. Returns undefined when nobody is eligible.
 */
export function pickByRoundRobin(
  reps: RepCandidate[],
  ticket: number,
): { repId: string; candidates: RoutingTrace['candidates'] } | undefined {
  const ordered = [...reps].sort((a, b) => (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0));
  const candidates = ordered.map((r) => ({
    repId: r.repId,
    eligible: r.active,
    why: r.active ? 'active member of the team' : 'deactivated',
  }));
  const eligible = ordered.filter((r) => r.active);
  const winner = eligible[ticket % eligible.length];
  return winner ? { repId: winner.repId, candidates } : undefined;
}
