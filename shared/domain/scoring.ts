import type { ScoreReason } from '../../events/lead-qualified.js';
import type { LeadCaptured } from '../../events/lead-captured.js';
import { isFreeEmail } from './normalize-email.js';
import { allHold, type Condition, type LeadFacts } from './conditions.js';

export type { Condition, LeadFacts } from './conditions.js';

/** A scoring rule: when every condition holds, add `points` (or disqualify the lead) for `reason`. */
export interface ScoringRule {
  id: string;
  when: Condition[];
  points: number;
  reason: string;
  disqualify?: boolean;
}

export interface ScoringConfig {
  rules: ScoringRule[];
  /** Grades from the highest threshold down; a score at or above `min` earns the grade. */
  grades: Array<{ grade: string; min: number }>;
}

export interface ScoreResult {
  score: number;
  grade: string;
  reasons: ScoreReason[];
  disqualifiedBy?: ScoreReason;
}

const CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'yclid', 'msclkid', 'ttclid'] as const;

/** The facts scoring rules see for a captured lead. */
export function factsOf(lead: LeadCaptured): LeadFacts {
  const { person, attribution } = lead;
  const facts: LeadFacts = {
    name: person.name,
    email: person.email,
    phone: person.phone,
    message: lead.message,
    channel: lead.channel,
    provider: lead.provider,
    sourceId: lead.sourceId,
    isTest: String(lead.isTest),
    emailDomainType: person.email ? (isFreeEmail(person.email) ? 'free' : 'business') : undefined,
    clickId: CLICK_IDS.map((k) => attribution[k]).find(Boolean),
  };
  for (const [k, v] of Object.entries(attribution)) facts[k] = v;
  for (const [k, v] of Object.entries(lead.answers)) facts[`answers.${k}`] = v;
  return facts;
}

/**
 * Scores a lead by the rules, recording each rule that fired and what it added. A disqualifying rule
 * that fires ends scoring: the lead is disqualified for that reason.
 */
export function scoreLead(facts: LeadFacts, config: ScoringConfig): ScoreResult {
  const reasons: ScoreReason[] = [];
  let score = 0;
  for (const rule of config.rules) {
    if (!allHold(rule.when, facts)) continue;
    const reason = { rule: rule.id, points: rule.points, reason: rule.reason };
    if (rule.disqualify) return { score, grade: 'disqualified', reasons: [...reasons, reason], disqualifiedBy: reason };
    reasons.push(reason);
    score += rule.points;
  }
  const grade = [...config.grades].sort((a, b) => b.min - a.min).find((g) => score >= g.min)?.grade ?? 'cold';
  return { score, grade, reasons };
}

/** The scoring a new installation starts with; teams replace it with their own. */
export const defaultScoringConfig: ScoringConfig = {
  rules: [
    { id: 'has-phone', when: [{ fact: 'phone', op: 'present' }], points: 30, reason: 'left a valid phone number' },
    { id: 'has-email', when: [{ fact: 'email', op: 'present' }], points: 20, reason: 'left a valid email address' },
    {
      id: 'business-email',
      when: [{ fact: 'emailDomainType', op: 'equals', value: 'business' }],
      points: 15,
      reason: 'email is at a company domain, not a free mailbox',
    },
    { id: 'has-message', when: [{ fact: 'message', op: 'present' }], points: 10, reason: 'wrote a message' },
    { id: 'paid-click', when: [{ fact: 'clickId', op: 'present' }], points: 10, reason: 'came from a paid ad click' },
    { id: 'named', when: [{ fact: 'name', op: 'present' }], points: 5, reason: 'gave a name' },
  ],
  grades: [
    { grade: 'hot', min: 60 },
    { grade: 'warm', min: 30 },
    { grade: 'cold', min: 0 },
  ],
};
