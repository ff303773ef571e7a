/**
 * One platform's spend for one day, account, campaign, ad group and ad (the spend contract shared by
 * spend import, the reports and attribution). Placeholder of the spend engineer's file, which replaces it.
 */
export interface SpendRecord {
  /** YYYY-MM-DD. */
  day: string;
  /** google_ads | meta | yandex_direct | yandex_metrica | vk_ads | tiktok | linkedin | other ... (lower snake). */
  platform: string;
  accountId?: string;
  campaignId?: string;
  campaignName?: string;
  adGroupId?: string;
  adId?: string;
  /** Decimal string. */
  amount: string;
  /** ISO 4217. */
  currency: string;
  clicks?: number;
  impressions?: number;
}
