import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../shared/domain/call-event.js';
import { parseEcbCsv } from '../../shared/domain/exchange-rates.js';
import type { SpendRecord } from '../../shared/domain/spend.js';
import { buildReports } from '../../shared/reports/build-reports.js';
import { readChannelReport, readRepReport } from '../../shared/reports/read-reports.js';
import { readChannelDays } from '../../shared/store/channel-report-store.js';
import { recordFunnelSteps, type FunnelStep } from '../../shared/store/metrics-store.js';
import { putRates, putReportSettings } from '../../shared/store/rates-store.js';
import { readSpend } from '../../shared/store/spend-store.js';
import { keys } from '../../shared/store/keys.js';
import { marksOfEvent } from '../../shared/reports/funnel-steps.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());

const D1 = '2026-10-30';
const D2 = '2026-11-02';
const ref = (leadId: string, day: string) => ({ leadId, sourceId: 'site', channel: 'web_form' as const, capturedAt: `${day}T09:00:00.000Z`, isTest: false });
const google = { platform: 'google_ads', campaignId: '111', channel: 'google_ads' };

/** A spend item exactly as the spend import stores it (the shared contract). */
function spendItem(s: SpendRecord) {
  const part = (v?: string) => encodeURIComponent(v ?? '-');
  return {
    PK: `SPEND#${s.day.slice(0, 7)}`,
    SK: [s.day, part(s.platform), part(s.accountId), part(s.campaignId), part(s.adGroupId), part(s.adId)].join('#'),
    entity: 'spend', ...s, updatedAt: '2026-11-05T00:00:00.000Z', corrections: [],
  };
}

function leadSteps(leadId: string, day: string, to: 'leads' | 'contacted' | 'won', over: Partial<FunnelStep> = {}): FunnelStep[] {
  const lead = ref(leadId, day);
  const steps: FunnelStep[] = [{ lead, stage: 'leads', campaign: google, ...over }, { lead, stage: 'qualified' }, { lead, stage: 'rep_assigned', part: 'ana', repId: 'ana' }];
  if (to !== 'leads') steps.push({ lead, stage: 'accepted', repId: 'ana', latencyMs: 60_000 }, { lead, stage: 'contacted', repId: 'ana', latencyMs: 120_000 });
  if (to === 'won') steps.push({ lead, stage: 'won', repId: 'ana', revenue: { amount: 500, currency: 'EUR' } });
  return steps;
}

const call = (callId: string, eventId: string, state: CallEvent['state'], at: string, durationSeconds?: number): CallEvent => ({
  provider: 'twilio', callId, eventId, direction: 'outbound', state, occurredAt: at, attribution: {}, isTest: false, ...(durationSeconds ? { durationSeconds } : {}),
});

describe('channel and rep reports in DynamoDB Local', () => {
  it('reads spend items of the shared contract shape by day range across months', async () => {
    await Promise.all(
      [
        spendItem({ day: D1, platform: 'google_ads', accountId: '1-2', campaignId: '111', campaignName: 'Winter', amount: '100', currency: 'USD', clicks: 40, impressions: 900 }),
        spendItem({ day: D2, platform: 'google_ads', accountId: '1-2', campaignId: '111', campaignName: 'Winter', amount: '150', currency: 'USD', clicks: 60, impressions: 1100 }),
        spendItem({ day: D2, platform: 'meta', campaignName: 'Retarget  Q4', amount: '30.5', currency: 'EUR' }),
      ].map((Item) => table.client.send(new PutCommand({ TableName: table.name, Item }))),
    );
    const spend = await readSpend(table, D1, D2);
    expect(spend.map((s) => `${s.day} ${s.platform} ${s.campaignId ?? s.campaignName} ${s.amount} ${s.currency}`).sort()).toEqual([
      `${D1} google_ads 111 100 USD`, `${D2} google_ads 111 150 USD`, `${D2} meta Retarget  Q4 30.5 EUR`,
    ]);
    expect(await readSpend(table, D2, D2)).toHaveLength(2);
  });

  it('builds the days from marks and spend, then reads CPL, CAC, ROAS and ROMI in the report currency with the rate\'s day', async () => {
    await recordFunnelSteps(
      table,
      [
        ...leadSteps('l1', D1, 'won'),
        ...leadSteps('l2', D1, 'contacted'),
        ...leadSteps('l3', D2, 'won'),
        ...leadSteps('l4', D2, 'leads'),
        ...leadSteps('l5', D2, 'leads', { campaign: { platform: 'meta', campaignName: 'retarget q4', channel: 'meta' } }),
        { lead: ref('l4', D2), stage: 'sla_missed', part: '1', repId: 'ana' },
      ],
      [
        { event: call('c1', 'c1:1', 'answered', `${D2}T10:00:00.000Z`), repId: 'ana' },
        { event: call('c1', 'c1:2', 'completed', `${D2}T10:03:00.000Z`, 180), repId: 'ana' },
        { event: call('c2', 'c2:1', 'ringing', `${D2}T11:00:00.000Z`) },
      ],
    );
    // ECB: 1 EUR = 1.25 USD on the Friday; the Monday uses it (latest on or before the day).
    await putRates(table, parseEcbCsv(`Date,USD,\n${D1},1.2500,\n`).points, 'ecb', new Date());
    await putReportSettings(table, { currency: 'EUR', updatedAt: '2026-11-05T00:00:00.000Z', updatedBy: 'test' });
    const built = await buildReports(table, [D1, D2], new Date('2026-11-05T00:00:00.000Z'));
    expect(built).toMatchObject({ days: 2, sourceRows: 2, channelRows: 3, repRows: 2 });

    const report = await readChannelReport(table, { days: [D1, '2026-10-31', '2026-11-01', D2], groupBy: 'channel' });
    expect(report.currency).toBe('EUR');
    const byChannel = Object.fromEntries(report.rows.map((r) => [r.channel, r]));
    // google_ads: 250 USD = 200 EUR; 4 leads, 2 won for 1000 EUR.
    expect(byChannel.google_ads).toMatchObject({
      spend: '200', spendByCurrency: { USD: '250' }, leads: 4, won: 2, revenue: '1000', cpl: '50', cac: '100', roas: '5', romi: '4',
      clicks: 100, impressions: 2000, rates: [{ currency: 'USD', firstRateDay: D1, lastRateDay: D1 }], missingRates: [],
    });
    // The meta lead named its campaign only by name; the spend row had only a name too: they meet normalized.
    expect(byChannel.meta).toMatchObject({ spend: '30.5', leads: 1, cpl: '30.5', roas: '0', romi: '-1', uncontactedSpend: '30.5' });
    expect(report.totals).toMatchObject({ spend: '230.5', leads: 5, won: 2, revenue: '1000' });
    // Bands are stored as a flat list and read back by name: three leads reached within 2 minutes, two of them won.
    expect(byChannel.google_ads!.responseBands.filter((b: { leads: number }) => b.leads)).toEqual([
      { band: 'under_5m', leads: 3, won: 2, winRate: '0.6667' },
      { band: 'never', leads: 1, won: 0, winRate: '0' },
    ]);
    // Which leads dropped where is counted always, and listed when asked (its own items, read apart).
    expect(byChannel.google_ads!.dropOff).toMatchObject({ contacted: { count: 1, leadIds: [] }, won: { count: 1, leadIds: [] } });
    const withLeads = await readChannelReport(table, { days: [D1, D2], groupBy: 'channel', droppedLeads: 'true' });
    expect(withLeads.rows.find((r) => r.channel === 'google_ads')!.dropOff).toMatchObject({ contacted: { count: 1, leadIds: ['l4'] }, won: { count: 1, leadIds: ['l2'] } });
    expect(report.unmatched).toMatchObject({ spendWithoutLeads: '0', leadsWithoutSpend: 0 });

    const inUsd = await readChannelReport(table, { days: [D1, D2], groupBy: 'campaign', currency: 'USD' });
    const winter = inUsd.rows.find((r) => r.campaignId === '111')!;
    expect(winter).toMatchObject({ spend: '250', revenue: '1250', campaignName: 'Winter', matched: 'matched' });
    // 30.50 EUR in USD at 1.25 on the Friday's rate.
    expect(inUsd.rows.find((r) => r.platform === 'meta')).toMatchObject({ spend: '38.13', spendByCurrency: { EUR: '30.5' } });
    const inGbp = await readChannelReport(table, { days: [D1, D2], currency: 'GBP' });
    expect(inGbp.totals).toMatchObject({ spend: null, cpl: null });
    expect(inGbp.totals.missingRates.map((m) => m.currency)).toEqual(['EUR', 'USD']);

    const reps = await readRepReport(table, { days: [D1, D2], period: 'day' });
    expect(reps.rows.map((r) => [r.period, r.repId, r.assigned, r.accepted, r.slaMisses, r.contacted, r.won, r.revenue, r.callsPlaced, r.talkSeconds])).toEqual([
      [D1, 'ana', 2, 2, 0, 2, 1, '500', 0, 0],
      // c2 names no rep (no agent, no known phone): it is not counted for anyone.
      [D2, 'ana', 3, 1, 1, 1, 1, '500', 1, 180],
    ]);
    expect(reps.rows[0]).toMatchObject({ medianCaptureToAcceptMs: 60_000, medianCaptureToContactMs: 120_000 });
  });

  it('marks a captured lead with its campaign, and a call event with the rep whose telephony id is on our side', async () => {
    const captured = {
      version: 1, leadId: 'cap-1', sourceId: 'site', channel: 'web_form', provider: 'html_form', externalIds: {}, person: { name: 'A' }, answers: {},
      attribution: { utm_source: 'google', utm_id: '555', utm_campaign: 'Winter Sale' }, capturedAt: `${D2}T08:00:00.000Z`, isTest: false,
      rawRef: { pk: 'LEAD#cap-1', sk: 'RAW' },
    };
    const { steps } = await marksOfEvent(table, 'Lead Captured', captured);
    expect(steps).toEqual([{ lead: expect.objectContaining({ leadId: 'cap-1', sourceId: 'site' }), stage: 'leads', campaign: { platform: 'google_ads', campaignId: '555', campaignName: 'Winter Sale', channel: 'google_ads' } }]);

    await table.client.send(new PutCommand({ TableName: table.name, Item: { ...keys.repIdentity('agent', 'ext-204'), repId: 'ana' } }));
    const tracked = (agent?: string) => ({
      version: 1, sourceId: 'phones', receivedAt: `${D2}T10:00:01.000Z`,
      call: { ...call('c9', 'c9:1', 'completed', `${D2}T10:00:00.000Z`, 60), ...(agent ? { agent } : {}) },
    });
    expect((await marksOfEvent(table, 'Call Tracked', tracked('ext-204'))).calls).toEqual([{ event: expect.objectContaining({ callId: 'c9' }), repId: 'ana' }]);
    expect((await marksOfEvent(table, 'Call Tracked', tracked())).calls).toEqual([{ event: expect.objectContaining({ callId: 'c9' }) }]);
  });

  it('drops rows an earlier build made when a rebuild no longer has them', async () => {
    const meta = (await readSpend(table, D2, D2)).find((s) => s.platform === 'meta')!;
    expect(meta).toBeDefined();
    await table.client.send(new PutCommand({ TableName: table.name, Item: spendItem({ day: D1, platform: 'vk_ads', campaignId: '77', amount: '9', currency: 'EUR' }) }));
    await buildReports(table, [D1], new Date());
    expect((await readChannelDays(table, [D1])).map((r) => r.campaignKey).sort()).toEqual(['id:google_ads:111', 'id:vk_ads:77']);
    const vk = spendItem({ day: D1, platform: 'vk_ads', campaignId: '77', amount: '9', currency: 'EUR' });
    await table.client.send(new DeleteCommand({ TableName: table.name, Key: { PK: vk.PK, SK: vk.SK } }));
    await buildReports(table, [D1], new Date());
    expect((await readChannelDays(table, [D1])).map((r) => r.campaignKey)).toEqual(['id:google_ads:111']);
  });
});
