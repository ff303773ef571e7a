import type { LeadCaptured } from '../../events/lead-captured.js';

/** Which ad campaign a lead came from, as far as its capture tells; spend is matched to leads by it. */
export interface CampaignRef {
  /** The ad platform, in the spend rows' words (`google_ads`, `meta`, ...); absent when nothing names one. */
  platform?: string;
  campaignId?: string;
  campaignName?: string;
  adGroupId?: string;
  adId?: string;
  /** Where the lead came from when no platform is known: utm_source in lower snake case, or `direct`. */
  channel: string;
}

/** Ad-platform lead forms: the provider is the platform that paid for the lead. */
const PROVIDER_PLATFORM: Record<string, string> = {
  meta_lead_ads: 'meta',
  google_ads: 'google_ads',
  tiktok: 'tiktok',
  linkedin: 'linkedin',
};

/** utm_source values as ad platforms' own URL templates and common practice write them. */
const SOURCE_PLATFORM: Array<[RegExp, string]> = [
  [/^(google|adwords|google_ads|googleads)$/, 'google_ads'],
  [/^(facebook|fb|instagram|ig|meta)$/, 'meta'],
  [/^(yandex|yandex_direct|direct\.yandex|ya)$/, 'yandex_direct'],
  [/^(vk|vkontakte|vk_ads|mytarget)$/, 'vk_ads'],
  [/^tiktok$/, 'tiktok'],
  [/^linkedin$/, 'linkedin'],
  [/^(bing|microsoft|msads)$/, 'microsoft_ads'],
];

/** A click id names the platform that served the click even when no utm_source was set. */
const CLICK_ID_PLATFORM: Array<[keyof LeadCaptured['attribution'], string]> = [
  ['gclid', 'google_ads'], ['gbraid', 'google_ads'], ['wbraid', 'google_ads'],
  ['fbclid', 'meta'], ['yclid', 'yandex_direct'], ['ttclid', 'tiktok'], ['msclkid', 'microsoft_ads'],
];

const ORGANIC_MEDIUMS = new Set(['organic', 'referral', 'none', '(none)']);

/** Lowercase, trimmed, whitespace collapsed: the form campaign names are compared in. */
export function normalizeCampaignName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function snake(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9.]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64) || 'direct';
}

const NUMERIC_ID = /^\d{3,30}$/;

/**
 * The campaign a captured lead belongs to. An ad-platform lead carries the platform's campaign, ad set
 * and ad ids. A web lead names its campaign by `utm_id`, or by a `utm_campaign` (or a `campaignid` /
 * `campaign_id` form field) holding only digits, which is what Google's `{campaignid}` and Meta's
 * `{{campaign.id}}` macros put there; any other utm_campaign is the campaign's name.
 */
export function campaignOf(lead: Pick<LeadCaptured, 'provider' | 'attribution' | 'answers'>): CampaignRef {
  const a = lead.attribution;
  const source = a.utm_source?.trim().toLowerCase();
  const medium = a.utm_medium?.trim().toLowerCase();
  let platform = PROVIDER_PLATFORM[lead.provider];
  if (!platform && source && !(medium && ORGANIC_MEDIUMS.has(medium))) {
    platform = SOURCE_PLATFORM.find(([pattern]) => pattern.test(source))?.[1];
  }
  if (!platform) platform = CLICK_ID_PLATFORM.find(([key]) => a[key])?.[1];
  const answers = lead.answers ?? {};
  const answerId = [answers.campaignid, answers.campaign_id].find((v) => v && NUMERIC_ID.test(v.trim()))?.trim();
  const campaign = a.utm_campaign?.trim();
  const campaignId = a.campaignId?.trim() || a.utm_id?.trim() || (campaign && NUMERIC_ID.test(campaign) ? campaign : undefined) || answerId;
  const campaignName = campaign && !NUMERIC_ID.test(campaign) ? campaign : undefined;
  return {
    ...(platform ? { platform } : {}),
    ...(campaignId ? { campaignId } : {}),
    ...(campaignName ? { campaignName } : {}),
    ...(a.adsetId ? { adGroupId: a.adsetId } : {}),
    ...(a.adId ? { adId: a.adId } : {}),
    channel: platform ?? (source ? snake(source) : 'direct'),
  };
}
