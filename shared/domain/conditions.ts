/**
 * Conditions over a lead's facts, shared by scoring rules and routing rules.
 */
import { isFreeEmail } from './normalize-email.js';

/** What scoring rules can look at: flat, named facts about a lead. */
export type LeadFacts = Record<string, string | undefined>;

/** A condition over one fact. */
export type Condition =
  | { fact: string; op: 'present' }
  | { fact: string; op: 'absent' }
  | { fact: string; op: 'equals'; value: string }
  | { fact: string; op: 'in'; values: string[] }
  | { fact: string; op: 'matches'; pattern: string }
  /** The fact read as a number lies within `min`..`max`, both included; either bound may be left out. */
  | { fact: string; op: 'between'; min?: number; max?: number }
  /** The fact (`email` unless named) is an address at a company domain or at a free mailbox provider. */
  | { fact?: string; op: 'emailType'; value: 'business' | 'free' };

/** Every condition operator, for validation and documentation. */
export const CONDITION_OPS = ['present', 'absent', 'equals', 'in', 'matches', 'between', 'emailType'] as const;

/** The fact a condition reads (a condition that names none reads its operator's default fact). */
export function factOf(c: Condition): string {
  return c.fact ?? 'email';
}

/** A fact as a number, when it is one ("42", "-3.5"); undefined for text, empty or missing facts. */
function numberOf(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Whether one condition holds for the facts. */
export function holds(c: Condition, facts: LeadFacts): boolean {
  const v = facts[factOf(c)];
  switch (c.op) {
    case 'present':
      return v !== undefined && v !== '';
    case 'absent':
      return v === undefined || v === '';
    case 'equals':
      return v === c.value;
    case 'in':
      return v !== undefined && c.values.includes(v);
    case 'matches':
      return v !== undefined && new RegExp(c.pattern, 'i').test(v);
    case 'between': {
      const n = numberOf(v);
      return n !== undefined && (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
    }
    case 'emailType':
      return v !== undefined && v.includes('@') && (isFreeEmail(v.toLowerCase()) ? 'free' : 'business') === c.value;
  }
}

/** Whether every condition holds (an empty list always does). */
export function allHold(conditions: readonly Condition[], facts: LeadFacts): boolean {
  return conditions.every((c) => holds(c, facts));
}

/** A fact's value as evidence: quoted, and cut short so a long message does not fill a reason. */
function quoted(v: string | undefined): string {
  if (v === undefined) return 'missing';
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}

/** What one condition checked, in words: `message matches /https?:/ ("see http://x")`. */
export function describeCondition(c: Condition, facts: LeadFacts): string {
  const fact = factOf(c);
  const v = facts[fact];
  switch (c.op) {
    case 'present':
      return `${fact} is present (${quoted(v)})`;
    case 'absent':
      return `${fact} is absent`;
    case 'equals':
      return `${fact} equals ${JSON.stringify(c.value)}`;
    case 'in':
      return `${fact} ${quoted(v)} is one of ${c.values.map((x) => JSON.stringify(x)).join(', ')}`;
    case 'matches':
      return `${fact} matches /${c.pattern}/ (${quoted(v)})`;
    case 'between':
      return `${fact} ${quoted(v)} is between ${c.min ?? '-∞'} and ${c.max ?? '∞'}`;
    case 'emailType':
      return `${fact} ${quoted(v)} is a ${c.value === 'free' ? 'free mailbox' : 'business'} address`;
  }
}

/** Why a set of conditions held: one line per condition, for the reasons a lead records. */
export function explainConditions(conditions: readonly Condition[], facts: LeadFacts): string[] {
  return conditions.map((c) => describeCondition(c, facts));
}
