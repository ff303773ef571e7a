import { parseCount, parseLocalizedNumber } from './numbers.js';
import { rowOutcome, type RowOutcome, type SpendImportOptions } from './spend-file.js';

/*
 * A VK Ads (myTarget) statistics answer: GET /api/v2/statistics/campaigns/day.json (or banners, for
 * ads; the v3 path answers the same shape) with `items`, one per campaign or banner `id`, each with
 * `rows` per `date` holding the `base` metrics (`shows`, `clicks`, `spent` as a decimal string in the
 * account currency, which the answer does not name). Following target.my.com/help/advertisers/api_statistic
 * (Statistics API v2) and the base metrics set.
 */

interface VkItem {
  id?: number | string;
  rows?: Array<{ date?: string; base?: { shows?: number | string; clicks?: number | string; spent?: string | number } }>;
}

export function readVkAds(doc: unknown, options: SpendImportOptions & { level?: 'campaign' | 'ad' }): RowOutcome[] {
  const items = ((doc as { items?: VkItem[] })?.items ?? []) as VkItem[];
  const outcomes: RowOutcome[] = [];
  let row = 0;
  for (const item of items) {
    for (const r of item.rows ?? []) {
      row++;
      const spent = r.base?.spent;
      const amount = spent === undefined ? undefined : parseLocalizedNumber(String(spent), '.');
      if (spent !== undefined && !amount) {
        outcomes.push({ row, skip: `spent "${String(spent)}" is not a number` });
        continue;
      }
      const id = item.id === undefined ? undefined : String(item.id);
      outcomes.push(rowOutcome('vk_ads', row, {
        date: r.date,
        platform: 'vk_ads',
        ...(options.level === 'ad' ? { adId: id } : { campaignId: id }),
        amount,
        clicks: parseCount(r.base?.clicks as string | number | undefined),
        impressions: parseCount(r.base?.shows as string | number | undefined),
      }, options));
    }
  }
  return outcomes;
}
