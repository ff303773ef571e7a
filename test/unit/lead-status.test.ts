import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { checkTransition, ConflictError, parseStatusChange } from '../../shared/domain/lead-status.js';

function problemsOf(body: unknown): Array<{ field: string; problem: string }> {
  try {
    parseStatusChange(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  }
  throw new Error('expected a 400');
}

describe('a rep status change', () => {
  it('reads won with its amount and ISO 4217 currency', () => {
    expect(parseStatusChange({ status: 'won', amount: 1200.5, currency: 'EUR' })).toEqual({ to: 'won', revenue: { amount: 1200.5, currency: 'EUR' } });
  });

  it('reads lost with its reason, trimmed', () => {
    expect(parseStatusChange({ status: 'lost', reason: '  chose a competitor ' })).toEqual({ to: 'lost', reason: 'chose a competitor' });
  });

  it('names the amount and currency when won comes without them', () => {
    expect(problemsOf({ status: 'won' }).map((p) => p.field)).toEqual(['amount', 'currency']);
  });

  it('refuses a zero or negative amount, lowercase codes and codes that are not currencies', () => {
    expect(problemsOf({ status: 'won', amount: 0, currency: 'EUR' })).toEqual([{ field: 'amount', problem: expect.stringContaining('greater than 0') }]);
    expect(problemsOf({ status: 'won', amount: 5, currency: 'eur' })[0]!.problem).toContain('in capitals');
    expect(problemsOf({ status: 'won', amount: 5, currency: 'ABC' })[0]!.problem).toBe('"ABC" is not an ISO 4217 currency code');
  });

  it('needs a reason for lost, and refuses an amount on it', () => {
    expect(problemsOf({ status: 'lost', amount: 3 }).map((p) => p.field).sort()).toEqual(['amount', 'reason']);
  });

  it('names an unknown status and unknown fields', () => {
    const problems = problemsOf({ status: 'closed', color: 'red' });
    expect(problems.map((p) => p.field).sort()).toEqual(['color', 'status']);
    expect(problems.find((p) => p.field === 'status')!.problem).toBe('must be one of contacted, qualified, won, lost');
  });

  it('moves forward only, and never out of won or lost', () => {
    expect(checkTransition('assigned', 'contacted')).toBe(true);
    expect(checkTransition('accepted', 'won')).toBe(true);
    expect(checkTransition('contacted', 'lost')).toBe(true);
    expect(checkTransition('qualified', 'qualified')).toBe(false);
    expect(() => checkTransition('qualified', 'contacted')).toThrow(ConflictError);
    expect(() => checkTransition('won', 'lost')).toThrow('already won');
  });
});
