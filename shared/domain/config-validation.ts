/**
 * Validation of routing and scoring configs before they are saved: the shape (strict, so a misspelt
 * field is named rather than ignored), then what the shape cannot say: rules that can never match,
 * grades out of order, and routing targets that do not exist or have nobody to take a lead.
 */
import * as z from 'zod/mini';
import { CONDITION_OPS, factOf, type Condition } from './conditions.js';
import type { RoutingConfig } from './directory.js';
import type { FieldProblem } from './errors.js';
import type { ScoringConfig } from './scoring.js';

const nonEmpty = z.string().check(z.minLength(1));
const finite = z.number().check(z.refine(Number.isFinite));

const conditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ fact: nonEmpty, op: z.literal('present') }),
  z.strictObject({ fact: nonEmpty, op: z.literal('absent') }),
  z.strictObject({ fact: nonEmpty, op: z.literal('equals'), value: z.string() }),
  z.strictObject({ fact: nonEmpty, op: z.literal('in'), values: z.array(z.string()) }),
  z.strictObject({ fact: nonEmpty, op: z.literal('matches'), pattern: z.string().check(z.minLength(1), z.maxLength(200)) }),
  z.strictObject({ fact: nonEmpty, op: z.literal('between'), min: z.optional(finite), max: z.optional(finite) }),
  z.strictObject({ fact: z.optional(nonEmpty), op: z.literal('emailType'), value: z.enum(['business', 'free']) }),
]);

const routingRuleSchema = z.strictObject({
  id: nonEmpty,
  description: z.optional(z.string()),
  when: z.array(conditionSchema),
  to: z.strictObject({ teamId: z.optional(nonEmpty), repId: z.optional(nonEmpty) }),
});

const routingConfigSchema = z.strictObject({
  rules: z.optional(z.array(routingRuleSchema)),
  fallbackTeamId: nonEmpty,
  testLeadsTeamId: z.optional(nonEmpty),
});

const scoringConfigSchema = z.strictObject({
  rules: z.array(
    z.strictObject({
      id: nonEmpty,
      when: z.array(conditionSchema),
      points: finite,
      reason: nonEmpty,
      disqualify: z.optional(z.boolean()),
    }),
  ),
  grades: z.array(z.strictObject({ grade: nonEmpty, min: finite })).check(z.minLength(1)),
});

/** What a routing config may point at: teams with how many active reps each, and the known reps. */
export interface DirectorySnapshot {
  /** Team id → number of its reps that are active; a team missing here does not exist. */
  activeRepsByTeam: ReadonlyMap<string, number>;
  /** Rep id → whether the rep is active; a rep missing here does not exist. */
  reps: ReadonlyMap<string, { active: boolean }>;
}

/** The result of validating a config: the config, typed, or every problem found. */
export type Validated<T> = { ok: true; config: T } | { ok: false; problems: FieldProblem[] };

function fieldName(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(body)';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** zod's issues, in words: zod/mini leaves messages out to stay small, so each code gets its own. */
function problemsOf(issues: readonly z.core.$ZodIssue[], input: unknown): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    const field = fieldName(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), problem: 'is not a known field' }));
      case 'invalid_type':
        return [
          {
            field,
            problem: valueAt(input, issue.path) === undefined ? `is required (a ${issue.expected})` : `must be a ${issue.expected}`,
          },
        ];
      case 'invalid_union':
        return [
          (issue as { note?: string }).note === 'No matching discriminator'
            ? { field, problem: `must be one of ${CONDITION_OPS.join(', ')}` }
            : { field, problem: 'has an invalid shape' },
        ];
      case 'invalid_value':
        return [{ field, problem: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
      case 'too_small':
        return [{ field, problem: issue.origin === 'string' ? 'must not be empty' : `must have at least ${issue.minimum} entries` }];
      case 'too_big':
        return [{ field, problem: `must be at most ${issue.maximum} characters` }];
      case 'custom':
        return [{ field, problem: 'must be a finite number' }];
      default:
        return [{ field, problem: issue.message }];
    }
  });
}

/**
 * Why a rule's conditions can never all hold, if they cannot: an empty `in` list, `between` with
 * min above max, a pattern that is not a regular expression, or conditions on one fact that contradict
 * each other (present and absent, two different `equals`, disjoint ranges, both email types).
 */
export function neverMatches(when: readonly Condition[], at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  when.forEach((c, i) => {
    const field = `${at}.when.${i}`;
    if (c.op === 'in' && c.values.length === 0) {
      problems.push({ field: `${field}.values`, problem: 'is an empty list: no value is in it, so the rule can never match' });
    }
    if (c.op === 'between' && c.min !== undefined && c.max !== undefined && c.min > c.max) {
      problems.push({ field, problem: `min ${c.min} is above max ${c.max}: no number lies between, so the rule can never match` });
    }
    if (c.op === 'matches') {
      try {
        new RegExp(c.pattern, 'i');
      } catch (error) {
        problems.push({ field: `${field}.pattern`, problem: `is not a valid regular expression (${(error as Error).message})` });
      }
    }
  });
  if (problems.length) return problems;

  const byFact = new Map<string, Condition[]>();
  for (const c of when) byFact.set(factOf(c), [...(byFact.get(factOf(c)) ?? []), c]);
  for (const [fact, conditions] of byFact) {
    const contradiction = contradictionOn(conditions);
    if (contradiction) problems.push({ field: `${at}.when`, problem: `conditions on ${fact} contradict each other (${contradiction}), so the rule can never match` });
  }
  return problems;
}

/** The contradiction among conditions on one fact, in words, or undefined when some value satisfies them all. */
function contradictionOn(conditions: readonly Condition[]): string | undefined {
  const absent = conditions.some((c) => c.op === 'absent');
  const needsValue = conditions.find((c) => c.op !== 'absent');
  if (absent && needsValue) return `absent and ${needsValue.op}`;

  let allowed: Set<string> | undefined;
  for (const c of conditions) {
    const values = c.op === 'equals' ? [c.value] : c.op === 'in' ? c.values : undefined;
    if (!values) continue;
    allowed = new Set(allowed ? values.filter((v) => allowed!.has(v)) : values);
  }
  if (allowed && allowed.size === 0) return 'no value is allowed by every equals and in';

  let min = -Infinity;
  let max = Infinity;
  for (const c of conditions) {
    if (c.op !== 'between') continue;
    min = Math.max(min, c.min ?? -Infinity);
    max = Math.min(max, c.max ?? Infinity);
  }
  if (min > max) return `the ranges share no number (at least ${min}, at most ${max})`;
  if (allowed && (min > -Infinity || max < Infinity)) {
    const inRange = [...allowed].filter((v) => v.trim() !== '' && Number(v) >= min && Number(v) <= max);
    if (inRange.length === 0) return `no listed value is a number from ${min} to ${max}`;
  }
  const types = new Set(conditions.flatMap((c) => (c.op === 'emailType' ? [c.value] : [])));
  if (types.size > 1) return 'an address cannot be both business and free';
  return undefined;
}

function duplicateIds(rules: ReadonlyArray<{ id: string }>): FieldProblem[] {
  const seen = new Map<string, number>();
  return rules.flatMap((rule, i) => {
    const first = seen.get(rule.id);
    if (first === undefined) {
      seen.set(rule.id, i);
      return [];
    }
    return [{ field: `rules.${i}.id`, problem: `"${rule.id}" is already the id of rules.${first}` }];
  });
}

function teamProblem(teamId: string, directory: DirectorySnapshot): string | undefined {
  const active = directory.activeRepsByTeam.get(teamId);
  if (active === undefined) return `team "${teamId}" does not exist`;
  if (active === 0) return `team "${teamId}" has no active reps to take a lead`;
  return undefined;
}

/**
 * Validates a routing config against its schema and the directory: every rule can match, none is
 * shadowed by an earlier rule that matches every lead, and every team it sends to exists and has an
 * active rep, every rep exists and is active.
 */
export function validateRoutingConfig(input: unknown, directory: DirectorySnapshot): Validated<RoutingConfig> {
  const parsed = routingConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues, input) };
  const config = parsed.data;
  const rules = config.rules ?? [];
  const problems: FieldProblem[] = [...duplicateIds(rules)];
  const catchAll = rules.findIndex((r) => r.when.length === 0);
  rules.forEach((rule, i) => {
    const at = `rules.${i}`;
    problems.push(...neverMatches(rule.when as Condition[], at));
    if (catchAll !== -1 && i > catchAll) {
      problems.push({ field: at, problem: `is shadowed: rules.${catchAll} ("${rules[catchAll]!.id}") matches every lead first, so this rule can never match` });
    }
    const { teamId, repId } = rule.to;
    if ((teamId === undefined) === (repId === undefined)) {
      problems.push({ field: `${at}.to`, problem: 'must name exactly one of teamId or repId' });
    } else if (teamId !== undefined) {
      const problem = teamProblem(teamId, directory);
      if (problem) problems.push({ field: `${at}.to.teamId`, problem });
    } else if (repId !== undefined) {
      const rep = directory.reps.get(repId);
      if (!rep) problems.push({ field: `${at}.to.repId`, problem: `rep "${repId}" does not exist` });
      else if (!rep.active) problems.push({ field: `${at}.to.repId`, problem: `rep "${repId}" is not active` });
    }
  });
  const fallback = teamProblem(config.fallbackTeamId, directory);
  if (fallback) problems.push({ field: 'fallbackTeamId', problem: fallback });
  if (config.testLeadsTeamId !== undefined) {
    const testTeam = teamProblem(config.testLeadsTeamId, directory);
    if (testTeam) problems.push({ field: 'testLeadsTeamId', problem: testTeam });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    config: {
      ...config,
      rules: config.rules?.map((r) => ({ ...r, when: r.when as Condition[], to: r.to.teamId ? { teamId: r.to.teamId } : { repId: r.to.repId! } })),
    },
  };
}

/**
 * Validates a scoring config: every rule can fire, none comes after a rule that disqualifies every
 * lead, and grades run from the highest threshold down with distinct names.
 */
export function validateScoringConfig(input: unknown): Validated<ScoringConfig> {
  const parsed = scoringConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues, input) };
  const config = parsed.data as ScoringConfig;
  const problems: FieldProblem[] = [...duplicateIds(config.rules)];
  const disqualifiesAll = config.rules.findIndex((r) => r.disqualify && r.when.length === 0);
  config.rules.forEach((rule, i) => {
    problems.push(...neverMatches(rule.when, `rules.${i}`));
    if (disqualifiesAll !== -1 && i > disqualifiesAll) {
      problems.push({ field: `rules.${i}`, problem: `is shadowed: rules.${disqualifiesAll} ("${config.rules[disqualifiesAll]!.id}") disqualifies every lead first, so this rule never fires` });
    }
  });
  const names = new Set<string>();
  config.grades.forEach((g, i) => {
    if (names.has(g.grade)) problems.push({ field: `grades.${i}.grade`, problem: `"${g.grade}" is listed twice` });
    names.add(g.grade);
    const above = config.grades[i - 1];
    if (above && g.min >= above.min) {
      problems.push({ field: `grades.${i}.min`, problem: `is ${g.min}, not below ${above.min} of "${above.grade}": list grades from the highest threshold down` });
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, config };
}

/** The team and rep ids a routing config refers to, so a caller can look up just those. */
export function referencedIds(input: unknown): { teamIds: string[]; repIds: string[] } {
  const teamIds = new Set<string>();
  const repIds = new Set<string>();
  if (input && typeof input === 'object') {
    const config = input as Partial<Record<string, unknown>>;
    for (const key of ['fallbackTeamId', 'testLeadsTeamId']) if (typeof config[key] === 'string') teamIds.add(config[key] as string);
    if (Array.isArray(config.rules)) {
      for (const rule of config.rules as Array<{ to?: { teamId?: unknown; repId?: unknown } }>) {
        if (typeof rule?.to?.teamId === 'string') teamIds.add(rule.to.teamId);
        if (typeof rule?.to?.repId === 'string') repIds.add(rule.to.repId);
      }
    }
  }
  return { teamIds: [...teamIds], repIds: [...repIds] };
}
