import { parseCount, parseLocalizedNumber, parseReportDay } from './numbers.js';
import { fromMicros, rowOutcome } from './spend-file.js';
import { type TableSpec } from './table-reader.js';

/*
 * A Yandex Direct Reports service answer (POST /json/v5/reports, Format TSV), as the API sends it and
 * as people save it: the report name on the first line (unless `skipReportHeader`), the header of the
 * requested FieldNames, one line per row, and "Total rows: N" last (unless `skipReportSummary`). Money is
 * in micros of the account currency unless the request said `returnMoneyInMicros: false`; `--` stands for
 * no value. The report names no currency. Following yandex.com/dev/direct/doc/en/report-format.md and
 * yandex.com/dev/direct/doc/en/example (clicks and cost by campaign and day).
 */

const SUMMARY = /^(total rows|всего строк)\s*:/i;

interface Columns {
  date: number;
  cost: number;
  campaignId: number;
  campaignName: number;
  adGroupId: number;
  adId: number;
  clicks: number;
  impressions: number;
}

/** The header of a Reports TSV: the API's field names, exactly as requested. */
export function yandexDirectHeader(cells: string[]): Columns | undefined {
  const at = (name: string) => cells.indexOf(name);
  const columns = {
    date: at('Date'), cost: at('Cost'), campaignId: at('CampaignId'), campaignName: at('CampaignName'),
    adGroupId: at('AdGroupId'), adId: at('AdId'), clicks: at('Clicks'), impressions: at('Impressions'),
  };
  return columns.date >= 0 && columns.cost >= 0 ? columns : undefined;
}

const value = (cells: string[], i: number) => {
  const v = i >= 0 ? cells[i]?.trim() : undefined;
  return v === '--' || v === '' ? undefined : v;
};

export const yandexDirectTsv: TableSpec<Columns> = {
  header: yandexDirectHeader,
  row(cells, c, line, options) {
    if (SUMMARY.test(cells[0]?.trim() ?? '')) return undefined;
    const raw = value(cells, c.cost);
    // Micros are whole numbers; an amount with a point was asked for with returnMoneyInMicros: false.
    const inMicros = options.micros ?? (raw !== undefined && /^-?\d+$/.test(raw));
    const amount = raw === undefined ? undefined : inMicros ? fromMicros(raw) : parseLocalizedNumber(raw, '.');
    if (raw !== undefined && !amount) return { row: line, skip: `the cost "${raw}" is not ${inMicros ? 'a whole number of micros' : 'a number'}` };
    const date = value(cells, c.date);
    const day = parseReportDay(date);
    if (date && !day) return { row: line, skip: `"${date}" is not a day written YYYY-MM-DD` };
    return rowOutcome('yandex_direct', line, {
      date: day,
      platform: 'yandex_direct',
      campaignId: value(cells, c.campaignId),
      campaignName: value(cells, c.campaignName),
      adGroupId: value(cells, c.adGroupId),
      adId: value(cells, c.adId),
      amount,
      clicks: parseCount(value(cells, c.clicks)),
      impressions: parseCount(value(cells, c.impressions)),
    }, options);
  },
};
