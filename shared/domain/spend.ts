/**
 * One day's spend of one platform, account, campaign, ad group and ad, as the spend import stores it.
 * Amounts are decimal strings in an ISO 4217 currency (see money.ts).
 */
export interface SpendRecord {
  /** YYYY-MM-DD */
  day: string;
  /** google_ads | meta | yandex_direct | yandex_metrica | vk_ads | tiktok | linkedin | other ... lower snake */
  platform: string;
  accountId?: string;
  campaignId?: string;
  campaignName?: string;
  adGroupId?: string;
  adId?: string;
  /** decimal string */
  amount: string;
  /** ISO 4217 */
  currency: string;
  clicks?: number;
  impressions?: number;
}
