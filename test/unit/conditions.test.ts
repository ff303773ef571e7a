import { describe, expect, it } from 'vitest';
import { allHold, describeCondition, explainConditions, holds, type Condition } from '../../shared/domain/conditions.js';
import { isDisposableEmail } from '../../shared/domain/disposable-email-domains.js';

describe('between', () => {
  it('holds for a number within both bounds, bounds included', () => {
    const c: Condition = { fact: 'score', op: 'between', min: 30, max: 59 };
    expect(holds(c, { score: '30' })).toBe(true);
    expect(holds(c, { score: '59' })).toBe(true);
    expect(holds(c, { score: '45.5' })).toBe(true);
    expect(holds(c, { score: '29' })).toBe(false);
    expect(holds(c, { score: '60' })).toBe(false);
  });

  it('leaves a side open when its bound is left out', () => {
    expect(holds({ fact: 'score', op: 'between', min: 60 }, { score: '1000' })).toBe(true);
    expect(holds({ fact: 'score', op: 'between', min: 60 }, { score: '59' })).toBe(false);
    expect(holds({ fact: 'score', op: 'between', max: 0 }, { score: '-20' })).toBe(true);
    expect(holds({ fact: 'score', op: 'between', max: 0 }, { score: '1' })).toBe(false);
  });

  it('does not hold for text, an empty value or a missing fact', () => {
    const c: Condition = { fact: 'answers.budget', op: 'between', min: 0 };
    expect(holds(c, { 'answers.budget': '10k' })).toBe(false);
    expect(holds(c, { 'answers.budget': '' })).toBe(false);
    expect(holds(c, { 'answers.budget': '  ' })).toBe(false);
    expect(holds(c, {})).toBe(false);
  });
});

describe('emailType', () => {
  it('reads the email fact unless another is named', () => {
    expect(holds({ op: 'emailType', value: 'business' }, { email: 'ann@acme.com' })).toBe(true);
    expect(holds({ op: 'emailType', value: 'free' }, { email: 'ann@gmail.com' })).toBe(true);
    expect(holds({ op: 'emailType', value: 'business' }, { email: 'ann@gmail.com' })).toBe(false);
  });

  it('classifies another fact holding an address, whatever its case', () => {
    const c: Condition = { fact: 'answers.work_email', op: 'emailType', value: 'free' };
    expect(holds(c, { 'answers.work_email': 'Ann@GMAIL.com' })).toBe(true);
    expect(holds(c, { 'answers.work_email': 'ann@acme.com' })).toBe(false);
  });

  it('holds for neither type when the fact is missing or not an address', () => {
    expect(holds({ op: 'emailType', value: 'business' }, {})).toBe(false);
    expect(holds({ op: 'emailType', value: 'free' }, {})).toBe(false);
    expect(holds({ op: 'emailType', value: 'business' }, { email: 'not an address' })).toBe(false);
  });
});

describe('allHold', () => {
  it('holds for an empty list, as an unconditional rule does', () => {
    expect(allHold([], {})).toBe(true);
  });

  it('mixes the new operators with the old ones', () => {
    const when: Condition[] = [
      { fact: 'country', op: 'in', values: ['DE', 'AT', 'CH'] },
      { fact: 'score', op: 'between', min: 50 },
      { op: 'emailType', value: 'business' },
    ];
    expect(allHold(when, { country: 'AT', score: '70', email: 'a@firma.de' })).toBe(true);
    expect(allHold(when, { country: 'FR', score: '70', email: 'a@firma.de' })).toBe(false);
    expect(allHold(when, { country: 'AT', score: '40', email: 'a@firma.de' })).toBe(false);
    expect(allHold(when, { country: 'AT', score: '70', email: 'a@web.de' })).toBe(false);
  });
});

describe('explaining conditions', () => {
  it('says what each condition saw, quoting the value', () => {
    expect(describeCondition({ fact: 'message', op: 'matches', pattern: 'quote' }, { message: 'a quote please' })).toBe(
      'message matches /quote/ ("a quote please")',
    );
    expect(describeCondition({ fact: 'score', op: 'between', min: 10 }, { score: '12' })).toBe('score "12" is between 10 and ∞');
    expect(describeCondition({ op: 'emailType', value: 'free' }, { email: 'a@gmail.com' })).toBe(
      'email "a@gmail.com" is a free mailbox address',
    );
  });

  it('cuts a long value short so a reason stays readable', () => {
    const [line] = explainConditions([{ fact: 'message', op: 'present' }], { message: 'x'.repeat(500) });
    expect(line!.length).toBeLessThan(100);
    expect(line).toContain('...');
  });
});

describe('isDisposableEmail', () => {
  it('knows well-known throwaway domains and their subdomains', () => {
    expect(isDisposableEmail('a@mailinator.com')).toBe(true);
    expect(isDisposableEmail('a@YOPMAIL.com')).toBe(true);
    expect(isDisposableEmail('a@team.mailinator.com')).toBe(true);
  });

  it('does not call a company or free mailbox disposable', () => {
    expect(isDisposableEmail('a@acme.com')).toBe(false);
    expect(isDisposableEmail('a@gmail.com')).toBe(false);
    expect(isDisposableEmail('a@notmailinator.com')).toBe(false);
  });
});
