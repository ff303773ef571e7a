import { ValidationError } from '../errors.js';
import { parseCount } from './numbers.js';
import { fromMicros, rowOutcome, type RowOutcome, type SpendImportOptions } from './spend-file.js';

/*
 * A Google Ads API answer to GoogleAdsService.SearchStream (a JSON array of batches, each with
 * `results`) or Search (one object with `results`), for a GAQL query such as
 *   SELECT customer.id, customer.currency_code, campaign.id, campaign.name, segments.date,
 *          metrics.cost_micros, metrics.clicks, metrics.impressions FROM campaign
 * in the REST form: camelCase names, int64 values (`costMicros`, `clicks`, ids) as strings. Following
 * developers.google.com/google-ads/api/rest/reference/rest/latest/customers.googleAds/searchStream and
 * developers.google.com/google-ads/api/docs/reporting/example.
 */

interface GoogleAdsRow {
  customer?: { id?: string; currencyCode?: string; resourceName?: string };
  campaign?: { id?: string; name?: string; resourceName?: string };
  adGroup?: { id?: string };
  adGroupAd?: { ad?: { id?: string } };
  metrics?: { costMicros?: string | number; clicks?: string | number; impressions?: string | number };
  segments?: { date?: string };
}

/** The rows of a SearchStream or Search answer; an error answer is a 400 that quotes it. */
export function googleAdsApiRows(doc: unknown): GoogleAdsRow[] {
  const batches = Array.isArray(doc) ? doc : [doc];
  const rows: GoogleAdsRow[] = [];
  for (const batch of batches) {
    const b = batch as { results?: unknown; error?: { message?: string } };
    if (b?.error) throw new ValidationError(`the file is a Google Ads API error: ${String(b.error.message ?? 'no message').slice(0, 300)}`);
    if (Array.isArray(b?.results)) rows.push(...(b.results as GoogleAdsRow[]));
  }
  return rows;
}

/** The customer id a row belongs to, from `customer.id` or the campaign's resource name `customers/<id>/...`. */
function customerOf(row: GoogleAdsRow): string | undefined {
  return row.customer?.id ?? (row.campaign?.resourceName ?? row.customer?.resourceName)?.match(/^customers\/(\d+)/)?.[1];
}

export function readGoogleAdsApi(doc: unknown, options: SpendImportOptions): RowOutcome[] {
  return googleAdsApiRows(doc).map((r, i) => {
    const row = i + 1;
    const cost = r.metrics?.costMicros;
    const amount = cost === undefined ? undefined : fromMicros(cost);
    if (cost !== undefined && !amount) return { row, skip: `costMicros "${String(cost)}" is not a whole number of micros` };
    if (!r.segments?.date) return { row, skip: 'the row has no segments.date: select segments.date for daily spend' };
    return rowOutcome('google_ads_api', row, {
      date: r.segments.date,
      platform: 'google_ads',
      accountId: customerOf(r),
      campaignId: r.campaign?.id,
      campaignName: r.campaign?.name,
      adGroupId: r.adGroup?.id,
      adId: r.adGroupAd?.ad?.id,
      amount,
      currency: r.customer?.currencyCode,
      clicks: parseCount(r.metrics?.clicks as string | number | undefined),
      impressions: parseCount(r.metrics?.impressions as string | number | undefined),
    }, options);
  });
}
