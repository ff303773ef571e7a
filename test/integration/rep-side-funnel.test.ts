import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadStatusChanged } from '../../events/lead-status-changed.js';
import { statusMarksOf } from '../../shared/domain/status-marks.js';
import { buildSourceReports } from '../../shared/reports/build-source-reports.js';
import { readDayFunnel, recordFunnelSteps, type FunnelStep } from '../../shared/store/metrics-store.js';
import { readSourceReport } from '../../shared/store/report-store.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());

const DAY = '2026-11-21';
const ref = (leadId: string, sourceId = 'src-rep') => ({ leadId, sourceId, channel: 'web_form' as const, capturedAt: `${DAY}T09:00:00.000Z`, isTest: false });

/** The marks the metrics function writes for a status change, as it writes them. */
function stepsOf(change: Omit<LeadStatusChanged, 'version' | 'repId' | 'changedAt'>): FunnelStep[] {
  const event: LeadStatusChanged = { version: 1, repId: 'dana', changedAt: `${DAY}T10:00:00.000Z`, ...change };
  return statusMarksOf(event).map((mark) => ({ lead: event.lead, ...mark }));
}

describe('rep-side funnel marks in DynamoDB Local', () => {
  it('counts acceptance, contact, wins and losses once per lead, with their medians and revenue per currency', async () => {
    const a = ref('rep-a');
    const b = ref('rep-b');
    const c = ref('rep-c');
    const events = [
      stepsOf({ lead: a, from: 'assigned', to: 'accepted', captureToAcceptMs: 60_000 }),
      stepsOf({ lead: a, from: 'accepted', to: 'contacted', captureToContactMs: 300_000 }),
      stepsOf({ lead: a, from: 'contacted', to: 'won', revenue: { amount: 1000.1, currency: 'EUR' } }),
      // A first change straight to contacted is acceptance and contact in one event.
      stepsOf({ lead: b, from: 'assigned', to: 'contacted', captureToAcceptMs: 120_000, captureToContactMs: 120_000 }),
      stepsOf({ lead: b, from: 'contacted', to: 'won', revenue: { amount: 50, currency: 'USD' } }),
      stepsOf({ lead: c, from: 'assigned', to: 'accepted', captureToAcceptMs: 600_000 }),
      stepsOf({ lead: c, from: 'accepted', to: 'lost', reason: 'no budget' }),
    ];
    await recordFunnelSteps(table, [{ lead: a, stage: 'leads' }, { lead: b, stage: 'leads' }, { lead: c, stage: 'leads' }]);
    await recordFunnelSteps(table, events.flat());
    // Every event delivered again, in one batch and concurrently: nothing changes.
    await Promise.all([recordFunnelSteps(table, events.flat()), recordFunnelSteps(table, [...events].reverse().flat())]);

    const day = await readDayFunnel(table, DAY);
    expect(day.counters).toEqual([
      { sourceId: 'src-rep', channel: 'web_form', leads: 3, qualified: 0, assigned: 0, notified: 0, accepted: 3, contacted: 2, won: 2, lost: 1 },
    ]);
    expect(day.acceptLatencies.map((s) => s.latencyMs).sort((x, y) => x - y)).toEqual([60_000, 120_000, 600_000]);
    expect(day.contactLatencies.map((s) => s.latencyMs).sort((x, y) => x - y)).toEqual([120_000, 300_000]);
    expect(day.revenue.map((r) => `${r.currency} ${r.amount}`).sort()).toEqual(['EUR 1000.1', 'USD 50']);

    await buildSourceReports(table, [DAY], new Date(`${DAY}T12:00:00.000Z`));
    const [row] = await readSourceReport(table, [DAY]);
    expect(row).toMatchObject({
      day: DAY,
      sourceId: 'src-rep',
      leads: 3,
      accepted: 3,
      contacted: 2,
      won: 2,
      lost: 1,
      medianCaptureToNotifyMs: null,
      medianCaptureToAcceptMs: 120_000,
      medianCaptureToContactMs: 210_000,
      revenue: { EUR: 1000.1, USD: 50 },
    });
  });

  it('stores an empty revenue and null medians for a source whose leads nobody has touched yet', async () => {
    await recordFunnelSteps(table, [{ lead: ref('untouched', 'src-idle'), stage: 'leads' }]);
    await buildSourceReports(table, [DAY], new Date(`${DAY}T12:00:00.000Z`));
    const idle = (await readSourceReport(table, [DAY])).find((r) => r.sourceId === 'src-idle');
    expect(idle).toMatchObject({ accepted: 0, contacted: 0, won: 0, lost: 0, medianCaptureToAcceptMs: null, medianCaptureToContactMs: null, revenue: {} });
  });
});
