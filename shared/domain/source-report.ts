import type { Channel } from '../../events/common.js';

/** Funnel counts for one source and channel on one day. */
export interface FunnelCounts {
  leads: number;
  qualified: number;
  assigned: number;
  notified: number;
}

/** One row of the per-source report. */
export interface SourceReportRow extends FunnelCounts {
  day: string;
  sourceId: string;
  channel: Channel;
  /** Median milliseconds from capture to the rep being notified; null when nobody was notified. */
  medianCaptureToNotifyMs: number | null;
}

/** The middle value (mean of the two middle ones for an even count); null for no values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * Builds a day's report rows from the day's counters and the capture-to-notify latencies recorded for
 * its leads, one row per source and channel, sorted by source then channel.
 */
export function buildSourceReport(
  day: string,
  counters: Array<{ sourceId: string; channel: Channel } & Partial<FunnelCounts>>,
  latencies: Array<{ sourceId: string; channel: Channel; latencyMs: number }>,
): SourceReportRow[] {
  const keyOf = (x: { sourceId: string; channel: string }) => `${x.sourceId}\u0000${x.channel}`;
  const samples = new Map<string, number[]>();
  for (const l of latencies) samples.set(keyOf(l), [...(samples.get(keyOf(l)) ?? []), l.latencyMs]);
  return counters
    .map((c) => ({
      day,
      sourceId: c.sourceId,
      channel: c.channel,
      leads: c.leads ?? 0,
      qualified: c.qualified ?? 0,
      assigned: c.assigned ?? 0,
      notified: c.notified ?? 0,
      medianCaptureToNotifyMs: median(samples.get(keyOf(c)) ?? []),
    }))
    .sort((a, b) => a.sourceId.localeCompare(b.sourceId) || a.channel.localeCompare(b.channel));
}
