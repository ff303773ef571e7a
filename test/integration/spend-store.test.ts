import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpendRecord } from '../../shared/domain/spend.js';
import { campaignKeysSeen, recordLeadCampaigns } from '../../shared/store/campaign-store.js';
import { keys } from '../../shared/store/keys.js';
import { readSpend, readStoredSpend, saveSpend, MAX_CORRECTIONS } from '../../shared/store/spend-store.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());

const row = (over: Partial<SpendRecord> = {}): SpendRecord => ({
  day: '2026-11-28', platform: 'google_ads', accountId: '123-456-7890', campaignId: '111', amount: '10.5', currency: 'USD', clicks: 3, ...over,
});

describe('spend store on DynamoDB Local', () => {
  it('inserts new days, leaves equal figures alone and replaces revised ones, keeping the earlier figure', async () => {
    const first = await saveSpend(table, [row(), row({ day: '2026-11-29', amount: '4' })], new Date('2026-11-29T06:00:00Z'));
    expect(first).toEqual({ inserted: 2, replaced: 0, unchanged: 0 });
    // The same figures written differently ("10.50") are the same amount.
    const again = await saveSpend(table, [row({ amount: '10.50' }), row({ day: '2026-11-29', amount: '4.75', clicks: 4 })], new Date('2026-11-30T06:00:00Z'));
    expect(again).toEqual({ inserted: 0, replaced: 1, unchanged: 1 });
    const stored = await readStoredSpend(table, '2026-11-29', '2026-11-29');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ amount: '4.75', clicks: 4, updatedAt: '2026-11-30T06:00:00.000Z' });
    expect(stored[0]!.corrections).toEqual([{ amount: '4', currency: 'USD', clicks: 3, replacedAt: '2026-11-30T06:00:00.000Z' }]);
  });

  it('stores the contract key: SPEND#month, the day and each id part URI-encoded, - for an absent part', async () => {
    await saveSpend(table, [row({ day: '2026-10-05', campaignId: 'a#b c', accountId: undefined })]);
    const key = keys.spend('2026-10-05', 'google_ads', undefined, 'a#b c');
    expect(key).toEqual({ PK: 'SPEND#2026-10', SK: '2026-10-05#google_ads#-#a%23b%20c#-#-' });
    const [read] = await readSpend(table, '2026-10-05', '2026-10-05');
    expect(read).toEqual({ day: '2026-10-05', platform: 'google_ads', campaignId: 'a#b c', amount: '10.5', currency: 'USD', clicks: 3 });
  });

  it('reads a period across months with one query each, and nothing outside it', async () => {
    await saveSpend(table, [
      row({ day: '2026-08-31', platform: 'meta' }),
      row({ day: '2026-09-01', platform: 'meta' }),
      row({ day: '2026-09-30', platform: 'meta' }),
      row({ day: '2026-10-01', platform: 'meta' }),
    ]);
    const days = (await readSpend(table, '2026-09-01', '2026-09-30')).filter((r) => r.platform === 'meta').map((r) => r.day);
    expect(days).toEqual(['2026-09-01', '2026-09-30']);
    const across = (await readSpend(table, '2026-08-31', '2026-10-01')).filter((r) => r.platform === 'meta').map((r) => r.day);
    expect(across).toEqual(['2026-08-31', '2026-09-01', '2026-09-30', '2026-10-01']);
  });

  it('keeps a renamed campaign’s new name without counting it as a correction', async () => {
    await saveSpend(table, [row({ day: '2026-07-01', campaignName: 'Old name' })]);
    const renamed = await saveSpend(table, [row({ day: '2026-07-01', campaignName: 'New name' })]);
    expect(renamed).toEqual({ inserted: 0, replaced: 0, unchanged: 1 });
    const [stored] = await readStoredSpend(table, '2026-07-01', '2026-07-01');
    expect(stored).toMatchObject({ campaignName: 'New name', corrections: [] });
  });

  it('keeps the newest corrections only, so an item revised daily for months stays bounded', async () => {
    for (let i = 1; i <= MAX_CORRECTIONS + 3; i++) await saveSpend(table, [row({ day: '2026-06-01', amount: String(i) })]);
    const [stored] = await readStoredSpend(table, '2026-06-01', '2026-06-01');
    expect(stored!.amount).toBe(String(MAX_CORRECTIONS + 3));
    expect(stored!.corrections).toHaveLength(MAX_CORRECTIONS);
    expect(stored!.corrections.at(-1)!.amount).toBe(String(MAX_CORRECTIONS + 2));
  });

  it('saves concurrent revisions of one day without losing any of them from the history', async () => {
    await saveSpend(table, [row({ day: '2026-05-01', amount: '1' })]);
    await Promise.all(['2', '3', '4', '5'].map((amount) => saveSpend(table, [row({ day: '2026-05-01', amount })])));
    const [stored] = await readStoredSpend(table, '2026-05-01', '2026-05-01');
    const history = [...stored!.corrections.map((c) => c.amount), stored!.amount].sort();
    expect(history).toEqual(['1', '2', '3', '4', '5']);
  });

  it('saves more records than one batch read holds', async () => {
    const many = Array.from({ length: 230 }, (_, i) => row({ day: '2026-04-02', campaignId: `c${i}` }));
    expect(await saveSpend(table, many)).toEqual({ inserted: 230, replaced: 0, unchanged: 0 });
    expect(await readSpend(table, '2026-04-02', '2026-04-02')).toHaveLength(230);
  });

  it('tells which campaign ids and names some lead carried', async () => {
    await recordLeadCampaigns(table, [{ kind: 'id', value: '111' }, { kind: 'name', value: 'spring sale' }], '2026-11-28T10:00:00Z');
    const seen = await campaignKeysSeen(table, [
      { kind: 'id', value: '111' },
      { kind: 'id', value: '222' },
      { kind: 'name', value: 'spring sale' },
      { kind: 'name', value: 'winter' },
    ]);
    expect([...seen].sort()).toEqual(['id#111', 'name#spring sale']);
  });
});
