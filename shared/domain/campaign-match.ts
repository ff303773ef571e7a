import type { Attribution } from '../../events/lead-captured.js';
import { normalizeCampaignName, type SpendRecord } from './spend.js';

/** How a campaign is recognized on a lead and on a spend row: by its id, or by its normalized name. */
export interface CampaignKey {
  kind: 'id' | 'name';
  value: string;
}

/** A campaign named by spend rows, as the import answer lists it when no lead came from it. */
export interface SpendCampaign {
  platform: string;
  campaignId?: string;
  campaignName?: string;
}

/** Longest campaign value kept in an index key (DynamoDB partition keys hold at most 2048 bytes). */
const MAX_VALUE = 300;

function keyOf(kind: CampaignKey['kind'], value: string | undefined): CampaignKey | undefined {
  const v = kind === 'name' ? normalizeCampaignName(value ?? '') : (value ?? '').trim();
  return v ? { kind, value: v.slice(0, MAX_VALUE) } : undefined;
}

/**
 * The campaign keys a lead carries: the ad platform's campaign id, and `utm_campaign`, which advertisers
 * fill with either the campaign's id (`{campaignid}`, `{{campaign.id}}` macros) or its name, so it
 * counts as both.
 */
export function leadCampaignKeys(attribution: Attribution): CampaignKey[] {
  const found = [keyOf('id', attribution.campaignId), keyOf('id', attribution.utm_campaign), keyOf('name', attribution.utm_campaign)];
  const unique = new Map<string, CampaignKey>();
  for (const key of found) if (key) unique.set(`${key.kind}#${key.value}`, key);
  return [...unique.values()];
}

/**
 * The keys a spend row's campaign can be found under: its id, else (or as well) its normalized name.
 * A row that names no campaign (account-level spend) has none.
 */
export function spendCampaignKeys(record: Pick<SpendRecord, 'campaignId' | 'campaignName'>): CampaignKey[] {
  return [keyOf('id', record.campaignId), keyOf('name', record.campaignName)].filter((k): k is CampaignKey => !!k);
}

/** The distinct campaigns of some spend rows, in first-seen order. */
export function campaignsOf(records: SpendRecord[]): SpendCampaign[] {
  const seen = new Map<string, SpendCampaign>();
  for (const r of records) {
    if (!r.campaignId && !r.campaignName) continue;
    const id = `${r.platform}\u0000${r.campaignId ?? ''}\u0000${r.campaignId ? '' : normalizeCampaignName(r.campaignName!)}`;
    if (!seen.has(id)) seen.set(id, { platform: r.platform, campaignId: r.campaignId, campaignName: r.campaignName });
  }
  return [...seen.values()];
}
