import type { ScoreReason } from '../../events/lead-qualified.js';
import type { LeadCaptured } from '../../events/lead-captured.js';
import { isFreeEmail } from './normalize-email.js';
import { isDisposableEmail } from './disposable-email-domains.js';
import { countryOfPhone } from './phone-country.js';
import { allHold, explainConditions, type Condition, type LeadFacts } from './conditions.js';

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
const LINK = /\bhttps?:\/\/|\bwww\.[a-z0-9-]/gi;

/** What facts are made of: a captured lead, or a stored one (which also has its score and grade). */
export type FactSource = Pick<
  LeadCaptured,
  'person' | 'attribution' | 'answers' | 'message' | 'channel' | 'provider' | 'sourceId' | 'isTest'
> & { score?: number; grade?: string };

/**
 * The phone's validity and country. Intake keeps `phone` only when it normalized to a valid E.164
 * number, and otherwise keeps what was written as `phoneRaw`: so `phone` is valid and `phoneRaw` alone is not.
 */
function phoneFacts(person: LeadCaptured['person']): { phoneValid?: string; country?: string } {
  if (!person.phone) return person.phoneRaw ? { phoneValid: 'false' } : {};
  return { phoneValid: 'true', country: countryOfPhone(person.phone) };
}

/**
 * The facts scoring and routing rules see for a lead. Besides the lead's own fields: `source` (the
 * configured source), `campaign` (utm_campaign, else the platform's campaign id), `country` (ISO 3166,
 * from the phone), `phoneValid`, `emailDomainType` (business | free), `emailDisposable`, `messageLinks`
 * (how many links the message holds), `answers.<name>`, and for a scored lead `score` and `grade`.
 */
export function factsOf(lead: FactSource): LeadFacts {
  const { person, attribution } = lead;
  const facts: LeadFacts = {
    name: person.name,
    email: person.email,
    phone: person.phone,
    message: lead.message,
    channel: lead.channel,
    provider: lead.provider,
    sourceId: lead.sourceId,
    source: lead.sourceId,
    campaign: attribution.utm_campaign || attribution.campaignId || undefined,
    isTest: String(lead.isTest),
    emailDomainType: person.email ? (isFreeEmail(person.email) ? 'free' : 'business') : undefined,
    emailDisposable: person.email ? String(isDisposableEmail(person.email)) : undefined,
    messageLinks: lead.message ? String(lead.message.match(LINK)?.length ?? 0) : undefined,
    clickId: CLICK_IDS.map((k) => attribution[k]).find(Boolean),
    ...phoneFacts(person),
  };
  for (const [k, v] of Object.entries(attribution)) facts[k] = v;
  for (const [k, v] of Object.entries(lead.answers)) facts[`answers.${k}`] = v;
  if (lead.score !== undefined) facts.score = String(lead.score);
  if (lead.grade !== undefined) facts.grade = lead.grade;
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
    const reason: ScoreReason = { rule: rule.id, points: rule.points, reason: rule.reason, because: explainConditions(rule.when, facts) };
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
    {
      id: 'honeypot',
      when: [{ fact: 'answers._honeypot', op: 'present' }],
      points: 0,
      reason: 'filled the form field only robots see',
      disqualify: true,
    },
    {
      id: 'test-lead',
      when: [{ fact: 'isTest', op: 'equals', value: 'true' }],
      points: 0,
      reason: 'the platform marked it a test lead',
      disqualify: true,
    },
    {
      id: 'disposable-email',
      when: [{ fact: 'emailDisposable', op: 'equals', value: 'true' }],
      points: 0,
      reason: 'email is at a disposable mailbox domain',
      disqualify: true,
    },
    {
      id: 'spam-link-in-name',
      when: [{ fact: 'name', op: 'matches', pattern: 'https?://|www\\.|<a\\s' }],
      points: 0,
      reason: 'the name holds a link, which people do not have',
      disqualify: true,
    },
    {
      id: 'spam-links-in-message',
      when: [{ fact: 'messageLinks', op: 'between', min: 3 }],
      points: 0,
      reason: 'the message is mostly links',
      disqualify: true,
    },
    {
      id: 'spam-repeated-characters',
      when: [{ fact: 'message', op: 'matches', pattern: '([a-z0-9а-яё])\\1{9,}' }],
      points: 0,
      reason: 'the message repeats one character ten or more times',
      disqualify: true,
    },
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
