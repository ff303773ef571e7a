import Big from 'big.js';
import { daysBetween, isDay } from '../days.js';
import { parseCount, parseLocalizedNumber } from './numbers.js';
import { missingCurrency, rowOutcome, type RowOutcome } from './spend-file.js';
import { type TableSpec } from './table-reader.js';

/*
 * The ad-expenses file Yandex Metrica takes (Advertising → Expenses upload, or the Management API's
 * expense/upload): a header line of Date, UTMSource, Expenses and optional UTMMedium, UTMCampaign,
 * UTMTerm, UTMContent, Currency, Clicks; Date is a day or a range `YYYY-MM-DD/YYYY-MM-DD`; Expenses use
 * a point for decimals. Following yandex.com/support/metrica/en/ad/data-format and
 * yandex.com/dev/metrika/en/management/openapi/expense/uploadMultipart.
 *
 * These rows carry no campaign id: the UTMCampaign value is what leads carry as utm_campaign, so it is
 * stored as both the campaign id and name, which keeps two campaigns of one day apart.
 */

const FIELDS = ['Date', 'UTMSource', 'UTMMedium', 'UTMCampaign', 'UTMTerm', 'UTMContent', 'Expenses', 'Currency', 'Clicks'] as const;
type Columns = Record<(typeof FIELDS)[number], number>;
/** A range spread over more days than a year is more likely a typo than a budget. */
const MAX_RANGE_DAYS = 366;

/** The header: Metrica's column names (compared without regard to case). */
export function yandexMetricaHeader(cells: string[]): Columns | undefined {
  const lower = cells.map((c) => c.toLowerCase());
  const columns = Object.fromEntries(FIELDS.map((f) => [f, lower.indexOf(f.toLowerCase())])) as Columns;
  return columns.Date >= 0 && columns.Expenses >= 0 && (columns.UTMSource >= 0 || columns.UTMCampaign >= 0) ? columns : undefined;
}

/** Digits after the point a currency is paid in (2 for USD, 0 for JPY), for spreading a range exactly. */
function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Splits an amount over `n` days in the currency's smallest unit; the last day takes what rounding left. */
function spread(total: Big, n: number, digits: number): Big[] {
  const share = total.div(n).round(digits, Big.roundDown);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? total.minus(share.times(n - 1)) : share));
}

const value = (cells: string[], i: number) => (i >= 0 ? cells[i]?.trim() || undefined : undefined);

/**
 * The outcomes of one line; a date range becomes one record per day, its expenses and clicks split
 * evenly (to the currency's smallest unit, the remainder on the last day) so each day keeps a share.
 */
export function yandexMetricaLine(cells: string[], c: Columns, line: number, options: { currency?: string }): RowOutcome[] {
  const rawDate = value(cells, c.Date) ?? '';
  const [from, to = from] = rawDate.split('/').map((d) => d.trim());
  const amount = parseLocalizedNumber(value(cells, c.Expenses), '.');
  const rawAmount = value(cells, c.Expenses);
  if (rawAmount && !amount) return [{ row: line, skip: `the expenses "${rawAmount}" are not a number` }];
  const campaign = value(cells, c.UTMCampaign);
  const base = { platform: 'yandex_metrica', campaignId: campaign, campaignName: campaign, currency: value(cells, c.Currency) };
  const clicks = parseCount(value(cells, c.Clicks));
  if (from === to || !from || !isDay(from) || !to || !isDay(to)) {
    if (from !== to && rawDate) return [{ row: line, skip: `"${rawDate}" is not a day or a range YYYY-MM-DD/YYYY-MM-DD` }];
    return [rowOutcome('yandex_metrica', line, { ...base, date: from, amount, clicks }, options)];
  }
  const days = daysBetween(from, to);
  if (!days.length) return [{ row: line, skip: `the range "${rawDate}" ends before it starts` }];
  if (days.length > MAX_RANGE_DAYS) return [{ row: line, skip: `the range "${rawDate}" spans more than ${MAX_RANGE_DAYS} days` }];
  if (!amount) return [{ row: line, skip: 'the row has no expenses' }];
  const currency = base.currency?.toUpperCase() ?? options.currency;
  if (!currency) throw missingCurrency('yandex_metrica');
  let digits: number;
  try {
    digits = minorDigits(currency);
  } catch {
    return [{ row: line, skip: `"${currency}" is not an ISO 4217 currency code` }];
  }
  const amounts = spread(amount, days.length, digits);
  const clickShares = clicks === undefined ? undefined : spread(new Big(clicks), days.length, 0);
  return days.map((date, i) =>
    rowOutcome('yandex_metrica', line, { ...base, currency, date, amount: amounts[i], clicks: clickShares ? Number(clickShares[i]!.toFixed(0)) : undefined }, options),
  );
}

export const yandexMetricaCsv: TableSpec<Columns> = { header: yandexMetricaHeader, row: yandexMetricaLine };
