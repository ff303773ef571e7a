/**
 * Conditions over a lead's facts, shared by scoring rules and routing rules.
 */

/** What scoring rules can look at: flat, named facts about a lead. */
export type LeadFacts = Record<string, string | undefined>;

/** A condition over one fact. */
export type Condition =
  | { fact: string; op: 'present' }
  | { fact: string; op: 'absent' }
  | { fact: string; op: 'equals'; value: string }
  | { fact: string; op: 'in'; values: string[] }
  | { fact: string; op: 'matches'; pattern: string };

/** Whether one condition holds for the facts. */
export function holds(c: Condition, facts: LeadFacts): boolean {
  const v = facts[c.fact];
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
  }
}

/** Whether every condition holds (an empty list always does). */
export function allHold(conditions: readonly Condition[], facts: LeadFacts): boolean {
  return conditions.every((c) => holds(c, facts));
}
