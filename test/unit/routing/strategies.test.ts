import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rep, Team } from '../../../shared/domain/directory.js';
import { eligibilityOf, type RepLoad } from '../../../shared/domain/routing/eligibility.js';
import { preferenceOrder, rankCandidates, weightedCycle } from '../../../shared/domain/routing/strategies.js';

const team: Team = { teamId: 't', name: 'Team', strategy: 'round_robin' };
const NOW = new Date('2025-01-06T10:00:00Z');
const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('preferenceOrder', () => {
  it('starts round robin at ticket mod n, by id, and offers the rest in rotation', () => {
    const cands = ['c', 'a', 'b'].map((repId) => ({ repId, open: 0 }));
    expect(preferenceOrder('round_robin', cands, 4).order).toEqual(['b', 'c', 'a']);
  });

  it('puts the rep with the fewest open leads first under least loaded, ties in rotation order', () => {
    const cands = [
      { repId: 'a', open: 3 },
      { repId: 'b', open: 1 },
      { repId: 'c', open: 1 },
    ];
    expect(preferenceOrder('least_loaded', cands, 0).order).toEqual(['b', 'c', 'a']);
    expect(preferenceOrder('least_loaded', cands, 2).order).toEqual(['c', 'b', 'a']);
  });

  it('spreads a weighted cycle rather than running one rep’s share together', () => {
    expect(weightedCycle([{ repId: 'a', weight: 5 }, { repId: 'b', weight: 1 }, { repId: 'c', weight: 1 }])).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a']);
  });

  it('records the ticket, slot, cycle and weights in the strategy state', () => {
    const { state, order } = preferenceOrder('weighted_round_robin', [{ repId: 'a', weight: 2, open: 0 }, { repId: 'b', open: 0 }], 4);
    expect(state).toEqual({ ticket: 4, position: 1, cycle: 3, weights: { a: 2, b: 1 } });
    expect(order).toEqual(['b', 'a']);
  });
});

describe('strategy properties (fast-check)', () => {
  const repArb = fc.record({
    repId: fc.constantFrom(...ids),
    active: fc.boolean(),
    availability: fc.option(fc.record({ status: fc.constantFrom('online', 'offline', 'away') as fc.Arbitrary<'online' | 'offline' | 'away'> }), { nil: undefined }),
    workingHours: fc.option(fc.constant({ mon: ['09:00-12:00'] as string[] }), { nil: undefined }),
    caps: fc.option(fc.record({ perHour: fc.option(fc.nat(5), { nil: undefined }), perDay: fc.option(fc.nat(20), { nil: undefined }) }), { nil: undefined }),
    weight: fc.option(fc.nat(5), { nil: undefined }),
  });
  const loadArb: fc.Arbitrary<RepLoad> = fc.record({ thisHour: fc.nat(6), today: fc.nat(25), open: fc.nat(10) });

  it('offers a lead only to eligible reps, first to one, under every strategy', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(repArb, { selector: (r) => r.repId, maxLength: 7 }),
        fc.array(loadArb, { minLength: 7, maxLength: 7 }),
        fc.constantFrom('round_robin', 'weighted_round_robin', 'least_loaded') as fc.Arbitrary<Team['strategy']>,
        fc.nat(1_000_000),
        (given, loadList, strategy, ticket) => {
          const reps: Rep[] = given.map((r) => ({ ...r, teamId: 't', name: r.repId }));
          const loads = new Map(reps.map((r, i) => [r.repId, loadList[i]!]));
          const { order, candidates } = rankCandidates({ ...team, strategy }, reps, loads, NOW, ticket);
          const eligibleIds = reps.filter((r) => eligibilityOf(r, team, NOW, loads.get(r.repId)!).eligible).map((r) => r.repId);
          // Every eligible rep is offered it (under weighted round robin, those with weight 0 only when nobody has more).
          const offered = strategy === 'weighted_round_robin' && reps.some((r) => eligibleIds.includes(r.repId) && (r.weight ?? 1) > 0)
            ? eligibleIds.filter((id) => (reps.find((r) => r.repId === id)!.weight ?? 1) > 0)
            : eligibleIds;
          expect(new Set(order)).toEqual(new Set(offered));
          expect(order).toHaveLength(offered.length);
          for (const repId of order) expect(candidates.find((c) => c.repId === repId)!.eligible).toBe(true);
        },
      ),
    );
  });

  /*
   * Fairness, precisely: split the ticket sequence into stretches in which the set of eligible reps does
   * not change. Within every stretch, any two eligible reps' counts of first offers differ by at most one,
   * and a rep eligible for n consecutive tickets of a stretch of n eligible reps gets exactly one of them.
   * Eligibility may change arbitrarily between stretches (reps going away, caps filling).
   */
  it('is fair over any sequence of eligibility changes: within each stretch of unchanged eligibility, shares differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.array(fc.record({ eligible: fc.subarray(ids, { minLength: 1 }), length: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 12 }),
        (firstTicket, stretches) => {
          let ticket = firstTicket;
          for (const stretch of stretches) {
            const counts = new Map(stretch.eligible.map((id) => [id, 0]));
            const firsts: string[] = [];
            for (let i = 0; i < stretch.length; i++) {
              const { order } = preferenceOrder('round_robin', stretch.eligible.map((repId) => ({ repId, open: 0 })), ticket++);
              firsts.push(order[0]!);
              counts.set(order[0]!, counts.get(order[0]!)! + 1);
            }
            const values = [...counts.values()];
            expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
            const n = stretch.eligible.length;
            for (let i = 0; i + n <= firsts.length; i++) expect(new Set(firsts.slice(i, i + n)).size).toBe(n);
          }
        },
      ),
    );
  });

  it('keeps each weighted share within one lead of the exact proportion k·w/W after every k-th lead of a cycle, and exact at its end', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 7, maxLength: 7 }), fc.nat(1000), (reps, ws, cycles) => {
        const weights = Object.fromEntries(reps.map((id, i) => [id, ws[i]!]));
        const total = reps.reduce((s, id) => s + weights[id]!, 0);
        // Any cycle of the endless ticket sequence, from its first slot.
        const ticket = cycles * total;
        const counts = new Map(reps.map((id) => [id, 0]));
        for (let k = 1; k <= total; k++) {
          const { order } = preferenceOrder('weighted_round_robin', reps.map((repId) => ({ repId, weight: weights[repId], open: 0 })), ticket + k - 1);
          counts.set(order[0]!, counts.get(order[0]!)! + 1);
          for (const id of reps) {
            const share = ((k * weights[id]!) / total);
            // After k leads of the cycle, each rep has within one lead of k·w/W.
            expect(Math.abs(counts.get(id)! - share)).toBeLessThan(1 + 1e-9);
          }
        }
        for (const id of reps) expect(counts.get(id)).toBe(weights[id]);
      }),
    );
  });
});
