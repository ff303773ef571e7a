import Big from 'big.js';
import type { CustomerValue } from './customer-value.js';
import { decimal, decimalText, ratio } from './money.js';

/** What the segment report reads of each customer. */
export type CustomerFigures = Pick<CustomerValue, 'purchases' | 'refunds' | 'purchasesByCurrency' | 'total' | 'averageDaysBetweenPurchases' | 'lifetimeDays'> & {
  segment?: string;
  acquisitionChannel: string;
};

/** The figures of one group of customers (a segment, or those acquired through one channel). */
export interface SegmentGroup {
  name: string;
  customers: number;
  purchases: number;
  refunds: number;
  /** Net revenue per currency. */
  revenue: Record<string, string>;
  /** Mean historical CLV per currency, over the group's customers who spent in that currency. */
  averageClv: Record<string, string | null>;
  averageCheck: Record<string, string | null>;
  averageDaysBetweenPurchases: string | null;
  averageLifetimeDays: string | null;
}

/** Customers without a segment are grouped under this name. */
export const NO_SEGMENT = 'none';

function group(name: string, members: readonly CustomerFigures[]): SegmentGroup {
  const revenue = new Map<string, Big>();
  const spenders = new Map<string, number>();
  const purchases = new Map<string, number>();
  for (const m of members) {
    for (const [c, amount] of Object.entries(m.total)) {
      revenue.set(c, (revenue.get(c) ?? new Big(0)).plus(decimal(amount)));
      spenders.set(c, (spenders.get(c) ?? 0) + 1);
    }
    for (const [c, n] of Object.entries(m.purchasesByCurrency ?? {})) purchases.set(c, (purchases.get(c) ?? 0) + n);
  }
  const currencies = [...revenue.keys()].sort();
  const mean = (values: Array<string | null>) => {
    const known = values.filter((v): v is string => v !== null);
    return known.length ? ratio(known.reduce((s, v) => s.plus(v), new Big(0)), known.length, 2) : null;
  };
  return {
    name,
    customers: members.length,
    purchases: members.reduce((s, m) => s + m.purchases, 0),
    refunds: members.reduce((s, m) => s + m.refunds, 0),
    revenue: Object.fromEntries(currencies.map((c) => [c, decimalText(revenue.get(c)!)])),
    averageClv: Object.fromEntries(currencies.map((c) => [c, ratio(revenue.get(c)!, spenders.get(c)!, 2)])),
    averageCheck: Object.fromEntries(currencies.map((c) => [c, ratio(revenue.get(c)!, purchases.get(c) ?? 0, 2)])),
    averageDaysBetweenPurchases: mean(members.map((m) => m.averageDaysBetweenPurchases)),
    averageLifetimeDays: mean(members.map((m) => m.lifetimeDays)),
  };
}

function groupBy(customers: readonly CustomerFigures[], key: (c: CustomerFigures) => string): SegmentGroup[] {
  const groups = new Map<string, CustomerFigures[]>();
  for (const c of customers) groups.set(key(c), [...(groups.get(key(c)) ?? []), c]);
  return [...groups.keys()].sort().map((name) => group(name, groups.get(name)!));
}

/** The customers' figures per segment and per acquisition (first-touch) channel: CLV by acquisition channel. */
export function segmentReportOf(customers: readonly CustomerFigures[]): { segments: SegmentGroup[]; acquisitionChannels: SegmentGroup[] } {
  return {
    segments: groupBy(customers, (c) => c.segment ?? NO_SEGMENT),
    acquisitionChannels: groupBy(customers, (c) => c.acquisitionChannel),
  };
}
