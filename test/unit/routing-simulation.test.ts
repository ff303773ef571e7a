import { describe, expect, it } from 'vitest';
import type { Rep, RoutingConfig, Team } from '../../shared/domain/directory.js';
import { compareOutcomes, distributionOf, notRoutedWhy, simulateRouting, type RoutingSnapshot, type SimulatedLead } from '../../shared/domain/routing-simulation.js';

const now = new Date('2026-11-20T12:00:00.000Z');
const team = (teamId: string): Team => ({ teamId, name: teamId, strategy: 'round_robin' });
const rep = (repId: string, teamId: string, extra: Partial<Rep> = {}): Rep => ({ repId, teamId, name: repId, active: true, ...extra });

const reps = [rep('ana', 'sales'), rep('bo', 'sales'), rep('dirk', 'dach'), rep('off', 'night', { availability: { status: 'offline' } })];
const snapshot: RoutingSnapshot = {
  teams: new Map(['sales', 'dach', 'night'].map((id) => [id, team(id)])),
  repsByTeam: new Map([
    ['sales', reps.slice(0, 2)],
    ['dach', [reps[2]!]],
    ['night', [reps[3]!]],
  ]),
  reps: new Map(reps.map((r) => [r.repId, r])),
  loads: new Map(),
};

const leads: SimulatedLead[] = [
  { leadId: 'L1', facts: { country: 'DE' }, isTest: false },
  { leadId: 'L2', facts: { country: 'US' }, isTest: false },
  { leadId: 'L3', facts: { country: 'AT' }, isTest: false },
  { leadId: 'L4', facts: { country: 'US' }, isTest: false },
  { leadId: 'L5', facts: {}, isTest: true },
];

const active: RoutingConfig = { fallbackTeamId: 'sales' };
const draft: RoutingConfig = {
  rules: [{ id: 'dach', when: [{ fact: 'country', op: 'in', values: ['DE', 'AT'] }], to: { teamId: 'dach' } }],
  fallbackTeamId: 'sales',
};

describe('simulateRouting', () => {
  it('rotates a team by its strategy and reports the distribution per team and rep', () => {
    const outcomes = simulateRouting(leads, active, snapshot, now);
    expect(distributionOf(outcomes)).toEqual({
      byTeam: { sales: 4 },
      byRep: { ana: 2, bo: 2 },
      unassigned: [{ leadId: 'L5', why: 'test lead, and routing names no test leads team' }],
    });
  });

  it('follows the first matching rule', () => {
    const outcomes = simulateRouting(leads, draft, snapshot, now);
    expect(outcomes.filter((o) => o.ruleId === 'dach').map((o) => [o.leadId, o.repId])).toEqual([
      ['L1', 'dirk'],
      ['L3', 'dirk'],
    ]);
    expect(distributionOf(outcomes).byTeam).toEqual({ dach: 2, sales: 2 });
  });

  it('says why a lead would wait when no rep of its team is eligible', () => {
    const [outcome] = simulateRouting([leads[1]!], { fallbackTeamId: 'night' }, snapshot, now);
    expect(outcome).toMatchObject({ teamId: 'night', unassigned: "would wait in the team's queue: no rep of team night is eligible (off: offline)" });
  });

  it('respects caps across the leads of one run', () => {
    const capped: RoutingSnapshot = { ...snapshot, repsByTeam: new Map([['dach', [rep('dirk', 'dach', { caps: { perDay: 1 } })]]]) };
    const outcomes = simulateRouting(leads.slice(0, 3), { fallbackTeamId: 'dach' }, capped, now);
    expect(outcomes.map((o) => o.repId ?? 'none')).toEqual(['dirk', 'none', 'none']);
  });

  it('sends a lead to a rep a rule names, or says why that rep cannot take it', () => {
    const named: RoutingConfig = { rules: [{ id: 'vip', when: [], to: { repId: 'off' } }], fallbackTeamId: 'sales' };
    expect(simulateRouting([leads[0]!], named, snapshot, now)[0]).toMatchObject({ unassigned: 'rep off cannot take it: offline' });
    const toBo: RoutingConfig = { rules: [{ id: 'vip', when: [], to: { repId: 'bo' } }], fallbackTeamId: 'sales' };
    expect(simulateRouting([leads[0]!], toBo, snapshot, now)[0]).toMatchObject({ teamId: 'sales', repId: 'bo', namedRep: true });
  });
});

describe('compareOutcomes', () => {
  it('lists the leads that change team, from and to, and counts rep changes within a team apart', () => {
    const { moves, sameTeamOtherRep } = compareOutcomes(simulateRouting(leads, active, snapshot, now), simulateRouting(leads, draft, snapshot, now));
    expect(moves).toEqual([
      { leadId: 'L1', from: { ruleId: 'fallback-team', teamId: 'sales', repId: 'ana' }, to: { ruleId: 'dach', teamId: 'dach', repId: 'dirk' } },
      { leadId: 'L3', from: { ruleId: 'fallback-team', teamId: 'sales', repId: 'ana' }, to: { ruleId: 'dach', teamId: 'dach', repId: 'dirk' } },
    ]);
    // L2 and L4 stay in sales; the rotation gives them other reps once L1 and L3 leave.
    expect(sameTeamOtherRep).toBe(1);
  });

  it('finds no moves when the configs agree', () => {
    const outcomes = simulateRouting(leads, active, snapshot, now);
    expect(compareOutcomes(outcomes, outcomes)).toEqual({ moves: [], sameTeamOtherRep: 0 });
  });
});

describe('notRoutedWhy', () => {
  it('keeps disqualified, merged and withdrawn leads out of a simulation, since assign never sees them', () => {
    expect(notRoutedWhy('disqualified')).toMatch(/disqualified by scoring/);
    expect(notRoutedWhy('merged')).toMatch(/merged into the same person's open lead/);
    expect(notRoutedWhy('withdrawn')).toMatch(/withdrawn by its provider/);
  });

  it('lets every lead that was qualified, whatever happened to it since, be simulated', () => {
    for (const status of ['qualified', 'assigned', 'waiting', 'unassigned', 'accepted', 'contacted', 'won', 'lost']) {
      expect(notRoutedWhy(status), status).toBeUndefined();
    }
  });
});
