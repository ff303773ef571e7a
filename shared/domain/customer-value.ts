import Big from 'big.js';
import { decimal, decimalText, ratio } from './money.js';

/** One purchase (or refund, with a negative amount) of a contact, as value math needs it. */
export interface PurchaseFact {
  orderId: string;
  at: string;
  /** Decimal string; negative for a refund. */
  amount: string;
  currency: string;
}

/** What a contact is worth so far, money per ISO 4217 currency (never added across currencies). */
export interface CustomerValue {
  /** Purchases with a positive amount; refunds are counted apart and only lower the totals. */
  purchases: number;
  refunds: number;
  /** Purchases per currency (refunds left out). */
  purchasesByCurrency: Record<string, number>;
  /** Net of refunds, per currency: the historical CLV. */
  total: Record<string, string>;
  /** Net total per purchase, per currency; null where the currency has refunds but no purchase. */
  averageCheck: Record<string, string | null>;
  firstPurchaseAt?: string;
  lastPurchaseAt?: string;
  /** Mean days between consecutive purchases (2 places); null with fewer than two purchases. */
  averageDaysBetweenPurchases: string | null;
  /** Days from first contact (or first purchase, if earlier) to the last purchase (2 places); null without purchases. */
  lifetimeDays: string | null;
}

const DAY_MS = 86_400_000;

function days(ms: number): string {
  return decimalText(new Big(ms).div(DAY_MS).round(2, Big.roundHalfUp));
}

/**
 * A contact's value figures from its purchases and refunds and when it was first seen: counts, net
 * total and average check per currency, first and last purchase, the mean time between purchases and
 * the customer's lifetime so far. Historical CLV is the net total.
 */
export function customerValueOf(purchases: readonly PurchaseFact[], firstSeenAt?: string): CustomerValue {
  const bought = purchases.filter((p) => decimal(p.amount).gt(0)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const totals = new Map<string, Big>();
  const counts = new Map<string, number>();
  for (const p of purchases) totals.set(p.currency, (totals.get(p.currency) ?? new Big(0)).plus(decimal(p.amount)));
  for (const p of bought) counts.set(p.currency, (counts.get(p.currency) ?? 0) + 1);
  const total: Record<string, string> = {};
  const averageCheck: Record<string, string | null> = {};
  for (const currency of [...totals.keys()].sort()) {
    total[currency] = decimalText(totals.get(currency)!);
    averageCheck[currency] = ratio(totals.get(currency)!, counts.get(currency) ?? 0, 2);
  }
  const first = bought[0]?.at;
  const last = bought.at(-1)?.at;
  const span = first && last ? Date.parse(last) - Date.parse(first) : 0;
  const start = first ? Math.min(Date.parse(first), firstSeenAt ? Date.parse(firstSeenAt) : Infinity) : undefined;
  return {
    purchases: bought.length,
    refunds: purchases.length - bought.length,
    purchasesByCurrency: Object.fromEntries([...counts.keys()].sort().map((c) => [c, counts.get(c)!])),
    total,
    averageCheck,
    ...(first ? { firstPurchaseAt: first, lastPurchaseAt: last } : {}),
    averageDaysBetweenPurchases: bought.length >= 2 ? days(span / (bought.length - 1)) : null,
    lifetimeDays: start !== undefined && last ? days(Date.parse(last) - start) : null,
  };
}
