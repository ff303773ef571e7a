import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { sameFigures, spendKeyParts, type SpendRecord } from '../../shared/domain/spend.js';
import { importSpendFile, MAX_LISTED, recordSpendRows, type ImportSpendDeps } from '../../shared/spend/import-spend.js';

/** The spend port and campaign index in memory: the same insert / replace / unchanged rules as the table. */
function memoryDeps(seenKeys: string[] = []): ImportSpendDeps & { stored: Map<string, SpendRecord> } {
  const stored = new Map<string, SpendRecord>();
  return {
    stored,
    now: () => new Date('2026-12-01T00:00:00Z'),
    spend: {
      async save(records) {
        const result = { inserted: 0, replaced: 0, unchanged: 0 };
        for (const r of records) {
          const key = spendKeyParts(r).join('#');
          const old = stored.get(key);
          result[!old ? 'inserted' : sameFigures(old, r) ? 'unchanged' : 'replaced']++;
          stored.set(key, r);
        }
        return result;
      },
    },
    campaigns: { seen: async (keys) => new Set(keys.map((k) => `${k.kind}#${k.value}`).filter((k) => seenKeys.includes(k))) },
  };
}

const row = { date: '2026-11-01', platform: 'google_ads', campaignId: '1', amount: '5', currency: 'USD' };

describe('importing spend', () => {
  it('counts inserted, replaced and unchanged rows across two sends', async () => {
    const deps = memoryDeps();
    expect(await recordSpendRows(deps, [row, { ...row, campaignId: '2' }])).toMatchObject({ read: 2, inserted: 2 });
    expect(await recordSpendRows(deps, [{ ...row, amount: '5.00' }, { ...row, campaignId: '2', amount: '6' }])).toMatchObject({ inserted: 0, replaced: 1, unchanged: 1 });
  });

  it('lists campaigns no lead came from, matching a lead by campaign id or by normalized name', async () => {
    const deps = memoryDeps(['id#1', 'name#spring sale']);
    const result = await recordSpendRows(deps, [
      row,
      { ...row, campaignId: undefined, campaignName: '  Spring   SALE ', accountId: 'a' },
      { ...row, campaignId: '3', campaignName: 'Winter' },
      { ...row, campaignId: undefined, accountId: 'b' },
    ]);
    expect(result.unmatchedCampaigns).toEqual([{ platform: 'google_ads', campaignId: '3', campaignName: 'Winter' }]);
  });

  it('answers 400 when no row is valid and a body that is not rows at all', async () => {
    await expect(recordSpendRows(memoryDeps(), [{ ...row, amount: 'ten' }])).rejects.toBeInstanceOf(ValidationError);
    await expect(recordSpendRows(memoryDeps(), { spend: [] })).rejects.toThrow(/no spend row is valid/);
    await expect(recordSpendRows(memoryDeps(), [])).rejects.toThrow(/no spend rows/);
  });

  it('keeps two name-only campaigns of one day apart rather than adding them under one name', async () => {
    const result = await recordSpendRows(memoryDeps(), [
      { ...row, campaignId: undefined, campaignName: 'A' },
      { ...row, campaignId: undefined, campaignName: 'B' },
    ]);
    expect(result).toMatchObject({ inserted: 1, skipped: 1 });
    expect(result.skippedRows[0]!.reason).toMatch(/send campaignId/);
  });

  it('keeps the answer small: lists stop at the limit, counts stay exact', async () => {
    const lines = Array.from({ length: MAX_LISTED + 20 }, (_, i) => `2026-11-01,${i},-1,USD`).join('\n');
    const result = await importSpendFile(memoryDeps(), Buffer.from(`Day,Campaign ID,Cost,Currency code\n${lines}\n2026-11-01,x,1,USD\n`), {});
    expect(result).toMatchObject({ read: MAX_LISTED + 21, inserted: 1, skipped: MAX_LISTED + 20, more: { skippedRows: 20 } });
    expect(result.skippedRows).toHaveLength(MAX_LISTED);
  });
});
