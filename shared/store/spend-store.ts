import type { SpendRecord } from '../domain/spend.js';
import { queryAll, type Table } from './table.js';

/** Every month (YYYY-MM) from the month of `fromDay` to the month of `toDay`. */
function monthsBetween(fromDay: string, toDay: string): string[] {
  const months: string[] = [];
  let [y, m] = fromDay.slice(0, 7).split('-').map(Number) as [number, number];
  const last = toDay.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) return months;
    months.push(month);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
}

/**
 * The spend rows of the days from `fromDay` to `toDay` (both included): one Query per month partition
 * (`SPEND#<YYYY-MM>`), sort keys between the first day and the last day's every row.
 */
export async function readSpend(table: Table, fromDay: string, toDay: string): Promise<SpendRecord[]> {
  const pages = await Promise.all(
    monthsBetween(fromDay, toDay).map((month) =>
      queryAll(table, {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `SPEND#${month}`, ':from': fromDay, ':to': `${toDay}~` },
      }),
    ),
  );
  return pages.flat().map((item) => {
    const record: SpendRecord = { day: item.day, platform: item.platform, amount: item.amount, currency: item.currency };
    for (const field of ['accountId', 'campaignId', 'campaignName', 'adGroupId', 'adId'] as const) {
      if (typeof item[field] === 'string') record[field] = item[field];
    }
    if (typeof item.clicks === 'number') record.clicks = item.clicks;
    if (typeof item.impressions === 'number') record.impressions = item.impressions;
    return record;
  });
}
