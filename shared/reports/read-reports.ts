import { stringify } from 'csv-stringify/sync';
import { channelReport, CHANNEL_GROUPINGS, type ChannelGroupBy, type ChannelReportRow } from '../domain/channel-report-view.js';
import { ValidationError, type FieldProblem } from '../domain/errors.js';
import { converterOf } from '../domain/exchange-rates.js';
import { isCurrency } from '../domain/lead-status.js';
import { repReport, type RepReportRow } from '../domain/rep-report.js';
import { REPORT_PERIODS, type ReportPeriod } from '../domain/report-period.js';
import { readChannelDays, readRepDays } from '../store/channel-report-store.js';
import { getReportSettings, readRates } from '../store/rates-store.js';
import type { Table } from '../store/table.js';

/** What a channel or rep report request asks for, besides its days. */
export interface ReportRequest {
  days: string[];
  groupBy?: string;
  period?: string;
  currency?: string;
  /** Whether to list the leads that dropped at each step (a second query per day). */
  droppedLeads?: string;
}

function options(request: ReportRequest, groupings: readonly string[] | undefined) {
  const problems: FieldProblem[] = [];
  const period = (request.period ?? 'all') as ReportPeriod;
  if (!REPORT_PERIODS.includes(period)) problems.push({ field: 'period', problem: `must be one of ${REPORT_PERIODS.join(', ')}` });
  const groupBy = (request.groupBy ?? 'channel') as ChannelGroupBy;
  if (groupings && !groupings.includes(groupBy)) problems.push({ field: 'groupBy', problem: `must be one of ${groupings.join(', ')}` });
  if (request.droppedLeads !== undefined && request.droppedLeads !== 'true' && request.droppedLeads !== 'false') {
    problems.push({ field: 'droppedLeads', problem: 'must be true or false' });
  }
  if (request.currency !== undefined && !isCurrency(request.currency)) problems.push({ field: 'currency', problem: `"${request.currency}" is not an ISO 4217 currency code` });
  if (problems.length) throw new ValidationError('the report request is invalid', problems);
  return { period, groupBy, from: request.days[0]!, to: request.days.at(-1)! };
}

/** The report currency: the request's, else the admin's setting. */
async function currencyOf(table: Table, request: ReportRequest): Promise<string> {
  return request.currency ?? (await getReportSettings(table)).currency;
}

/**
 * The channel report over the requested days, read from the built day rows and the exchange rates
 * only (one query per day, one per currency pair): its cost follows the days asked for, never the
 * number of leads stored.
 */
export async function readChannelReport(table: Table, request: ReportRequest) {
  const o = options(request, CHANNEL_GROUPINGS);
  const [dayRows, currency] = await Promise.all([
    readChannelDays(table, request.days, { droppedLeads: request.droppedLeads === 'true' }),
    currencyOf(table, request),
  ]);
  const currencies = new Set([currency]);
  for (const r of dayRows) for (const c of [...Object.keys(r.spend), ...Object.keys(r.revenue)]) currencies.add(c);
  const rates = await readRates(table, currencies, o.from, o.to);
  const report = channelReport(dayRows, { ...o, currency, convert: converterOf(rates) });
  return { report: 'channels', groupBy: o.groupBy, period: o.period, from: o.from, to: o.to, currency, ...report };
}

/** The rep report over the requested days, from the built day rows and the rates. */
export async function readRepReport(table: Table, request: ReportRequest) {
  const o = options(request, undefined);
  const [dayRows, currency] = await Promise.all([readRepDays(table, request.days), currencyOf(table, request)]);
  const currencies = new Set([currency]);
  for (const r of dayRows) for (const c of Object.keys(r.revenue ?? {})) currencies.add(c);
  const rates = await readRates(table, currencies, o.from, o.to);
  const rows = repReport(dayRows, { ...o, currency, convert: converterOf(rates) });
  return { report: 'reps', period: o.period, from: o.from, to: o.to, currency, rows };
}

/** Amounts per currency as one spreadsheet cell: `EUR 1200; USD 50`. */
const perCurrency = (sums: Record<string, string>) => Object.entries(sums).map(([c, a]) => `${c} ${a}`).join('; ');

const CHANNEL_CSV = [
  'period', 'periodStart', 'periodEnd', 'channel', 'sourceId', 'campaignKey', 'platform', 'campaignId', 'campaignName', 'matched',
  'currency', 'spend', 'clicks', 'impressions', 'leads', 'qualified', 'contacted', 'won', 'lost', 'revenue',
  'cpl', 'costPerQualified', 'costPerContacted', 'cac', 'roas', 'romi',
  'conversionQualified', 'conversionContacted', 'conversionWon', 'droppedBeforeQualified', 'droppedBeforeContacted', 'droppedBeforeWon',
  'winRate', 'winRateLow', 'winRateHigh', 'tooFewToJudge', 'uncontactedSpend',
  'spendByCurrency', 'revenueByCurrency', 'missingRates', 'rates',
] as const;

/** The channel report as CSV: one line per row, amounts in the report currency, missing rates spelled out. */
export function channelReportCsv(rows: ChannelReportRow[]): string {
  return stringify(
    rows.map((r) => ({
      ...r,
      sourceId: r.sourceId === null ? '(spend without leads)' : r.sourceId,
      conversionQualified: r.conversion.qualified,
      conversionContacted: r.conversion.contacted,
      conversionWon: r.conversion.won,
      droppedBeforeQualified: r.dropOff.qualified.count,
      droppedBeforeContacted: r.dropOff.contacted.count,
      droppedBeforeWon: r.dropOff.won.count,
      winRate: r.winRate.rate,
      winRateLow: r.winRate.low,
      winRateHigh: r.winRate.high,
      tooFewToJudge: r.winRate.tooFewToJudge,
      spendByCurrency: perCurrency(r.spendByCurrency),
      revenueByCurrency: perCurrency(r.revenueByCurrency),
      missingRates: r.missingRates.map((m) => `${m.currency} ${m.firstDay}..${m.lastDay} (${m.days} days)`).join('; '),
      rates: r.rates.map((x) => `${x.currency} ${x.firstRateDay}..${x.lastRateDay}${x.via ? ` via ${x.via}` : ''}`).join('; '),
    })),
    { header: true, columns: [...CHANNEL_CSV], cast: { number: String, boolean: (b) => String(b) } },
  );
}

const REP_CSV = [
  'period', 'periodStart', 'periodEnd', 'repId', 'assigned', 'accepted', 'medianCaptureToAcceptMs', 'slaMisses', 'contacted',
  'medianCaptureToContactMs', 'won', 'currency', 'revenue', 'revenueByCurrency', 'callsPlaced', 'callsReceived', 'callsMissed', 'talkSeconds', 'missingRates',
] as const;

/** The rep report as CSV. */
export function repReportCsv(rows: RepReportRow[]): string {
  return stringify(
    rows.map((r) => ({ ...r, revenueByCurrency: perCurrency(r.revenueByCurrency), missingRates: r.missingRates.map((m) => `${m.currency} ${m.days.join(' ')}`).join('; ') })),
    { header: true, columns: [...REP_CSV], cast: { number: String } },
  );
}
