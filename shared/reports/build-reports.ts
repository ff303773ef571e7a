import { buildChannelDay } from '../domain/channel-report.js';
import { buildRepDay } from '../domain/rep-report.js';
import { buildSourceReport } from '../domain/source-report.js';
import type { SpendRecord } from '../domain/spend.js';
import { saveChannelDay, saveRepDay } from '../store/channel-report-store.js';
import { dayLeadsOf, funnelOfMarks, readDayMarks, repInputsOf } from '../store/metrics-store.js';
import { saveSourceReport } from '../store/report-store.js';
import { readSpend } from '../store/spend-store.js';
import type { Table } from '../store/table.js';

export interface BuildResult {
  days: number;
  sourceRows: number;
  channelRows: number;
  repRows: number;
}

/**
 * Rebuilds the source, channel and rep reports of each day from that day's funnel marks (one query per
 * day, shared by the three) and the days' spend (one query per month). The work grows with the days'
 * leads and spend rows, never with history; reading a report then reads only the built rows.
 */
export async function buildReports(table: Table, days: string[], now: Date): Promise<BuildResult> {
  const result: BuildResult = { days: days.length, sourceRows: 0, channelRows: 0, repRows: 0 };
  if (!days.length) return result;
  const sorted = [...days].sort();
  const spendByDay = new Map<string, SpendRecord[]>();
  for (const s of await readSpend(table, sorted[0]!, sorted.at(-1)!)) (spendByDay.get(s.day) ?? spendByDay.set(s.day, []).get(s.day)!).push(s);
  const builtAt = now.toISOString();
  for (const day of sorted) {
    const marks = await readDayMarks(table, day);
    const { counters, latencies, ...outcomes } = funnelOfMarks(marks);
    const sources = buildSourceReport(day, counters, latencies, outcomes);
    const channels = buildChannelDay(day, dayLeadsOf(marks), spendByDay.get(day) ?? []);
    const { marks: repMarks, calls } = repInputsOf(marks);
    const reps = buildRepDay(day, repMarks, calls);
    await Promise.all([saveSourceReport(table, day, sources, builtAt), saveChannelDay(table, day, channels, builtAt), saveRepDay(table, day, reps, builtAt)]);
    result.sourceRows += sources.length;
    result.channelRows += channels.length;
    result.repRows += reps.length;
  }
  return result;
}
