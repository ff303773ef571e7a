import type { Channel } from '../../events/common.js';

/** Funnel counts for one source and channel on one day. */
export interface FunnelCounts {
  leads: number;
  qualified: number;
  assigned: number;
  notified: number;
  accepted: number;
  contacted: number;
  won: number;
  lost: number;
}

/** Won revenue per ISO 4217 currency: amounts in different currencies are never added together. */
export type RevenueByCurrency = Record<string, number>;

/** One row of the per-source report. */
export interface SourceReportRow extends FunnelCounts {
  day: string;
  sourceId: string;
  channel: Channel;
  /** Median milliseconds from capture to the rep being notified; null when nobody was notified. */
  medianCaptureToNotifyMs: number | null;
  /** Median milliseconds from capture to the rep accepting; null when no lead was accepted. */
  medianCaptureToAcceptMs: number | null;
  /** Median milliseconds from capture to the rep first reaching the person; null when nobody was reached. */
  medianCaptureToContactMs: number | null;
  revenue: RevenueByCurrency;
}

/** A time from capture to a step, measured for one lead of a source and channel. */
export interface LatencySample {
  sourceId: string;
  channel: Channel;
  latencyMs: number;
}

/** What one won lead of a source and channel brought. */
export interface RevenueSample {
  sourceId: string;
  channel: Channel;
  amount: number;
  currency: string;
}

/** The samples a day's rows are built from besides the counters, each optional. */
export interface OutcomeSamples {
  acceptLatencies?: LatencySample[];
  contactLatencies?: LatencySample[];
  revenue?: RevenueSample[];
}

/** The middle value (mean of the two middle ones for an even count); null for no values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Amounts are added as millionths, so 0.1 + 0.2 is 0.3 and not 0.30000000000000004. */
const MICROS = 1_000_000;

/**
 * Adds won amounts per currency. Sums are kept apart by currency because the report has no exchange
 * rates, and added in fixed point so cents do not pick up binary rounding noise.
 */
export function sumRevenue(amounts: Array<{ amount: number; currency: string }>): RevenueByCurrency {
  const micros = new Map<string, number>();
  for (const { amount, currency } of amounts) micros.set(currency, (micros.get(currency) ?? 0) + Math.round(amount * MICROS));
  const sums: RevenueByCurrency = {};
  for (const currency of [...micros.keys()].sort()) sums[currency] = micros.get(currency)! / MICROS;
  return sums;
}

/** Revenue as one spreadsheet cell, currencies in alphabetical order: `EUR 1200; USD 50` (empty for none). */
export function formatRevenue(revenue: RevenueByCurrency | undefined): string {
  return Object.keys(revenue ?? {})
    .sort()
    .map((currency) => `${currency} ${revenue![currency]}`)
    .join('; ');
}

const keyOf = (x: { sourceId: string; channel: string }) => `${x.sourceId}\u0000${x.channel}`;

function groupBy<T extends { sourceId: string; channel: string }>(items: T[] | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items ?? []) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}

/**
 * Builds a day's report rows from the day's counters and the samples recorded for its leads (capture to
 * notify, accept and contact; won revenue), one row per source and channel, sorted by source then
 * channel. Samples of a source and channel without a counter row are left out.
 */
export function buildSourceReport(
  day: string,
  counters: Array<{ sourceId: string; channel: Channel } & Partial<FunnelCounts>>,
  latencies: LatencySample[],
  outcomes: OutcomeSamples = {},
): SourceReportRow[] {
  const notify = groupBy(latencies);
  const accept = groupBy(outcomes.acceptLatencies);
  const contact = groupBy(outcomes.contactLatencies);
  const revenue = groupBy(outcomes.revenue);
  const medianOf = (groups: Map<string, LatencySample[]>, key: string) => median((groups.get(key) ?? []).map((s) => s.latencyMs));
  return counters
    .map((c) => {
      const key = keyOf(c);
      return {
        day,
        sourceId: c.sourceId,
        channel: c.channel,
        leads: c.leads ?? 0,
        qualified: c.qualified ?? 0,
        assigned: c.assigned ?? 0,
        notified: c.notified ?? 0,
        accepted: c.accepted ?? 0,
        contacted: c.contacted ?? 0,
        won: c.won ?? 0,
        lost: c.lost ?? 0,
        medianCaptureToNotifyMs: medianOf(notify, key),
        medianCaptureToAcceptMs: medianOf(accept, key),
        medianCaptureToContactMs: medianOf(contact, key),
        revenue: sumRevenue(revenue.get(key) ?? []),
      };
    })
    .sort((a, b) => a.sourceId.localeCompare(b.sourceId) || a.channel.localeCompare(b.channel));
}

/**
 * A stored row as the report shows it: rows built before a column existed get that column's empty
 * value (0, null, no revenue) rather than leaving it out, until the day is built again.
 */
export function completeReportRow<T extends Partial<SourceReportRow>>(row: T): T & SourceReportRow {
  return {
    accepted: 0,
    contacted: 0,
    won: 0,
    lost: 0,
    medianCaptureToAcceptMs: null,
    medianCaptureToContactMs: null,
    revenue: {},
    ...row,
  } as T & SourceReportRow;
}
