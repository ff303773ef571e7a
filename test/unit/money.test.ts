import { describe, expect, it } from 'vitest';
import { decimal, decimalText, isDecimal, money, ratio, sumByCurrency } from '../../shared/domain/money.js';

describe('money', () => {
  it('adds amounts exactly, where binary floats would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumByCurrency([{ amount: '0.1', currency: 'USD' }, { amount: 0.2, currency: 'USD' }])).toEqual({ USD: '0.3' });
  });

  it('keeps each currency apart and lists them alphabetically', () => {
    const sums = sumByCurrency([
      { amount: '10', currency: 'USD' },
      { amount: '1200.50', currency: 'RUB' },
      { amount: '-2.5', currency: 'USD' },
      { amount: '3', currency: 'EUR' },
    ]);
    expect(Object.keys(sums)).toEqual(['EUR', 'RUB', 'USD']);
    expect(sums).toEqual({ EUR: '3', RUB: '1200.5', USD: '7.5' });
  });

  it('refuses amounts that are not plain decimals and codes that are not ISO 4217', () => {
    expect(isDecimal('1,200.00')).toBe(false);
    expect(isDecimal('1e3')).toBe(false);
    expect(() => decimal('12,5')).toThrow(/not a decimal/);
    expect(() => decimal(Number.NaN)).toThrow(/not an amount/);
    expect(() => money('1', 'XYZ')).toThrow(/ISO 4217/);
    expect(money('12.50', 'EUR')).toEqual({ amount: '12.5', currency: 'EUR' });
  });

  it('writes stored amounts without exponent or negative zero', () => {
    expect(decimalText(decimal('0.0000001'))).toBe('0.0000001');
    expect(decimalText(decimal('-0'))).toBe('0');
    expect(decimalText(decimal(1e21))).toBe('1000000000000000000000');
  });

  it('gives a ratio of totals, and null rather than zero or infinity for a zero divisor', () => {
    expect(ratio('100', '3')).toBe('33.3333');
    expect(ratio('2', '3', 2)).toBe('0.67');
    expect(ratio('100', 0)).toBeNull();
  });
});
