import Big from 'big.js';
import { isCurrency } from './lead-status.js';

/**
 * An amount of money: a decimal string (never a binary float, which cannot hold 0.1 exactly) in an
 * ISO 4217 currency. Amounts in different currencies are never added together; converting needs a rate
 * and says which day's rate it used.
 */
export interface Money {
  amount: string;
  currency: string;
}

/** A plain decimal as people and exports write it once separators are gone: `-12`, `0.5`, `1200.00`. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Whether a text is a plain decimal (`DECIMAL`), the only form amounts are stored in. */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** A decimal string or a finite number as an exact decimal; a number is read from its shortest string form. */
export function decimal(value: string | number): Big {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} is not an amount`);
    return new Big(value);
  }
  if (!isDecimal(value)) throw new RangeError(`"${value}" is not a decimal amount`);
  return new Big(value);
}

/** An exact decimal as stored: no exponent, no trailing zeros after the point (`12.5`, `0`, `-3`). */
export function decimalText(value: Big): string {
  const text = value.toFixed();
  return text === '-0' ? '0' : text;
}

/** Money from an amount and a currency, refusing what is not a decimal or not an ISO 4217 code. */
export function money(amount: string | number | Big, currency: string): Money {
  if (!isCurrency(currency)) throw new RangeError(`"${currency}" is not an ISO 4217 currency`);
  return { amount: decimalText(amount instanceof Big ? amount : decimal(amount)), currency };
}

/** Sums per currency, currencies in alphabetical order: `{ EUR: '12.5', USD: '3' }`. */
export function sumByCurrency(items: Iterable<{ amount: string | number; currency: string }>): Record<string, string> {
  const sums = new Map<string, Big>();
  for (const { amount, currency } of items) sums.set(currency, (sums.get(currency) ?? new Big(0)).plus(decimal(amount)));
  const out: Record<string, string> = {};
  for (const currency of [...sums.keys()].sort()) out[currency] = decimalText(sums.get(currency)!);
  return out;
}

/**
 * A ratio of two totals rounded to `places` decimals (half up), or null when the divisor is zero:
 * a CPL with no leads is unknown, not zero and not infinite.
 */
export function ratio(numerator: Big | string | number, divisor: Big | string | number, places = 4): string | null {
  const d = divisor instanceof Big ? divisor : decimal(divisor);
  if (d.eq(0)) return null;
  const n = numerator instanceof Big ? numerator : decimal(numerator);
  return decimalText(n.div(d).round(places, Big.roundHalfUp));
}
