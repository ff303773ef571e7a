import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead } from '../../shared/domain/lead.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { resolveContact } from '../../shared/use-cases/resolve-contact.js';
import { dynamoContactStore } from '../../shared/store/adapters.js';
import { buildAttributionReports, runScheduledAttributionBuild } from '../../shared/reports/build-attribution-reports.js';
import { buildSegmentReport } from '../../shared/reports/build-segment-report.js';
import { createLead } from '../../shared/store/lead-store.js';
import { recordFunnelSteps } from '../../shared/store/metrics-store.js';
import { readSegmentReport } from '../../shared/store/segment-report-store.js';
import type { Table } from '../../shared/store/table.js';
import { readAttributionReport } from '../../shared/value/attribution-report-view.js';
import { recordWonLead, reportPurchase } from '../../shared/value/record-purchase.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());

const now = new Date();
const hoursAgo = (n: number) => new Date(now.getTime() - n * 3_600_000).toISOString();
const today = now.toISOString().slice(0, 10);
/** The tests' leads are a few hours old: near midnight some fall on yesterday, so periods cover both days. */
const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

/** A captured, qualified lead of a person, with its touchpoint and funnel marks, as the pipeline leaves it. */
async function lead(leadId: string, email: string, capturedAt: string, attribution: Record<string, string>, provider = 'html_form') {
  const channel = provider === 'meta_lead_ads' ? 'ad_form' : 'web_form';
  const contact = await resolveContact(dynamoContactStore(table), {
    leadId, capturedAt, sourceId: 'site', channel, provider, person: { email }, attribution, mergeWindowSeconds: 1, statusOf: async () => 'won',
  });
  const stored = {
    leadId, sourceId: 'site', channel, provider, externalIds: {}, person: { email }, answers: {}, attribution, capturedAt, isTest: false,
    status: 'qualified', score: 10, grade: 'B', reasons: [], qualifiedAt: capturedAt, contactId: contact!.contactId,
  } as unknown as Lead;
  await createLead(table, stored, []);
  const ref = { leadId, sourceId: 'site', channel: channel as 'web_form', capturedAt, isTest: false };
  await recordFunnelSteps(table, [{ lead: ref, stage: 'leads' }, { lead: ref, stage: 'qualified' }]);
  return { ref, contactId: contact!.contactId };
}

describe('the attribution builder on DynamoDB Local', () => {
  it('builds a day from its leads and purchases, and the report shares them per model with ROMI against spend', async () => {
    const email = `journey-${now.getTime()}@example.org`;
    // First a Meta lead-form lead, then (a few hours later) a Google Ads click on the site, which is won for 900 dollars.
    await lead(`M${now.getTime()}`, email, hoursAgo(5), { campaignId: 'c-77' }, 'meta_lead_ads');
    const { ref } = await lead(`G${now.getTime()}`, email, hoursAgo(3), { gclid: 'abc', utm_campaign: 'Brand' });
    await recordWonLead(table, {
      version: 1, lead: ref, repId: 'r', from: 'contacted', to: 'won', revenue: { amount: 900, currency: 'USD' }, changedAt: hoursAgo(1),
    }, now);
    await table.client.send(new PutCommand({
      TableName: table.name,
      Item: {
        PK: `SPEND#${today.slice(0, 7)}`, SK: `${today}#google_ads#acc#9#-#-`, entity: 'spend',
        day: today, platform: 'google_ads', accountId: 'acc', campaignId: '9', campaignName: 'Brand', amount: '300', currency: 'USD', updatedAt: now.toISOString(), corrections: [],
      },
    }));

    const built = await buildAttributionReports(table, [yesterday, today], now);
    expect(built).toMatchObject({ days: 2, conversions: 5 });
    const report = await readAttributionReport(table, { from: yesterday, to: today, models: 'first_touch,last_touch,linear' }, now);
    expect(report.models).toEqual(['first_touch', 'last_touch', 'linear']);
    // Two leads created, both qualified, one won: every model shares the same conversions.
    for (const model of report.models) expect(report.totals[model]).toMatchObject({ created: '2', qualified: '2', won: '1', revenue: { USD: '900' } });
    const google = report.entries.find((e) => e.channel === 'google_ads')!;
    const meta = report.entries.find((e) => e.channel === 'meta')!;
    // The win: first touch is Meta's, last touch Google's, linear half each. Google spent 300 dollars.
    expect(google.models.first_touch).toMatchObject({ won: '0', revenue: {}, spend: { USD: '300' }, romi: { USD: '-1' } });
    expect(google.models.last_touch).toMatchObject({ won: '1', revenue: { USD: '900' }, romi: { USD: '2' } });
    expect(google.models.linear).toMatchObject({ won: '0.5', revenue: { USD: '450' }, romi: { USD: '0.5' } });
    expect(meta.models.first_touch).toMatchObject({ created: '2', won: '1', revenue: { USD: '900' }, spend: {}, romi: {} });
    expect(google.spread.won).toMatchObject({ min: '0', max: '1', spread: '1' });
    const byCampaign = await readAttributionReport(table, { from: yesterday, to: today, models: 'last_touch', groupBy: 'campaign' }, now);
    expect(byCampaign.entries.find((e) => e.channel === 'google_ads' && e.campaign === 'brand')!.models.last_touch).toMatchObject({ spend: { USD: '300' }, romi: { USD: '2' } });
  });

  it('rebuilding a day replaces its rows, and the scheduled run builds in full once a day', async () => {
    const first = await runScheduledAttributionBuild(table, now);
    const second = await runScheduledAttributionBuild(table, now);
    expect(first).toMatchObject({ full: true, days: 31 });
    expect(second).toMatchObject({ full: false, days: 2 });
    const report = await readAttributionReport(table, { from: yesterday, to: today, models: 'w_shaped' }, now);
    expect(report.totals.w_shaped).toMatchObject({ created: '2', won: '1', revenue: { USD: '900' } });
  });

  it('answers 400 naming an unknown model and a bad period', async () => {
    await expect(readAttributionReport(table, { models: 'linear,u_shaped' }, now)).rejects.toThrow(ValidationError);
    await expect(readAttributionReport(table, { from: '2026-02-30' }, now)).rejects.toThrow(ValidationError);
  });

  it('builds the segment report per segment and per acquisition channel', async () => {
    await reportPurchase(table, { orderId: `S-${now.getTime()}`, contact: { email: `vip-${now.getTime()}@example.org` }, amount: '6000', currency: 'USD', at: hoursAgo(2), atGiven: true }, now);
    const built = await buildSegmentReport(table, now, { refresh: true });
    expect(built.customers).toBe(2);
    const report = await readSegmentReport(table);
    expect(report.segments.map((s) => s.name)).toEqual(['new', 'vip']);
    expect(report.segments.find((s) => s.name === 'vip')).toMatchObject({ customers: 1, revenue: { USD: '6000' }, averageClv: { USD: '6000' } });
    // The won lead's contact was acquired through Meta; the shop customer has no touchpoint.
    expect(report.acquisitionChannels.map((c) => [c.name, c.revenue])).toEqual([['meta', { USD: '900' }], ['unattributed', { USD: '6000' }]]);
  });
});
