import { buildSourceReport } from '../domain/source-report.js';
import { readDayFunnel } from '../store/metrics-store.js';
import { saveSourceReport } from '../store/report-store.js';
import type { Table } from '../store/table.js';

/**
 * Rebuilds the per-source report of each day from that day's funnel marks. Building reads grow with the
 * day's volume, never with history; readers of the report then read only the built rows.
 */
export async function buildSourceReports(table: Table, days: string[], now: Date): Promise<{ days: number; rows: number }> {
  let rows = 0;
  for (const day of days) {
    const { counters, latencies, ...outcomes } = await readDayFunnel(table, day);
    const report = buildSourceReport(day, counters, latencies, outcomes);
    await saveSourceReport(table, day, report, now.toISOString());
    rows += report.length;
  }
  return { days: days.length, rows };
}
