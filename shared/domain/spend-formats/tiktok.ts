import { ValidationError } from '../errors.js';
import { parseCount } from './numbers.js';
import { rowOutcome, type RowOutcome, type SpendImportOptions } from './spend-file.js';

/*
 * A TikTok API for Business synchronous report (GET /open_api/v1.3/report/integrated/get/, report_type
 * BASIC): `code` (0 when it worked), `message`, and `data.list`, each row a `dimensions` object
 * (`campaign_id`, `adgroup_id` or `ad_id`, `advertiser_id`, `stat_time_day` as "YYYY-MM-DD HH:MM:SS")
 * and a `metrics` object whose numbers are strings (`spend`, `impressions`, `clicks`) beside attribute
 * metrics such as `campaign_name` and `currency`. Following business-api.tiktok.com/portal/docs
 * ("Run a synchronous report", v1.3) and its metrics glossary.
 */

interface TikTokRow {
  dimensions?: Record<string, string | number | undefined>;
  metrics?: Record<string, string | number | undefined>;
}

const text = (v: string | number | undefined) => (v === undefined || v === null || v === '' || v === '-' ? undefined : String(v));

export function readTikTok(doc: unknown, options: SpendImportOptions): RowOutcome[] {
  const d = doc as { code?: number; message?: string; data?: { list?: TikTokRow[] } };
  if (typeof d?.code === 'number' && d.code !== 0) {
    throw new ValidationError(`the file is a TikTok API error (code ${d.code}): ${String(d.message ?? '').slice(0, 300)}`);
  }
  return (d?.data?.list ?? []).map((r, i) => {
    const row = i + 1;
    const dims = r.dimensions ?? {};
    const m = r.metrics ?? {};
    const day = text(dims.stat_time_day)?.slice(0, 10);
    if (!day) return { row, skip: 'the row has no stat_time_day: add it to the report dimensions for daily spend' };
    return rowOutcome('tiktok', row, {
      date: day,
      platform: 'tiktok',
      accountId: text(dims.advertiser_id ?? m.advertiser_id),
      campaignId: text(dims.campaign_id ?? m.campaign_id),
      campaignName: text(m.campaign_name),
      adGroupId: text(dims.adgroup_id ?? m.adgroup_id),
      adId: text(dims.ad_id),
      amount: text(m.spend),
      currency: text(m.currency),
      clicks: parseCount(text(m.clicks)),
      impressions: parseCount(text(m.impressions)),
    }, options);
  });
}
