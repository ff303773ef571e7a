import Big from 'big.js';
import { ValidationError, type FieldProblem } from './errors.js';
import { isCurrency } from './lead-status.js';
import { decimal, isDecimal } from './money.js';
import type { PurchaseFact } from './customer-value.js';

/**
 * Customer segments by rules the admin configures. Rules are tried in order and the first that holds
 * names the contact's segment; a contact no rule matches has none. The segment is a lead fact
 * (`segment`) that scoring and routing conditions can use.
 */
export type SegmentRule =
  /** Spent (net of refunds) more than the amount of at least one currency within the last `withinDays`. */
  | { segment: string; kind: 'spent_more_than'; amounts: Record<string, string>; withinDays: number }
  /** Made more than `count` purchases within the last `withinDays`. */
  | { segment: string; kind: 'purchases_more_than'; count: number; withinDays: number }
  /** The first purchase, or the first contact, was within the last `withinDays`. */
  | { segment: string; kind: 'new'; withinDays: number };

export interface SegmentConfig {
  rules: SegmentRule[];
}

/**
 * The business's defaults: VIP (spent more than a threshold per currency in 12 months), regular (more
 * than 3 purchases in 6 months), new (first purchase or first contact within 30 days). VIP is tried
 * first: a big first order is a VIP, not merely new.
 */
export const DEFAULT_SEGMENT_CONFIG: SegmentConfig = {
  rules: [
    { segment: 'vip', kind: 'spent_more_than', amounts: { EUR: '5000', GBP: '4000', RUB: '500000', USD: '5000' }, withinDays: 365 },
    { segment: 'regular', kind: 'purchases_more_than', count: 3, withinDays: 183 },
    { segment: 'new', kind: 'new', withinDays: 30 },
  ],
};

const DAY_MS = 86_400_000;

/** What a contact's segment is decided on. */
export interface SegmentInput {
  purchases: readonly PurchaseFact[];
  firstSeenAt?: string;
}

function holds(rule: SegmentRule, input: SegmentInput, now: number): boolean {
  const since = now - rule.withinDays * DAY_MS;
  const inWindow = input.purchases.filter((p) => {
    const at = Date.parse(p.at);
    return at >= since && at <= now;
  });
  switch (rule.kind) {
    case 'spent_more_than': {
      const spent = new Map<string, Big>();
      for (const p of inWindow) spent.set(p.currency, (spent.get(p.currency) ?? new Big(0)).plus(decimal(p.amount)));
      return Object.entries(rule.amounts).some(([currency, threshold]) => (spent.get(currency) ?? new Big(0)).gt(threshold));
    }
    case 'purchases_more_than':
      return inWindow.filter((p) => decimal(p.amount).gt(0)).length > rule.count;
    case 'new': {
      const firsts = [
        ...input.purchases.filter((p) => decimal(p.amount).gt(0)).map((p) => Date.parse(p.at)),
        ...(input.firstSeenAt ? [Date.parse(input.firstSeenAt)] : []),
      ];
      if (!firsts.length) return false;
      const first = Math.min(...firsts);
      return first >= since && first <= now;
    }
  }
}

/** The segment of a contact now: the first rule that holds, or undefined when none does. */
export function segmentOf(config: SegmentConfig, input: SegmentInput, now: Date): string | undefined {
  return config.rules.find((rule) => holds(rule, input, now.getTime()))?.segment;
}

const SEGMENT_NAME = /^[a-z][a-z0-9_-]{0,39}$/;
const KINDS = ['spent_more_than', 'purchases_more_than', 'new'] as const;
const MAX_RULES = 20;
const MAX_DAYS = 3660;

/**
 * Reads a segment config from an admin's request, naming every problem by its path
 * (`rules[1].amounts.USD`): segment names, kinds, windows, counts, currencies and amounts.
 */
export function parseSegmentConfig(body: unknown): SegmentConfig {
  const problems: FieldProblem[] = [];
  const input = body as { rules?: unknown } | undefined;
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new ValidationError('the segment config must be a JSON object with rules');
  for (const key of Object.keys(input)) if (key !== 'rules') problems.push({ field: key, problem: 'unknown field; the config has only rules' });
  if (!Array.isArray(input.rules)) throw new ValidationError('the segment config is not valid', [...problems, { field: 'rules', problem: 'must be a list of rules' }]);
  if (input.rules.length > MAX_RULES) problems.push({ field: 'rules', problem: `at most ${MAX_RULES} rules` });
  const rules: SegmentRule[] = [];
  input.rules.forEach((raw: unknown, i: number) => {
    const at = `rules[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ field: at, problem: 'must be an object' });
      return;
    }
    const rule = raw as Record<string, unknown>;
    const allowed = new Set(['segment', 'kind', 'withinDays', ...(rule.kind === 'spent_more_than' ? ['amounts'] : rule.kind === 'purchases_more_than' ? ['count'] : [])]);
    for (const key of Object.keys(rule)) if (!allowed.has(key)) problems.push({ field: `${at}.${key}`, problem: `unknown field for a ${String(rule.kind)} rule` });
    if (typeof rule.segment !== 'string' || !SEGMENT_NAME.test(rule.segment)) {
      problems.push({ field: `${at}.segment`, problem: 'must be a name of lowercase letters, digits, _ or -, starting with a letter (at most 40)' });
    }
    if (!KINDS.includes(rule.kind as (typeof KINDS)[number])) problems.push({ field: `${at}.kind`, problem: `must be one of ${KINDS.join(', ')}` });
    if (!Number.isInteger(rule.withinDays) || (rule.withinDays as number) < 1 || (rule.withinDays as number) > MAX_DAYS) {
      problems.push({ field: `${at}.withinDays`, problem: `must be a whole number of days from 1 to ${MAX_DAYS}` });
    }
    if (rule.kind === 'purchases_more_than' && (!Number.isInteger(rule.count) || (rule.count as number) < 0)) {
      problems.push({ field: `${at}.count`, problem: 'must be a whole number, 0 or more' });
    }
    if (rule.kind === 'spent_more_than') {
      const amounts = rule.amounts as Record<string, unknown> | undefined;
      if (!amounts || typeof amounts !== 'object' || Array.isArray(amounts) || !Object.keys(amounts).length) {
        problems.push({ field: `${at}.amounts`, problem: 'must map at least one ISO 4217 currency to a threshold, like {"USD": "5000"}' });
      } else {
        for (const [currency, amount] of Object.entries(amounts)) {
          if (!isCurrency(currency)) problems.push({ field: `${at}.amounts.${currency}`, problem: `"${currency}" is not an ISO 4217 currency code` });
          else if (typeof amount !== 'string' || !isDecimal(amount) || decimal(amount).lt(0)) {
            problems.push({ field: `${at}.amounts.${currency}`, problem: 'must be a decimal string, 0 or more, like "5000" or "4999.99"' });
          }
        }
      }
    }
    rules.push(rule as unknown as SegmentRule);
  });
  if (problems.length) throw new ValidationError('the segment config is not valid', problems);
  return { rules };
}
