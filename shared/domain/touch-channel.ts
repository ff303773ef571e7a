/**
 * The marketing channel of a touchpoint, named like the spend platforms (`google_ads`, `meta`, ...) where
 * the touch came from a paid platform, so attribution and spend meet on the same name for ROMI.
 */

/** What a stored touchpoint tells about where it came from. */
export interface TouchOrigin {
  /** The intake channel: web_form, ad_form, phone, ... */
  channel: string;
  /** The provider of the source it came through (meta_lead_ads, google_ads, twilio, html_form, ...). */
  provider?: string;
  attribution?: Record<string, string>;
}

/** Click ids name their platform unambiguously. */
const CLICK_IDS: Array<[string, string]> = [
  ['gclid', 'google_ads'], ['gbraid', 'google_ads'], ['wbraid', 'google_ads'],
  ['fbclid', 'meta'], ['yclid', 'yandex_direct'], ['msclkid', 'microsoft_ads'], ['ttclid', 'tiktok'],
];

/** Ad-form providers are their platform. */
const AD_PROVIDERS: Record<string, string> = {
  meta_lead_ads: 'meta', google_ads: 'google_ads', tiktok: 'tiktok', linkedin: 'linkedin',
};

/** Paid mediums as marketers tag them; with one of these, utm_source names a platform. */
const PAID_MEDIUM = /^(cpc|ppc|paid|paidsearch|paid_search|paid-search|paidsocial|paid_social|paid-social|cpm|display|banner|ads?)$/;

const PAID_SOURCES: Record<string, string> = {
  google: 'google_ads', adwords: 'google_ads', facebook: 'meta', fb: 'meta', instagram: 'meta', ig: 'meta', meta: 'meta',
  yandex: 'yandex_direct', 'yandex.direct': 'yandex_direct', yandex_direct: 'yandex_direct', vk: 'vk_ads', vkontakte: 'vk_ads',
  tiktok: 'tiktok', linkedin: 'linkedin', bing: 'microsoft_ads', microsoft: 'microsoft_ads',
};

/** A campaign-like label as keys and spend matching use it: lowercase, trimmed, whitespace collapsed. */
export function normalizeLabel(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Whether the touch came with nothing that says where from: no campaign tags, click id or referrer. */
export function isDirect(touch: TouchOrigin): boolean {
  const a = touch.attribution ?? {};
  if (touch.channel === 'ad_form' || (touch.provider && AD_PROVIDERS[touch.provider])) return false;
  return !a.utm_source && !a.utm_medium && !a.utm_campaign && !a.referrer && !CLICK_IDS.some(([k]) => a[k]);
}

/**
 * The touch's marketing channel: a click id's platform; an ad-form provider's platform; utm_source with a
 * paid medium as its platform (`google` + `cpc` → `google_ads`); other utm_source values as written,
 * normalized (`newsletter`); `referral` for a referrer alone; else `direct`.
 */
export function marketingChannelOf(touch: TouchOrigin): string {
  const a = touch.attribution ?? {};
  const clicked = CLICK_IDS.find(([k]) => a[k]);
  if (clicked) return clicked[1];
  const provider = touch.provider ? AD_PROVIDERS[touch.provider] : undefined;
  if (provider) return provider;
  if (a.utm_source) {
    const source = normalizeLabel(a.utm_source);
    const platform = PAID_SOURCES[source];
    if (platform && a.utm_medium && PAID_MEDIUM.test(normalizeLabel(a.utm_medium))) return platform;
    return source.replace(/[^a-z0-9._-]+/g, '_').slice(0, 64) || 'other';
  }
  if (a.referrer) return 'referral';
  return touch.channel === 'ad_form' ? 'ad_form' : 'direct';
}

/** The touch's campaign: utm_campaign (normalized), else the platform's campaign id, else `-`. */
export function campaignOf(touch: TouchOrigin): string {
  const a = touch.attribution ?? {};
  if (a.utm_campaign) return normalizeLabel(a.utm_campaign).slice(0, 128);
  if (a.campaignId) return a.campaignId.slice(0, 128);
  return '-';
}
