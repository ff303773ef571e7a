import type { Channel } from '../../events/common.js';
import type { SecretSpec, SourceFamily } from './adapter.js';

/**
 * What each provider is, apart from how its webhooks are read: its intake family, its channel and the
 * secrets a source of it needs. The adapters spread their entry; the sources admin API reads it without
 * bundling any adapter (or the phone library they need).
 */
/** Zadarma's `call_start` names no time zone: this one applies when the source sets none. */
export const ZADARMA_DEFAULT_TIME_ZONE = 'Europe/Moscow';

export const providerCatalog = {
  tilda: {
    family: 'forms',
    channel: 'web_form',
    secrets: [
      {
        name: 'token',
        description:
          'A long random string you choose; append it to the webhook URL in Tilda (Site settings → Forms → Webhook) as ?token=…',
        required: true,
      },
    ],
  },
  typeform: {
    family: 'forms',
    channel: 'web_form',
    secrets: [
      {
        name: 'secret',
        description: "The webhook's secret, set in Typeform under Connect → Webhooks → Edit → Secret",
        required: true,
      },
    ],
  },
  webflow: {
    family: 'forms',
    channel: 'web_form',
    secrets: [
      {
        name: 'secret',
        description:
          "The webhook's signing secret: returned when the webhook is created through the Webflow API (or your app's client secret for OAuth apps). Leave empty for webhooks added in the dashboard, which Webflow does not sign",
        required: false,
      },
    ],
  },
  signed_json: {
    family: 'forms',
    channel: 'web_form',
    secrets: [
      {
        name: 'secret',
        description: 'A long random string shared with the sender, which signs each request with it (see the X-Leadflow-Signature docs)',
        required: true,
      },
    ],
  },
  html_form: {
    family: 'forms',
    channel: 'web_form',
    secrets: [
      {
        name: 'key',
        description: "The source's form key; put it in the form's action URL as ?key=… or send it as an x-api-key header",
        required: true,
      },
    ],
  },
  meta_lead_ads: {
    family: 'ads',
    channel: 'ad_form',
    secrets: [
      { name: 'appSecret', description: 'App secret of the Meta app (App settings → Basic), signs every notification', required: true },
      { name: 'verifyToken', description: 'Any string you choose; enter the same one as Verify Token in the app\'s Webhooks settings', required: true },
      { name: 'accessToken', description: 'Page access token with leads_retrieval, used to read each lead from the Graph API', required: true },
    ],
  },
  google_ads: {
    family: 'ads',
    channel: 'ad_form',
    secrets: [
      { name: 'googleKey', description: 'The Key set under the lead form\'s Webhook integration in Google Ads; Google sends it back as google_key', required: true },
    ],
  },
  tiktok: {
    family: 'ads',
    channel: 'ad_form',
    secrets: [
      { name: 'token', description: 'A random token leadflow puts in the webhook URL given to TikTok (?token=...)', required: true },
      { name: 'clientSecret', description: 'Optional: the TikTok app\'s client secret; when set, TikTok-Signature is required too', required: false },
    ],
  },
  linkedin: {
    family: 'ads',
    channel: 'ad_form',
    secrets: [
      { name: 'clientSecret', description: 'Client Secret of the LinkedIn app (Developer Portal → Auth); signs challenges and notifications', required: true },
      { name: 'accessToken', description: 'OAuth token with r_marketing_leadgen_automation, used to read each lead', required: true },
    ],
  },
  twilio: {
    family: 'calls',
    channel: 'phone',
    secrets: [
      { name: 'authToken', description: 'The Auth Token of the Twilio account (Console → Account → API keys & tokens); Twilio signs every webhook with it.', required: true },
    ],
  },
  callrail: {
    family: 'calls',
    channel: 'phone',
    secrets: [
      { name: 'signingToken', description: 'The company\'s webhook signing token (CallRail → Settings → Integrations → Webhooks).', required: true },
    ],
  },
  mango_office: {
    family: 'calls',
    channel: 'phone',
    secrets: [
      { name: 'apiKey', description: 'The VPBX unique code (API key) from Mango Office → Integrations → API connection.', required: true },
      { name: 'apiSalt', description: 'The VPBX signing key (salt) from the same page.', required: true },
    ],
  },
  zadarma: {
    family: 'calls',
    channel: 'phone',
    secrets: [
      { name: 'apiSecret', description: 'The API secret (Zadarma → Settings → Integrations and API → Keys); Zadarma signs notifications with it.', required: true },
      { name: 'timeZone', description: `The PBX's time zone (IANA name): Zadarma's call_start has none. Default ${ZADARMA_DEFAULT_TIME_ZONE}.`, required: false },
    ],
  },
  call_webhook: {
    family: 'calls',
    channel: 'phone',
    secrets: [
      { name: 'signingSecret', description: 'A shared secret the sending system signs each request with (HMAC-SHA256), at least 32 random characters.', required: true },
    ],
  },
} as const satisfies Record<string, { family: SourceFamily; channel: Channel; secrets: readonly SecretSpec[] }>;

export type ProviderName = keyof typeof providerCatalog;
