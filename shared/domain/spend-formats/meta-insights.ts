import { ValidationError } from '../errors.js';
import { parseCount } from './numbers.js';
import { rowOutcome, type RowOutcome, type SpendImportOptions } from './spend-file.js';

/*
 * A Meta Marketing API Insights answer (GET /<act_id>/insights, or a campaign's /insights): `data`, one
 * object per row with every number as a string (`spend`, `impressions`, `clicks`), `date_start` and
 * `date_stop` per row, and `paging`; ask with `time_increment=1` for one row per day and
 * `fields=account_id,account_currency,campaign_id,campaign_name,spend,impressions,clicks`. A bare array of
 * such rows (pages joined by hand) is read too. Following
 * developers.facebook.com/docs/marketing-api/insights and its parameters reference.
 */

export interface MetaInsightsRow {
  account_id?: string;
  account_currency?: string;
  campaign_id?: string;
  campaign_name?: string;
  adset_id?: string;
  ad_id?: string;
  date_start?: string;
  date_stop?: string;
  spend?: string | number;
  impressions?: string | number;
  clicks?: string | number;
}

/** The rows of an Insights answer; an error answer is a 400 that quotes it. */
export function metaInsightsRows(doc: unknown): MetaInsightsRow[] {
  if (Array.isArray(doc)) return doc as MetaInsightsRow[];
  const d = doc as { data?: unknown; error?: { message?: string } };
  if (d?.error) throw new ValidationError(`the file is a Meta API error: ${String(d.error.message ?? 'no message').slice(0, 300)}`);
  return Array.isArray(d?.data) ? (d.data as MetaInsightsRow[]) : [];
}

/** One Insights row as an outcome; `row` numbers it for the answer. */
export function metaInsightsOutcome(r: MetaInsightsRow, row: number, options: SpendImportOptions): RowOutcome {
  if (r.date_start && r.date_stop && r.date_start !== r.date_stop) {
    return { row, skip: `the row covers ${r.date_start} to ${r.date_stop}, not one day: export with time_increment=1 (daily)` };
  }
  const spend = r.spend === undefined ? undefined : String(r.spend);
  return rowOutcome('meta_insights', row, {
    date: r.date_start,
    platform: 'meta',
    // Ad account ids are written with or without the act_ prefix; leadflow stores the number.
    accountId: r.account_id?.replace(/^act_/, ''),
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    adGroupId: r.adset_id,
    adId: r.ad_id,
    amount: spend,
    currency: r.account_currency,
    clicks: parseCount(r.clicks as string | undefined),
    impressions: parseCount(r.impressions as string | undefined),
  }, options);
}

export function readMetaInsights(doc: unknown, options: SpendImportOptions): RowOutcome[] {
  return metaInsightsRows(doc).map((r, i) => metaInsightsOutcome(r, i + 1, options));
}
