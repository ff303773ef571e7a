import { hookHandler } from '../../shared/intake/hook-handler.js';
import { adAdapters } from '../../shared/sources/ads.js';

/** `/v1/hooks/{meta_lead_ads|google_ads|tiktok|linkedin}/{sourceId}`: ad-platform lead-form webhooks. */
export const handler = hookHandler(adAdapters);
