import { ClientError, ValidationError, type FieldProblem } from './errors.js';

/** What a rep can say about a lead they own, in the order a sale progresses. */
export type RepStatus = 'contacted' | 'qualified' | 'won' | 'lost';

/** The money a won lead brought: an amount in an ISO 4217 currency. */
export interface Revenue {
  amount: number;
  currency: string;
}

/** A status change a rep asked for, validated. */
export interface StatusChange {
  to: RepStatus;
  revenue?: Revenue;
  reason?: string;
  note?: string;
}

const REP_STATUSES: readonly RepStatus[] = ['contacted', 'qualified', 'won', 'lost'];
const FIELDS = new Set(['status', 'amount', 'currency', 'reason', 'note']);
const MAX_TEXT = 500;

let currencies: Set<string> | undefined;

/** Whether a code is an ISO 4217 currency the runtime knows (Intl's list: active codes, not `XXX`). */
export function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

/**
 * Reads a status change from a request body, naming every problem: an unknown field, a status that is
 * not one of the four, a won lead without a positive amount and a known currency, a lost lead without
 * a reason, or extras that do not belong to the status (an amount on a lost lead).
 */
export function parseStatusChange(body: unknown): StatusChange {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('the body must be a JSON object');
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(input)) {
    if (!FIELDS.has(field)) problems.push({ field, problem: `unknown field; allowed are ${[...FIELDS].join(', ')}` });
  }
  const status = input.status;
  if (typeof status !== 'string' || !REP_STATUSES.includes(status as RepStatus)) {
    problems.push({ field: 'status', problem: `must be one of ${REP_STATUSES.join(', ')}` });
  }
  const text = (field: string): string | undefined => {
    const value = input[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !value.trim()) problems.push({ field, problem: 'must be a non-empty string' });
    else if (value.length > MAX_TEXT) problems.push({ field, problem: `must be at most ${MAX_TEXT} characters` });
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const reason = text('reason');
  const note = text('note');
  const change: StatusChange = { to: status as RepStatus, ...(note ? { note } : {}) };
  if (status === 'won') {
    const { amount, currency } = input;
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
      problems.push({ field: 'amount', problem: 'a won lead needs the amount it brought, a number greater than 0' });
    }
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
      problems.push({ field: 'currency', problem: 'a won lead needs an ISO 4217 currency code in capitals, like EUR or USD' });
    } else if (!isCurrency(currency)) {
      problems.push({ field: 'currency', problem: `"${currency}" is not an ISO 4217 currency code` });
    }
    change.revenue = { amount: amount as number, currency: currency as string };
  } else {
    for (const field of ['amount', 'currency'] as const) {
      if (input[field] !== undefined) problems.push({ field, problem: 'only a won lead has an amount and a currency' });
    }
  }
  if (status === 'lost') {
    if (reason === undefined) problems.push({ field: 'reason', problem: 'a lost lead needs the reason it was lost' });
    change.reason = reason;
  } else if (input.reason !== undefined && status !== undefined && REP_STATUSES.includes(status as RepStatus)) {
    problems.push({ field: 'reason', problem: 'only a lost lead has a reason; use note for anything else' });
  }
  if (problems.length) throw new ValidationError('the status change is not valid', problems);
  return change;
}

/** How far along a lead is; a rep's change may only move it forward. */
const RANK: Record<string, number> = { assigned: 0, accepted: 1, contacted: 2, qualified: 3, won: 4, lost: 4 };

/** 409: the change does not fit the lead's current state. */
export class ConflictError extends ClientError {
  override readonly name = 'ConflictError';
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/** 403: the lead is not the rep's. */
export class NotYoursError extends ClientError {
  override readonly name = 'NotYoursError';
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/**
 * Decides whether a lead in status `from` may move to `to`: only forward (contacted → qualified → won
 * or lost), never out of won or lost. Returns false when the lead is already there (a repeated request
 * changes nothing); throws 409 for a step back or out of a closed lead.
 */
export function checkTransition(from: string, to: RepStatus): boolean {
  if (from === to) return false;
  if (from === 'won' || from === 'lost') throw new ConflictError(`the lead is already ${from}; a closed lead cannot become ${to}`);
  const current = RANK[from];
  if (current === undefined) throw new ConflictError(`a lead that is ${from} has no rep status to change`);
  if (RANK[to]! <= current) throw new ConflictError(`the lead is already ${from}; it cannot go back to ${to}`);
  return true;
}
