import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { campaignOf } from '../../shared/domain/campaign-ref.js';
import { allocateEqually, buildChannelDay, type DayLead } from '../../shared/domain/channel-report.js';
import { channelReport, type ChannelReportOptions } from '../../shared/domain/channel-report-view.js';
import { converterOf, type RatePoint } from '../../shared/domain/exchange-rates.js';
import type { SpendRecord } from '../../shared/domain/spend.js';

const D1 = '2026-11-02';
const D2 = '2026-11-03';

function lead(leadId: string, over: Partial<DayLead> = {}): DayLead {
  return {
    leadId,
    sourceId: 'site',
    campaign: { platform: 'google_ads', campaignId: '111', channel: 'google_ads' },
    qualified: true,
    contacted: true,
    won: false,
    lost: false,
    captureToContactMs: 60_000,
    ...over,
  };
}
const won = (leadId: string, amount: string, over: Partial<DayLead> = {}) => lead(leadId, { won: true, revenue: { amount, currency: 'EUR' }, ...over });
const spend = (day: string, amount: string, over: Partial<SpendRecord> = {}): SpendRecord => ({
  day, platform: 'google_ads', campaignId: '111', campaignName: 'Winter Sale', amount, currency: 'EUR', clicks: 10, impressions: 1000, ...over,
});
const noRates = converterOf([]);
const opts = (over: Partial<ChannelReportOptions> = {}): ChannelReportOptions => ({
  groupBy: 'campaign', period: 'all', from: D1, to: D2, currency: 'EUR', convert: noRates, ...over,
});

describe('the channel report', () => {
  // Day 1: 100 EUR, 2 leads, one won 500. Day 2: 200 EUR, 3 leads, one won 400.
  const rows = [
    ...buildChannelDay(D1, [won('a1', '500'), lead('a2')], [spend(D1, '100')]),
    ...buildChannelDay(D2, [won('b1', '400'), lead('b2'), lead('b3', { contacted: false, captureToContactMs: undefined })], [spend(D2, '200')]),
  ];

  it('computes CPL, CAC, ROAS and ROMI from the totals, not as averages of daily ratios', () => {
    const [row] = channelReport(rows, opts()).rows;
    // Daily CPLs are 50 and 66.67 (average 58.33); the period's CPL is 300 / 5 = 60.
    expect(row).toMatchObject({
      campaignId: '111', campaignName: 'Winter Sale', matched: 'matched', currency: 'EUR',
      spend: '300', revenue: '900', leads: 5, contacted: 4, won: 2,
      cpl: '60', costPerQualified: '60', costPerContacted: '75', cac: '150', roas: '3', romi: '2',
      clicks: 20, impressions: 2000,
    });
    expect(row!.conversion).toEqual({ qualified: '1', contacted: '0.8', won: '0.5' });
    expect(row!.dropOff.contacted).toEqual({ count: 1, rate: '0.2', leadIds: ['b3'] });
    // b3 is one of the 3 leads sharing day 2's 200: 66.67, and the shares add up to 200 exactly.
    expect(row!.uncontactedSpend).toBe('66.66');
  });

  it('sums by week and by month with ratios recomputed from the summed totals', () => {
    const weekly = channelReport(rows, opts({ period: 'week', groupBy: 'channel' })).rows;
    expect(weekly.map((r) => [r.period, r.channel, r.spend, r.cpl])).toEqual([['2026-W45', 'google_ads', '300', '60']]);
    const daily = channelReport(rows, opts({ period: 'day', groupBy: 'source' })).rows;
    expect(daily.map((r) => [r.period, r.sourceId, r.spend, r.cpl, r.roas])).toEqual([
      [D1, 'site', '100', '50', '5'],
      [D2, 'site', '200', '66.67', '2'],
    ]);
  });

  it('shares a campaign-day\'s spend equally among its leads to the cent, the remainder to the first leads', () => {
    expect(allocateEqually(new Big('100'), 3, 2).map(String)).toEqual(['33.34', '33.33', '33.33']);
    expect(allocateEqually(new Big('1000'), 3, 0).map(String)).toEqual(['334', '333', '333']);
    expect(allocateEqually(new Big('0.005'), 2, 2).map(String)).toEqual(['0.005', '0']);
  });

  it('shows spend nobody\'s lead matched and leads no spend matched, instead of dropping them', () => {
    const day = buildChannelDay(
      D1,
      [lead('x1', { campaign: { platform: 'meta', campaignId: '999', channel: 'meta' } }), lead('x2', { campaign: { channel: 'direct' } })],
      [spend(D1, '40', { campaignId: '222', campaignName: 'Brand' })],
    );
    const report = channelReport(day, opts({ to: D1 }));
    expect(report.rows.map((r) => [r.campaignKey, r.matched, r.spend, r.leads])).toEqual([
      ['none:direct', 'no_campaign', '0', 1],
      ['id:google_ads:222', 'spend_without_leads', '40', 0],
      ['id:meta:999', 'leads_without_spend', '0', 1],
    ]);
    // By source, the spend no lead of the day matched is a row of its own, not some source's.
    const bySource = channelReport(day, opts({ to: D1, groupBy: 'source' })).rows;
    expect(bySource.map((r) => [r.sourceId, r.spend, r.leads])).toEqual([['site', '0', 2], [null, '40', 0]]);
    expect(report.unmatched).toMatchObject({ spendWithoutLeads: '40', leadsWithoutSpend: 1, leadsWithoutCampaign: 1 });
  });

  it('matches a lead that only names its campaign to the spend of that campaign by normalized name, across days', () => {
    const byName = { platform: 'google_ads', campaignName: '  winter   SALE ', channel: 'google_ads' };
    const day1 = buildChannelDay(D1, [lead('n1', { campaign: byName })], []);
    const day2 = buildChannelDay(D2, [lead('n2', { campaign: { ...byName, platform: undefined, channel: 'newsletter' } })], [spend(D2, '30')]);
    const [row, ...rest] = channelReport([...day1, ...day2], opts()).rows;
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ campaignKey: 'id:google_ads:111', channel: 'google_ads', leads: 2, spend: '30', cpl: '15', matched: 'matched' });
  });

  it('converts each day at that day\'s rate, and flags a day without a rate instead of counting it as zero', () => {
    const usd = [
      ...buildChannelDay(D1, [lead('u1')], [spend(D1, '100', { currency: 'USD' })]),
      ...buildChannelDay(D2, [lead('u2')], [spend(D2, '50', { currency: 'USD' })]),
    ];
    const rates: RatePoint[] = [{ base: 'EUR', currency: 'USD', day: D1, units: '1.25', price: '1' }];
    // Only day 1 has a rate (day 2 would reuse it: the latest rate on or before the day).
    const withRate = channelReport(usd, opts({ convert: converterOf(rates) })).rows[0]!;
    expect(withRate).toMatchObject({ spend: '120', spendByCurrency: { USD: '150' }, cpl: '60', missingRates: [] });
    expect(withRate.rates).toEqual([{ currency: 'USD', firstRateDay: D1, lastRateDay: D1 }]);
    const missing = channelReport(usd, opts({ convert: converterOf(rates, 0) })).rows[0]!;
    expect(missing).toMatchObject({ spend: null, cpl: null, roas: null, spendByCurrency: { USD: '150' } });
    expect(missing.missingRates).toEqual([{ currency: 'USD', firstDay: D2, lastDay: D2, days: 1 }]);
  });

  it('flags a small sample as too few to judge, with the Wilson interval of its win rate', () => {
    const [row] = channelReport(rows, opts()).rows;
    // 2 wins of 5 leads: 40%, 95% Wilson interval 11.76%–76.93%.
    expect(row!.winRate).toEqual({ rate: 0.4, low: 0.1176, high: 0.7693, tooFewToJudge: true });
  });

  it('counts win rate by response-time band', () => {
    const day = buildChannelDay(D1, [
      won('f1', '10', { captureToContactMs: 2 * 60_000 }),
      lead('f2', { captureToContactMs: 3 * 60_000 }),
      lead('s1', { captureToContactMs: 3 * 3600_000 }),
      lead('n1', { contacted: false, captureToContactMs: undefined }),
    ], []);
    const bands = channelReport(day, opts({ to: D1, groupBy: 'source' })).rows[0]!.responseBands;
    expect(bands.filter((b) => b.leads)).toEqual([
      { band: 'under_5m', leads: 2, won: 1, winRate: '0.5' },
      { band: '2h_to_24h', leads: 1, won: 0, winRate: '0' },
      { band: 'never', leads: 1, won: 0, winRate: '0' },
    ]);
  });
});

describe('the campaign a lead came from', () => {
  const base = { provider: 'html_form', answers: {} as Record<string, string> };
  it('takes an ad-platform lead\'s campaign id and platform', () => {
    expect(campaignOf({ ...base, provider: 'meta_lead_ads', attribution: { campaignId: '238', adsetId: '7', adId: '9' } })).toEqual({
      platform: 'meta', campaignId: '238', adGroupId: '7', adId: '9', channel: 'meta',
    });
  });
  it('reads a web lead\'s campaign from utm_id, a numeric utm_campaign ({campaignid}) or its name', () => {
    expect(campaignOf({ ...base, attribution: { utm_source: 'google', utm_id: '555', utm_campaign: 'Spring' } })).toMatchObject({ platform: 'google_ads', campaignId: '555', campaignName: 'Spring' });
    expect(campaignOf({ ...base, attribution: { utm_source: 'google', utm_campaign: '1234567' } })).toMatchObject({ campaignId: '1234567' });
    expect(campaignOf({ ...base, attribution: { gclid: 'abc', utm_campaign: 'Brand' } })).toMatchObject({ platform: 'google_ads', campaignName: 'Brand' });
    expect(campaignOf({ ...base, attribution: { utm_source: 'Newsletter Dec' } })).toEqual({ channel: 'newsletter_dec' });
    expect(campaignOf({ ...base, attribution: { utm_source: 'google', utm_medium: 'organic' } })).toEqual({ channel: 'google' });
    expect(campaignOf({ ...base, attribution: {} })).toEqual({ channel: 'direct' });
  });
});
