import type { SourceAdapter } from './adapter.js';
import { googleAdsAdapter } from './google-ads.js';
import { linkedInAdapter } from './linkedin.js';
import { metaLeadAdsAdapter } from './meta-lead-ads.js';
import { tiktokAdapter } from './tiktok.js';

/** The ad-platform lead form adapters, served by the `ads` intake function (one bundle for the family). */
export const adAdapters: SourceAdapter[] = [metaLeadAdsAdapter, googleAdsAdapter, tiktokAdapter, linkedInAdapter];
