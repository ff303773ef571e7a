import { describe, expect, it } from 'vitest';
import {
  neverMatches,
  referencedIds,
  validateRoutingConfig,
  validateScoringConfig,
  type DirectorySnapshot,
} from '../../shared/domain/config-validation.js';
import { defaultScoringConfig } from '../../shared/domain/scoring.js';

const directory: DirectorySnapshot = {
  activeRepsByTeam: new Map([
    ['sales', 3],
    ['enterprise', 1],
    ['empty', 0],
  ]),
  reps: new Map([
    ['ana', { active: true }],
    ['gone', { active: false }],
  ]),
};

function routingProblems(config: unknown) {
  const result = validateRoutingConfig(config, directory);
  return result.ok ? [] : result.problems;
}

function scoringProblems(config: unknown) {
  const result = validateScoringConfig(config);
  return result.ok ? [] : result.problems;
}

describe('validateRoutingConfig', () => {
  it('accepts ordered rules to teams and reps with a fallback team', () => {
    const result = validateRoutingConfig(
      {
        rules: [
          { id: 'big', when: [{ fact: 'score', op: 'between', min: 60 }], to: { teamId: 'enterprise' } },
          { id: 'vip', when: [{ fact: 'answers.vip', op: 'equals', value: 'yes' }], to: { repId: 'ana' } },
        ],
        fallbackTeamId: 'sales',
      },
      directory,
    );
    expect(result.ok).toBe(true);
  });

  it('names an unknown field by its path', () => {
    expect(routingProblems({ fallbackTeamId: 'sales', fallback: 'x' })).toEqual([{ field: 'fallback', problem: 'is not a known field' }]);
    expect(
      routingProblems({ fallbackTeamId: 'sales', rules: [{ id: 'a', when: [{ fact: 'x', op: 'present', value: 'y' }], to: { teamId: 'sales' } }] }),
    ).toEqual([{ field: 'rules.0.when.0.value', problem: 'is not a known field' }]);
  });

  it('says a required field is missing and an unknown operator is not one of the known ones', () => {
    expect(routingProblems({})).toEqual([{ field: 'fallbackTeamId', problem: 'is required (a string)' }]);
    const [problem] = routingProblems({ fallbackTeamId: 'sales', rules: [{ id: 'a', when: [{ fact: 'x', op: 'like' }], to: { teamId: 'sales' } }] });
    expect(problem?.field).toBe('rules.0.when.0.op');
    expect(problem?.problem).toMatch(/^must be one of present, absent, equals, in, matches, between, emailType$/);
  });

  it('rejects an in with an empty list', () => {
    expect(
      routingProblems({ fallbackTeamId: 'sales', rules: [{ id: 'a', when: [{ fact: 'country', op: 'in', values: [] }], to: { teamId: 'sales' } }] }),
    ).toEqual([{ field: 'rules.0.when.0.values', problem: 'is an empty list: no value is in it, so the rule can never match' }]);
  });

  it('rejects between with min above max', () => {
    const [problem] = routingProblems({
      fallbackTeamId: 'sales',
      rules: [{ id: 'a', when: [{ fact: 'score', op: 'between', min: 80, max: 20 }], to: { teamId: 'sales' } }],
    });
    expect(problem).toEqual({ field: 'rules.0.when.0', problem: 'min 80 is above max 20: no number lies between, so the rule can never match' });
  });

  it('rejects contradictory conditions on one fact', () => {
    const contradictions = [
      [{ fact: 'phone', op: 'present' }, { fact: 'phone', op: 'absent' }],
      [{ fact: 'country', op: 'equals', value: 'DE' }, { fact: 'country', op: 'equals', value: 'FR' }],
      [{ fact: 'country', op: 'equals', value: 'DE' }, { fact: 'country', op: 'in', values: ['FR', 'IT'] }],
      [{ fact: 'score', op: 'between', max: 10 }, { fact: 'score', op: 'between', min: 20 }],
      [{ fact: 'score', op: 'equals', value: '5' }, { fact: 'score', op: 'between', min: 20 }],
      [{ op: 'emailType', value: 'free' }, { op: 'emailType', value: 'business' }],
    ];
    for (const when of contradictions) {
      const problems = routingProblems({ fallbackTeamId: 'sales', rules: [{ id: 'a', when, to: { teamId: 'sales' } }] });
      expect(problems).toHaveLength(1);
      expect(problems[0]!.field).toBe('rules.0.when');
      expect(problems[0]!.problem).toMatch(/contradict each other .* so the rule can never match$/);
    }
  });

  it('accepts conditions on one fact that some value satisfies', () => {
    const when = [
      { fact: 'score', op: 'between', min: 10 },
      { fact: 'score', op: 'between', max: 20 },
      { fact: 'score', op: 'in', values: ['15', 'x'] },
    ];
    expect(routingProblems({ fallbackTeamId: 'sales', rules: [{ id: 'a', when, to: { teamId: 'sales' } }] })).toEqual([]);
  });

  it('rejects a pattern that is not a regular expression', () => {
    const [problem] = routingProblems({
      fallbackTeamId: 'sales',
      rules: [{ id: 'a', when: [{ fact: 'message', op: 'matches', pattern: '(unclosed' }], to: { teamId: 'sales' } }],
    });
    expect(problem?.field).toBe('rules.0.when.0.pattern');
    expect(problem?.problem).toMatch(/^is not a valid regular expression/);
  });

  it('rejects a rule after one that matches every lead, as shadowed', () => {
    expect(
      routingProblems({
        fallbackTeamId: 'sales',
        rules: [
          { id: 'all', when: [], to: { teamId: 'sales' } },
          { id: 'de', when: [{ fact: 'country', op: 'equals', value: 'DE' }], to: { teamId: 'enterprise' } },
        ],
      }),
    ).toEqual([{ field: 'rules.1', problem: 'is shadowed: rules.0 ("all") matches every lead first, so this rule can never match' }]);
  });

  it('rejects a target team that does not exist or has no active reps, for rules, fallback and test leads', () => {
    expect(
      routingProblems({
        fallbackTeamId: 'empty',
        testLeadsTeamId: 'nowhere',
        rules: [{ id: 'a', when: [{ fact: 'x', op: 'present' }], to: { teamId: 'ghosts' } }],
      }),
    ).toEqual([
      { field: 'rules.0.to.teamId', problem: 'team "ghosts" does not exist' },
      { field: 'fallbackTeamId', problem: 'team "empty" has no active reps to take a lead' },
      { field: 'testLeadsTeamId', problem: 'team "nowhere" does not exist' },
    ]);
  });

  it('rejects an unknown or inactive rep, and a target naming both or neither', () => {
    expect(
      routingProblems({
        fallbackTeamId: 'sales',
        rules: [
          { id: 'a', when: [{ fact: 'x', op: 'present' }], to: { repId: 'nobody' } },
          { id: 'b', when: [{ fact: 'y', op: 'present' }], to: { repId: 'gone' } },
          { id: 'c', when: [{ fact: 'z', op: 'present' }], to: { repId: 'ana', teamId: 'sales' } },
          { id: 'd', when: [{ fact: 'w', op: 'present' }], to: {} },
        ],
      }),
    ).toEqual([
      { field: 'rules.0.to.repId', problem: 'rep "nobody" does not exist' },
      { field: 'rules.1.to.repId', problem: 'rep "gone" is not active' },
      { field: 'rules.2.to', problem: 'must name exactly one of teamId or repId' },
      { field: 'rules.3.to', problem: 'must name exactly one of teamId or repId' },
    ]);
  });

  it('rejects two rules with one id', () => {
    expect(
      routingProblems({
        fallbackTeamId: 'sales',
        rules: [
          { id: 'a', when: [{ fact: 'x', op: 'present' }], to: { teamId: 'sales' } },
          { id: 'a', when: [{ fact: 'y', op: 'present' }], to: { teamId: 'sales' } },
        ],
      }),
    ).toEqual([{ field: 'rules.1.id', problem: '"a" is already the id of rules.0' }]);
  });
});

describe('validateScoringConfig', () => {
  it('accepts the default config', () => {
    expect(validateScoringConfig(defaultScoringConfig)).toEqual({ ok: true, config: defaultScoringConfig });
  });

  it('names an unknown field and a wrong type', () => {
    expect(scoringProblems({ ...defaultScoringConfig, weights: {} })).toEqual([{ field: 'weights', problem: 'is not a known field' }]);
    expect(
      scoringProblems({ grades: defaultScoringConfig.grades, rules: [{ id: 'a', when: [], points: '10', reason: 'r' }] }),
    ).toEqual([{ field: 'rules.0.points', problem: 'must be a number' }]);
  });

  it('rejects grades out of order and a grade listed twice', () => {
    expect(
      scoringProblems({
        rules: [],
        grades: [
          { grade: 'warm', min: 30 },
          { grade: 'hot', min: 60 },
          { grade: 'warm', min: 0 },
        ],
      }),
    ).toEqual([
      { field: 'grades.1.min', problem: 'is 60, not below 30 of "warm": list grades from the highest threshold down' },
      { field: 'grades.2.grade', problem: '"warm" is listed twice' },
    ]);
  });

  it('requires at least one grade', () => {
    expect(scoringProblems({ rules: [], grades: [] })).toEqual([{ field: 'grades', problem: 'must have at least 1 entries' }]);
  });

  it('rejects rules after one that disqualifies every lead', () => {
    expect(
      scoringProblems({
        grades: [{ grade: 'cold', min: 0 }],
        rules: [
          { id: 'closed', when: [], points: 0, reason: 'we are closed', disqualify: true },
          { id: 'phone', when: [{ fact: 'phone', op: 'present' }], points: 10, reason: 'phone' },
        ],
      }),
    ).toEqual([{ field: 'rules.1', problem: 'is shadowed: rules.0 ("closed") disqualifies every lead first, so this rule never fires' }]);
  });

  it('rejects a scoring rule that can never fire', () => {
    expect(
      scoringProblems({
        grades: [{ grade: 'cold', min: 0 }],
        rules: [{ id: 'r', when: [{ fact: 'phone', op: 'absent' }, { fact: 'phone', op: 'equals', value: '+1' }], points: 5, reason: 'r' }],
      }),
    ).toEqual([{ field: 'rules.0.when', problem: 'conditions on phone contradict each other (absent and equals), so the rule can never match' }]);
  });
});

describe('neverMatches', () => {
  it('finds nothing wrong with an unconditional rule', () => {
    expect(neverMatches([], 'rules.0')).toEqual([]);
  });
});

describe('referencedIds', () => {
  it('collects the teams and reps a config points at, ignoring malformed parts', () => {
    expect(
      referencedIds({
        fallbackTeamId: 'sales',
        testLeadsTeamId: 'qa',
        rules: [{ to: { teamId: 'ent' } }, { to: { repId: 'ana' } }, null, { to: { teamId: 3 } }],
      }),
    ).toEqual({ teamIds: ['sales', 'qa', 'ent'], repIds: ['ana'] });
  });
});
