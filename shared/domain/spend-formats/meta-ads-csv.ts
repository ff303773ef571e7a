import { parseCount, parseLocalizedNumber, parseReportDay, type DecimalMark } from './numbers.js';
import { rowOutcome } from './spend-file.js';
import { columnOf, type TableSpec } from './table-reader.js';

/*
 * A table exported from Meta Ads Manager (Reports → Export table data → .csv): one line per campaign
 * (or ad set, ad) and, with Breakdown → By time → Day, per day; "Reporting starts" and "Reporting ends"
 * bound each line's period; the spend column carries the account currency in its name ("Amount spent
 * (USD)"). Column names as Ads Manager shows them in English and Russian.
 */

const NAMES = {
  starts: ['reporting starts', 'начало отчетности', 'начало отчётности'],
  ends: ['reporting ends', 'конец отчетности', 'конец отчётности'],
  day: ['day', 'день'],
  campaign: ['campaign name', 'название кампании'],
  campaignId: ['campaign id', 'идентификатор кампании', 'id кампании'],
  adSetId: ['ad set id', 'идентификатор группы объявлений'],
  adId: ['ad id', 'идентификатор объявления'],
  accountId: ['account id', 'идентификатор аккаунта', 'идентификатор рекламного аккаунта'],
  currency: ['currency', 'валюта'],
  impressions: ['impressions', 'показы'],
  clicks: ['link clicks', 'клики по ссылке', 'clicks (all)', 'клики (все)'],
};
const SPENT = /^(amount spent|потраченная сумма)\s*(?:\(([A-Za-z]{3})\))?$/i;

interface Columns {
  starts: number; ends: number; day: number; spent: number; spentCurrency?: string; mark: DecimalMark;
  campaign: number; campaignId: number; adSetId: number; adId: number; accountId: number; currency: number; impressions: number; clicks: number;
}

/** The header of an Ads Manager export: a spend column and the reporting period or a day. */
export function metaAdsHeader(cells: string[]): Columns | undefined {
  const spent = cells.findIndex((c) => SPENT.test(c.trim()));
  if (spent < 0) return undefined;
  const col = (name: keyof typeof NAMES) => columnOf(cells, NAMES[name]);
  const columns: Columns = {
    starts: col('starts'), ends: col('ends'), day: col('day'), spent,
    spentCurrency: SPENT.exec(cells[spent]!.trim())![2]?.toUpperCase(),
    mark: /[а-яё]/i.test(cells.join('')) ? ',' : '.',
    campaign: col('campaign'), campaignId: col('campaignId'), adSetId: col('adSetId'), adId: col('adId'),
    accountId: col('accountId'), currency: col('currency'), impressions: col('impressions'), clicks: col('clicks'),
  };
  // NAMES.clicks lists link clicks first: when both are exported, they are what CPC is usually about.
  const linkClicks = columnOf(cells, NAMES.clicks.slice(0, 2));
  if (linkClicks >= 0) columns.clicks = linkClicks;
  return columns.day >= 0 || columns.starts >= 0 ? columns : undefined;
}

const value = (cells: string[], i: number) => {
  const v = i >= 0 ? cells[i]?.trim() : undefined;
  return v === '' || v === '--' ? undefined : v;
};

export const metaAdsCsv: TableSpec<Columns> = {
  header: metaAdsHeader,
  row(cells, c, line, options) {
    // Ads Manager puts the total of all lines first, with no campaign named.
    if ((c.campaign >= 0 || c.campaignId >= 0) && !value(cells, c.campaign) && !value(cells, c.campaignId)) return { row: line, skip: 'a total line, not one campaign’s day' };
    const starts = parseReportDay(value(cells, c.starts));
    const ends = parseReportDay(value(cells, c.ends));
    const day = parseReportDay(value(cells, c.day)) ?? (starts && starts === ends ? starts : undefined);
    if (!day && starts && ends) {
      return { row: line, skip: `the line covers ${starts} to ${ends}, not one day: export with Breakdown → By time → Day` };
    }
    const raw = value(cells, c.spent);
    const amount = parseLocalizedNumber(raw, c.mark) ?? (raw === undefined ? parseLocalizedNumber('0', '.') : undefined);
    if (!amount) return { row: line, skip: `the amount spent "${raw}" is not a number` };
    return rowOutcome('meta_ads_csv', line, {
      date: day ?? value(cells, c.day),
      platform: 'meta',
      accountId: value(cells, c.accountId),
      campaignId: value(cells, c.campaignId),
      campaignName: value(cells, c.campaign),
      adGroupId: value(cells, c.adSetId),
      adId: value(cells, c.adId),
      amount,
      currency: value(cells, c.currency) ?? c.spentCurrency,
      clicks: parseCount(value(cells, c.clicks), c.mark),
      impressions: parseCount(value(cells, c.impressions), c.mark),
    }, options);
  },
};
