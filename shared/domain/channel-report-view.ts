import Big from 'big.js';
import { campaignAliases, currencyPlaces, FUNNEL_STEPS, type ChannelDayRow, type ReportStep } from './channel-report.js';
import type { Converter } from './exchange-rates.js';
import { RESPONSE_BANDS, wilsonInterval, type RateInterval, type ResponseBand } from './funnel-stats.js';
import { decimal, decimalText, ratio } from './money.js';
import { bucketOf, type ReportPeriod } from './report-period.js';

export type ChannelGroupBy = 'channel' | 'source' | 'campaign';
export const CHANNEL_GROUPINGS: readonly ChannelGroupBy[] = ['channel', 'source', 'campaign'];

/** Lead ids listed per report row and step under `dropOff`; the count is exact. */
export const DROPPED_IDS_PER_ROW = 50;

export interface ChannelReportOptions {
  groupBy: ChannelGroupBy;
  period: ReportPeriod;
  from: string;
  to: string;
  /** The report currency: every amount is also shown converted to it. */
  currency: string;
  convert: Converter;
}

/** Days a currency could not be converted on, in one row. */
export interface MissingRate {
  currency: string;
  firstDay: string;
  lastDay: string;
  days: number;
}

/** The rates a row's conversions used, per currency: the oldest and newest rate day, and any cross base. */
export interface RateUsed {
  currency: string;
  firstRateDay: string;
  lastRateDay: string;
  via?: string;
}

export type CampaignMatch = 'matched' | 'spend_without_leads' | 'leads_without_spend' | 'no_campaign';

/** One row of the channel report, as JSON shows it. */
export interface ChannelReportRow {
  period: string;
  periodStart: string;
  periodEnd: string;
  channel?: string;
  sourceId?: string | null;
  campaignKey?: string;
  platform?: string;
  campaignId?: string;
  campaignName?: string;
  matched?: CampaignMatch;
  currency: string;
  /** Converted to `currency`; null when a rate is missing (see `missingRates`), never a partial sum. */
  spend: string | null;
  revenue: string | null;
  uncontactedSpend: string | null;
  spendByCurrency: Record<string, string>;
  revenueByCurrency: Record<string, string>;
  clicks: number;
  impressions: number;
  leads: number;
  qualified: number;
  contacted: number;
  won: number;
  lost: number;
  cpl: string | null;
  costPerQualified: string | null;
  costPerContacted: string | null;
  cac: string | null;
  roas: string | null;
  romi: string | null;
  conversion: Record<ReportStep, string | null>;
  dropOff: Record<ReportStep, { count: number; rate: string | null; leadIds: string[] }>;
  winRate: RateInterval;
  responseBands: Array<{ band: ResponseBand; leads: number; won: number; winRate: string | null }>;
  missingRates: MissingRate[];
  rates: RateUsed[];
}

interface MoneyAcc {
  native: Record<string, Big>;
  converted: Big;
  missing: Map<string, Set<string>>;
  rates: Map<string, { first: string; last: string; via?: string }>;
}

interface Acc {
  row: Pick<ChannelReportRow, 'period' | 'periodStart' | 'periodEnd' | 'channel' | 'sourceId' | 'campaignKey' | 'platform' | 'campaignId' | 'campaignName'>;
  leads: number;
  qualified: number;
  contacted: number;
  won: number;
  lost: number;
  clicks: number;
  impressions: number;
  spend: MoneyAcc;
  revenue: MoneyAcc;
  uncontacted: MoneyAcc;
  hasSpend: boolean;
  bands: Record<ResponseBand, { leads: number; won: number }>;
  dropped: Record<ReportStep, { count: number; leadIds: string[] }>;
}

const moneyAcc = (): MoneyAcc => ({ native: {}, converted: new Big(0), missing: new Map(), rates: new Map() });

function addMoney(acc: MoneyAcc, amounts: Record<string, string>, day: string, o: ChannelReportOptions): void {
  for (const [currency, text] of Object.entries(amounts)) {
    const amount = decimal(text);
    acc.native[currency] = (acc.native[currency] ?? new Big(0)).plus(amount);
    if (amount.eq(0)) continue;
    const converted = o.convert(amount, currency, o.currency, day);
    if (!converted) {
      acc.missing.set(currency, (acc.missing.get(currency) ?? new Set()).add(day));
      continue;
    }
    acc.converted = acc.converted.plus(converted.amount);
    if (currency === o.currency) continue;
    const used = acc.rates.get(currency);
    acc.rates.set(currency, {
      first: used && used.first < converted.rateDay ? used.first : converted.rateDay,
      last: used && used.last > converted.rateDay ? used.last : converted.rateDay,
      ...(converted.via ?? used?.via ? { via: converted.via ?? used?.via } : {}),
    });
  }
}

function nativeTexts(sums: Record<string, Big>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const currency of Object.keys(sums).sort()) out[currency] = decimalText(sums[currency]!);
  return out;
}

/** The converted total, or undefined when any part of it had no rate. */
const convertedOf = (acc: MoneyAcc) => (acc.missing.size ? undefined : acc.converted);

function rounded(value: Big | undefined, currency: string): string | null {
  return value === undefined ? null : decimalText(value.round(currencyPlaces(currency), Big.roundHalfUp));
}

function perUnit(spend: Big | undefined, count: number, currency: string): string | null {
  return spend === undefined ? null : ratio(spend, count, currencyPlaces(currency));
}

function finish(acc: Acc, o: ChannelReportOptions): ChannelReportRow {
  const spend = convertedOf(acc.spend);
  const revenue = convertedOf(acc.revenue);
  const previous: Record<ReportStep, number> = { qualified: acc.leads, contacted: acc.qualified, won: acc.contacted };
  const reached: Record<ReportStep, number> = { qualified: acc.qualified, contacted: acc.contacted, won: acc.won };
  const missing = new Map<string, Set<string>>();
  for (const m of [acc.spend, acc.revenue, acc.uncontacted]) {
    for (const [currency, days] of m.missing) missing.set(currency, new Set([...(missing.get(currency) ?? []), ...days]));
  }
  const rates = new Map<string, RateUsed>();
  for (const m of [acc.spend, acc.revenue, acc.uncontacted]) {
    for (const [currency, r] of m.rates) {
      const seen = rates.get(currency);
      rates.set(currency, {
        currency,
        firstRateDay: seen && seen.firstRateDay < r.first ? seen.firstRateDay : r.first,
        lastRateDay: seen && seen.lastRateDay > r.last ? seen.lastRateDay : r.last,
        ...(r.via ?? seen?.via ? { via: r.via ?? seen?.via } : {}),
      });
    }
  }
  const matched: CampaignMatch | undefined = acc.row.campaignKey === undefined
    ? undefined
    : acc.row.campaignKey.startsWith('none:') && acc.leads > 0
      ? 'no_campaign'
      : acc.hasSpend && acc.leads > 0 ? 'matched' : acc.hasSpend ? 'spend_without_leads' : 'leads_without_spend';
  return {
    ...acc.row,
    ...(matched ? { matched } : {}),
    currency: o.currency,
    spend: rounded(spend, o.currency),
    revenue: rounded(revenue, o.currency),
    uncontactedSpend: rounded(convertedOf(acc.uncontacted), o.currency),
    spendByCurrency: nativeTexts(acc.spend.native),
    revenueByCurrency: nativeTexts(acc.revenue.native),
    clicks: acc.clicks,
    impressions: acc.impressions,
    leads: acc.leads,
    qualified: acc.qualified,
    contacted: acc.contacted,
    won: acc.won,
    lost: acc.lost,
    cpl: perUnit(spend, acc.leads, o.currency),
    costPerQualified: perUnit(spend, acc.qualified, o.currency),
    costPerContacted: perUnit(spend, acc.contacted, o.currency),
    cac: perUnit(spend, acc.won, o.currency),
    roas: spend === undefined || revenue === undefined ? null : ratio(revenue, spend),
    romi: spend === undefined || revenue === undefined ? null : ratio(revenue.minus(spend), spend),
    conversion: Object.fromEntries(FUNNEL_STEPS.map((s) => [s, ratio(reached[s], previous[s])])) as ChannelReportRow['conversion'],
    dropOff: Object.fromEntries(
      FUNNEL_STEPS.map((s) => [s, { count: acc.dropped[s].count, rate: ratio(acc.dropped[s].count, previous[s]), leadIds: acc.dropped[s].leadIds }]),
    ) as ChannelReportRow['dropOff'],
    winRate: wilsonInterval(acc.won, acc.leads),
    responseBands: RESPONSE_BANDS.map((band) => ({ band, ...acc.bands[band], winRate: ratio(acc.bands[band].won, acc.bands[band].leads) })),
    missingRates: [...missing].sort(([a], [b]) => a.localeCompare(b)).map(([currency, days]) => {
      const sorted = [...days].sort();
      return { currency, firstDay: sorted[0]!, lastDay: sorted.at(-1)!, days: sorted.length };
    }),
    rates: [...rates.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

function newAcc(row: Acc['row']): Acc {
  return {
    row,
    leads: 0, qualified: 0, contacted: 0, won: 0, lost: 0, clicks: 0, impressions: 0,
    spend: moneyAcc(), revenue: moneyAcc(), uncontacted: moneyAcc(),
    hasSpend: false,
    bands: Object.fromEntries(RESPONSE_BANDS.map((b) => [b, { leads: 0, won: 0 }])) as Acc['bands'],
    dropped: Object.fromEntries(FUNNEL_STEPS.map((s) => [s, { count: 0, leadIds: [] as string[] }])) as Acc['dropped'],
  };
}

function addRow(acc: Acc, r: ChannelDayRow, o: ChannelReportOptions): void {
  acc.leads += r.leads;
  acc.qualified += r.qualified;
  acc.contacted += r.contacted;
  acc.won += r.won;
  acc.lost += r.lost;
  acc.clicks += r.clicks;
  acc.impressions += r.impressions;
  acc.hasSpend ||= r.hasSpend;
  addMoney(acc.spend, r.spend, r.day, o);
  addMoney(acc.revenue, r.revenue, r.day, o);
  addMoney(acc.uncontacted, r.uncontactedSpend, r.day, o);
  for (const band of RESPONSE_BANDS) {
    acc.bands[band].leads += r.bands?.[band]?.leads ?? 0;
    acc.bands[band].won += r.bands?.[band]?.won ?? 0;
  }
  for (const step of FUNNEL_STEPS) {
    const from = r.dropped?.[step];
    if (!from) continue;
    acc.dropped[step].count += from.count;
    for (const id of from.leadIds) if (acc.dropped[step].leadIds.length < DROPPED_IDS_PER_ROW) acc.dropped[step].leadIds.push(id);
  }
}

/**
 * Rows of one campaign built on different days carry its name or id as each day knew it: a day whose
 * leads only named the campaign is merged into the campaign of that id and name seen on another day.
 */
export function mergeCampaigns(rows: ChannelDayRow[]): ChannelDayRow[] {
  const known = new Map<string, ChannelDayRow>();
  for (const r of rows) if (r.campaignKey.startsWith('id:') && r.platform && !known.get(r.campaignKey)?.campaignName) known.set(r.campaignKey, r);
  const alias = campaignAliases(known);
  return rows.map((r) => {
    const key = alias(r.campaignKey);
    const target = known.get(key);
    if (key === r.campaignKey || !target) return r;
    return { ...r, campaignKey: key, channel: target.channel, platform: target.platform, campaignId: target.campaignId, campaignName: target.campaignName ?? r.campaignName };
  });
}

/** What no campaign row can show alone: spend nobody's lead matched, and leads no spend matched, over the range. */
export interface Unmatched {
  spendWithoutLeads: string | null;
  spendWithoutLeadsByCurrency: Record<string, string>;
  leadsWithoutSpend: number;
  leadsWithoutCampaign: number;
  missingRates: MissingRate[];
}

/**
 * The channel report from built day rows: grouped by channel, source or campaign and bucketed by day,
 * week, month or the whole range. Every total is summed from the day rows and every ratio divides
 * those totals (a week's CPL is the week's spend over the week's leads, never an average of daily
 * CPLs). Amounts stay per currency and are converted day by day to the report currency.
 */
export function channelReport(dayRows: ChannelDayRow[], o: ChannelReportOptions): { rows: ChannelReportRow[]; totals: ChannelReportRow; unmatched: Unmatched } {
  const rows = mergeCampaigns(dayRows);
  const groups = new Map<string, Acc>();
  const total = newAcc({ period: `${o.from}..${o.to}`, periodStart: o.from, periodEnd: o.to });
  const campaigns = new Map<string, Acc>();
  for (const r of rows) {
    const bucket = bucketOf(r.day, o.period, o.from, o.to);
    const dims: Acc['row'] =
      o.groupBy === 'channel'
        ? { ...bucket, channel: r.channel }
        : o.groupBy === 'source'
          ? { ...bucket, sourceId: r.sourceId }
          : {
              ...bucket,
              channel: r.channel,
              campaignKey: r.campaignKey,
              ...(r.platform ? { platform: r.platform } : {}),
              ...(r.campaignId ? { campaignId: r.campaignId } : {}),
              ...(r.campaignName ? { campaignName: r.campaignName } : {}),
            };
    const key = `${bucket.period}\u0000${o.groupBy === 'channel' ? r.channel : o.groupBy === 'source' ? r.sourceId ?? '' : r.campaignKey}`;
    const acc = groups.get(key) ?? newAcc(dims);
    if (o.groupBy === 'campaign' && !acc.row.campaignName && r.campaignName) acc.row.campaignName = r.campaignName;
    groups.set(key, acc);
    addRow(acc, r, o);
    addRow(total, r, o);
    const campaign = campaigns.get(r.campaignKey) ?? newAcc({ period: '', periodStart: '', periodEnd: '', campaignKey: r.campaignKey });
    campaigns.set(r.campaignKey, campaign);
    addRow(campaign, r, o);
  }
  const unmatchedSpend = moneyAcc();
  let leadsWithoutSpend = 0;
  let leadsWithoutCampaign = 0;
  for (const [key, c] of campaigns) {
    if (key.startsWith('none:')) leadsWithoutCampaign += c.leads;
    else if (!c.hasSpend) leadsWithoutSpend += c.leads;
    if (c.leads === 0) {
      for (const [currency, amount] of Object.entries(c.spend.native)) unmatchedSpend.native[currency] = (unmatchedSpend.native[currency] ?? new Big(0)).plus(amount);
      unmatchedSpend.converted = unmatchedSpend.converted.plus(c.spend.converted);
      for (const [currency, days] of c.spend.missing) unmatchedSpend.missing.set(currency, new Set([...(unmatchedSpend.missing.get(currency) ?? []), ...days]));
    }
  }
  const sortKey = (r: ChannelReportRow) => `${r.periodStart}\u0000${r.channel ?? ''}\u0000${r.sourceId ?? '~'}\u0000${r.campaignKey ?? ''}`;
  const unmatchedRow = finish({ ...newAcc(total.row), spend: unmatchedSpend }, o);
  return {
    // Code-point order, so rows without a source ('~') come last; localeCompare puts symbols first.
    rows: [...groups.values()].map((acc) => finish(acc, o)).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0)),
    totals: finish(total, o),
    unmatched: {
      spendWithoutLeads: unmatchedRow.spend,
      spendWithoutLeadsByCurrency: unmatchedRow.spendByCurrency,
      leadsWithoutSpend,
      leadsWithoutCampaign,
      missingRates: unmatchedRow.missingRates,
    },
  };
}
