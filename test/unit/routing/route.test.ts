import { describe, expect, it } from 'vitest';
import type { Rep, RoutingConfig, Team } from '../../../shared/domain/directory.js';
import { eligibilityOf } from '../../../shared/domain/routing/eligibility.js';
import { routeLead, stickyOwnerOf } from '../../../shared/domain/routing/route.js';

const config: RoutingConfig = {
  rules: [
    { id: 'hot-to-closers', when: [{ fact: 'grade', op: 'equals', value: 'hot' }], to: { teamId: 'closers' } },
    { id: 'de-to-anna', when: [{ fact: 'country', op: 'equals', value: 'DE' }], to: { repId: 'anna' } },
  ],
  fallbackTeamId: 'inbound',
};
const team: Team = { teamId: 'sales', name: 'Sales', strategy: 'round_robin' };
const rep: Rep = { repId: 'r', teamId: 'sales', name: 'R', active: true };
const NOW = new Date('2025-01-06T10:00:00Z');
const load = { thisHour: 0, today: 0, open: 0 };

describe('routeLead', () => {
  it('lets the first matching rule decide, before the source team', () => {
    expect(routeLead({ grade: 'hot', country: 'DE' }, config, 'web', false)).toMatchObject({ ruleId: 'hot-to-closers', target: { teamId: 'closers' } });
    expect(routeLead({ grade: 'cold', country: 'DE' }, config, 'web', false)).toMatchObject({ ruleId: 'de-to-anna', target: { repId: 'anna' } });
  });

  it('sends an unmatched lead to its source team, else to the fallback team', () => {
    expect(routeLead({}, config, 'web', false)).toMatchObject({ ruleId: 'source-team', target: { teamId: 'web' } });
    expect(routeLead({}, config, undefined, false)).toMatchObject({ ruleId: 'fallback-team', target: { teamId: 'inbound' } });
  });

  it('sends a test lead to nobody unless a test team is named, whatever the rules say', () => {
    expect(routeLead({ grade: 'hot' }, config, 'web', true).target).toBeUndefined();
    expect(routeLead({ grade: 'hot' }, { ...config, testLeadsTeamId: 'qa' }, 'web', true).target).toEqual({ teamId: 'qa' });
  });
});

describe('stickyOwnerOf', () => {
  const candidates = [
    { repId: 'owner', eligible: true, why: 'online', load },
    { repId: 'away', eligible: false, why: 'away', load },
  ];
  it('keeps an eligible owner of the target team', () => {
    expect(stickyOwnerOf(team, 'owner', candidates).decision).toBe('owner');
  });
  it('says why the owner did not keep the lead', () => {
    expect(stickyOwnerOf(team, 'away', candidates)).toMatchObject({ decision: 'not-eligible', why: 'owner away cannot take it: away' });
    expect(stickyOwnerOf(team, 'elsewhere', candidates).decision).toBe('not-in-team');
    expect(stickyOwnerOf({ ...team, stickyOwner: false }, 'owner', candidates).decision).toBe('disabled');
    expect(stickyOwnerOf(team, undefined, candidates).decision).toBe('no-owner');
  });
});

describe('eligibilityOf', () => {
  it('rules out a deactivated, offline or away rep, naming the reason', () => {
    expect(eligibilityOf({ ...rep, active: false }, team, NOW, load)).toEqual({ eligible: false, why: 'deactivated' });
    expect(eligibilityOf({ ...rep, availability: { status: 'offline' } }, team, NOW, load).why).toBe('offline');
    const away = { ...rep, availability: { status: 'away' as const, until: '2025-01-06T11:00:00Z' } };
    expect(eligibilityOf(away, team, NOW, load)).toEqual({ eligible: false, why: 'away until 2025-01-06T11:00:00Z' });
    expect(eligibilityOf(away, team, new Date('2025-01-06T11:00:00Z'), load).eligible).toBe(true);
  });

  it('rules out a rep at an hourly or daily cap and shows the counts otherwise', () => {
    const capped = { ...rep, caps: { perHour: 2, perDay: 5 } };
    expect(eligibilityOf(capped, team, NOW, { thisHour: 2, today: 2, open: 0 }).why).toBe('hourly cap reached (2 of 2 this hour)');
    expect(eligibilityOf(capped, team, NOW, { thisHour: 0, today: 5, open: 0 }).why).toBe('daily cap reached (5 of 5 today)');
    expect(eligibilityOf(capped, team, NOW, { thisHour: 1, today: 4, open: 0 })).toMatchObject({ eligible: true, why: expect.stringContaining('1/2 this hour, 4/5 today') });
  });

  it('rules out a rep outside working hours or with an unknown time zone instead of failing', () => {
    expect(eligibilityOf({ ...rep, workingHours: { tue: ['09:00-17:00'] } }, team, NOW, load).eligible).toBe(false);
    expect(eligibilityOf({ ...rep, timeZone: 'Mars/Olympus' }, team, NOW, load)).toMatchObject({ eligible: false, why: expect.stringContaining('working hours cannot be read') });
  });
});

describe('factsOfQualified', () => {
  it('lets routing rules see the facts the lead was scored on, with its score and grade winning', async () => {
    const { factsOfQualified } = await import('../../../shared/use-cases/assign-lead.js');
    const facts = factsOfQualified({
      version: 1,
      lead: { leadId: 'L', sourceId: 'web', channel: 'web_form', capturedAt: '2025-01-06T10:00:00.000Z', isTest: false },
      score: 40,
      grade: 'warm',
      reasons: [],
      facts: { country: 'DE', grade: 'stale' },
      qualifiedAt: '2025-01-06T10:00:01.000Z',
    });
    expect(facts).toMatchObject({ country: 'DE', grade: 'warm', score: '40', source: 'web', channel: 'web_form' });
    expect(routeLead(facts, config, undefined, false).ruleId).toBe('de-to-anna');
  });
});
