import { describe, expect, it } from 'vitest';
import { pickByRoundRobin, type RepCandidate } from '../../shared/domain/round-robin.js';

const reps = (...ids: string[]): RepCandidate[] => ids.map((repId) => ({ repId, active: true }));

describe('pickByRoundRobin', () => {
  it('orders reps by id, whatever order they are given in', () => {
    const given = reps('rep-c', 'rep-a', 'rep-b');
    expect([0, 1, 2].map((t) => pickByRoundRobin(given, t)?.repId)).toEqual(['rep-a', 'rep-b', 'rep-c']);
  });

  it('compares ids by code unit, so rep-10 sorts before rep-2', () => {
    const picked = pickByRoundRobin(reps('rep-2', 'rep-10'), 0);
    expect(picked?.repId).toBe('rep-10');
  });

  it('takes the ticket modulo the number of eligible reps', () => {
    const given = reps('a', 'b', 'c');
    expect(pickByRoundRobin(given, 3)?.repId).toBe('a');
    expect(pickByRoundRobin(given, 7)?.repId).toBe('b');
    expect(pickByRoundRobin(given, 1_000_000_001)?.repId).toBe('c');
  });

  it('skips inactive reps when picking', () => {
    const given: RepCandidate[] = [
      { repId: 'a', active: true },
      { repId: 'b', active: false },
      { repId: 'c', active: true },
    ];
    expect([0, 1, 2, 3].map((t) => pickByRoundRobin(given, t)?.repId)).toEqual(['a', 'c', 'a', 'c']);
  });

  it('lists every rep as a candidate, in order, with why it was or was not eligible', () => {
    const picked = pickByRoundRobin(
      [
        { repId: 'b', active: false },
        { repId: 'a', active: true },
      ],
      0,
    );
    expect(picked).toEqual({
      repId: 'a',
      candidates: [
        { repId: 'a', eligible: true, why: 'active member of the team' },
        { repId: 'b', eligible: false, why: 'deactivated' },
      ],
    });
  });

  it('returns undefined when no rep is active', () => {
    expect(pickByRoundRobin([{ repId: 'a', active: false }], 0)).toBeUndefined();
  });

  it('returns undefined for an empty team', () => {
    expect(pickByRoundRobin([], 5)).toBeUndefined();
  });

  it('does not reorder the array it is given', () => {
    const given = reps('z', 'y', 'x');
    pickByRoundRobin(given, 0);
    expect(given.map((r) => r.repId)).toEqual(['z', 'y', 'x']);
  });

  it('gives each of 7 reps floor or ceil of N/7 leads for tickets 0..N-1, for every N up to 100', () => {
    const team = reps('r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7');
    for (let n = 0; n <= 100; n++) {
      const counts = new Map<string, number>(team.map((r) => [r.repId, 0]));
      for (let ticket = 0; ticket < n; ticket++) {
        const repId = pickByRoundRobin(team, ticket)!.repId;
        counts.set(repId, counts.get(repId)! + 1);
      }
      for (const count of counts.values()) {
        expect([Math.floor(n / 7), Math.ceil(n / 7)]).toContain(count);
      }
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(n);
    }
  });
});
