import type { CampaignKey } from '../domain/campaign-match.js';
import { keys } from './keys.js';
import { getAll, putAll, type Table } from './table.js';

/**
 * Notes that a lead arrived from these campaigns. One item per campaign key, written again by every
 * lead (a put, so redelivered events change nothing but `lastLeadAt`), so "did any lead come from this
 * campaign" is one read by key, whatever the number of leads.
 */
export async function recordLeadCampaigns(table: Table, campaignKeys: CampaignKey[], capturedAt: string): Promise<void> {
  if (!campaignKeys.length) return;
  await putAll(
    table,
    campaignKeys.map((k) => ({ ...keys.campaignSeen(k.kind, k.value), entity: 'campaign_seen', kind: k.kind, value: k.value, lastLeadAt: capturedAt })),
  );
}

/** Which of these campaign keys some lead carried, as `kind#value` strings. */
export async function campaignKeysSeen(table: Table, campaignKeys: CampaignKey[]): Promise<Set<string>> {
  const unique = [...new Map(campaignKeys.map((k) => [`${k.kind}#${k.value}`, k])).values()];
  const seen = new Set<string>();
  for (let i = 0; i < unique.length; i += 100) {
    const found = await getAll(table, unique.slice(i, i + 100).map((k) => keys.campaignSeen(k.kind, k.value)));
    for (const item of found) seen.add(`${item.kind}#${item.value}`);
  }
  return seen;
}
