import type { SpendRecord } from '../domain/spend.js';
import { queryAll, type Table } from './table.js';

/*
 * Spend items, one per platform, account, day, campaign, ad group and ad:
 *   PK = SPEND#<YYYY-MM>, SK = <YYYY-MM-DD>#<platform>#<accountId|->#<campaignId|->#<adGroupId|->#<adId|->
 * (each part encodeURIComponent'ed), with `entity: 'spend'`, the SpendRecord fields, `updatedAt` and
 * `corrections`. Written by spend import; this module only reads them (the spend engineer's version of
 * this file replaces it at merge).
 */

function monthsBetween(fromDay: string, toDay: string): string[] {
  const months: string[] = [];
  let [year, month] = fromDay.slice(0, 7).split('-').map(Number) as [number, number];
  const last = toDay.slice(0, 7);
  for (;;) {
    const text = `${year}-${String(month).padStart(2, '0')}`;
    if (text > last) break;
    months.push(text);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

/** Spend rows of the days from `fromDay` to `toDay` (both included): one Query per month. */
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
    const { PK: _pk, SK: _sk, entity: _entity, updatedAt: _updated, corrections: _corrections, ...record } = item;
    return record as SpendRecord;
  });
}
