import type { SpendConnection } from '../domain/spend-connection.js';
import type { ParsedSpend } from '../domain/spend.js';
import { readGoogleAdsApi } from '../domain/spend-formats/google-ads-api.js';
import { metaInsightsOutcome, type MetaInsightsRow } from '../domain/spend-formats/meta-insights.js';
import { parseSpendFile } from '../domain/spend-formats/parse-spend-file.js';
import { collectOutcomes, type RowOutcome } from '../domain/spend-formats/spend-file.js';
import { DEFAULT_RETRY_POLICY, networkFailure, retryAfterHeader, withRetries, type AttemptOutcome, type RetryPolicy } from '../sources/provider-api.js';

/** Where each platform's API is; tests point these at local stand-ins. */
export interface SpendApis {
  metaGraphUrl: string;
  metaGraphVersion: string;
  googleAdsUrl: string;
  googleAdsVersion: string;
  googleOAuthUrl: string;
  yandexDirectUrl: string;
}

/** The APIs from the environment, defaulting to the platforms' own hosts. */
export function spendApisFromEnv(env: NodeJS.ProcessEnv = process.env): SpendApis {
  return {
    metaGraphUrl: env.META_GRAPH_URL?.trim() || 'https://graph.facebook.com',
    metaGraphVersion: env.META_GRAPH_VERSION?.trim() || 'v21.0',
    googleAdsUrl: env.GOOGLE_ADS_API_URL?.trim() || 'https://googleads.googleapis.com',
    googleAdsVersion: env.GOOGLE_ADS_API_VERSION?.trim() || 'v21',
    googleOAuthUrl: env.GOOGLE_OAUTH_URL?.trim() || 'https://oauth2.googleapis.com',
    yandexDirectUrl: env.YANDEX_DIRECT_URL?.trim() || 'https://api.direct.yandex.com',
  };
}

export interface PullContext {
  apis: SpendApis;
  secrets: Record<string, string>;
  from: string;
  to: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
}

/** Bounded so one account with thousands of campaigns cannot page forever. */
const MAX_PAGES = 200;
const TIMEOUT_MS = 30_000;

/** One HTTP call with the shared retry policy: 429 and 5xx are retried (honouring Retry-After), others fail. */
async function call(provider: string, ctx: PullContext, url: string, init: RequestInit): Promise<{ status: number; headers: Headers; text: string }> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...ctx.retry };
  return withRetries(
    provider,
    async (): Promise<AttemptOutcome<{ status: number; headers: Headers; text: string }>> => {
      let response: Response;
      try {
        response = await (ctx.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        return networkFailure(error);
      }
      const text = await response.text();
      if (response.ok) return { ok: true, value: { status: response.status, headers: response.headers, text } };
      const retryable = response.status === 429 || response.status >= 500;
      return { ok: false, retryable, status: response.status, message: `HTTP ${response.status}: ${text.slice(0, 300)}`, retryAfterSeconds: retryAfterHeader(response.headers.get('retry-after')) };
    },
    policy,
  );
}

/**
 * Meta Insights for the ad account, one row per campaign and day (`level=campaign`, `time_increment=1`),
 * following `paging.next` only while it stays on the Graph host.
 */
export async function pullMeta(connection: SpendConnection, ctx: PullContext): Promise<ParsedSpend> {
  const base = `${ctx.apis.metaGraphUrl.replace(/\/+$/, '')}/${ctx.apis.metaGraphVersion}/act_${connection.accountId}/insights`;
  const query = new URLSearchParams({
    level: 'campaign',
    time_increment: '1',
    fields: 'account_id,account_currency,campaign_id,campaign_name,spend,impressions,clicks,date_start,date_stop',
    time_range: JSON.stringify({ since: ctx.from, until: ctx.to }),
    limit: '500',
  });
  const outcomes: RowOutcome[] = [];
  let url: string | undefined = `${base}?${query}`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const answer = await call('meta', ctx, url, { headers: { authorization: `Bearer ${ctx.secrets.accessToken}` } });
    const doc = JSON.parse(answer.text) as { data?: MetaInsightsRow[]; paging?: { next?: string } };
    for (const row of doc.data ?? []) outcomes.push(metaInsightsOutcome(row, outcomes.length + 1, { currency: connection.currency }));
    const next = doc.paging?.next;
    url = next && new URL(next).origin === new URL(base).origin ? next : undefined;
  }
  return collectOutcomes(outcomes);
}

/** A Google OAuth access token from the connection's refresh token. */
async function googleAccessToken(ctx: PullContext): Promise<string> {
  const answer = await call('google_ads', ctx, `${ctx.apis.googleOAuthUrl.replace(/\/+$/, '')}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: ctx.secrets.clientId ?? '',
      client_secret: ctx.secrets.clientSecret ?? '',
      refresh_token: ctx.secrets.refreshToken ?? '',
    }),
  });
  const token = (JSON.parse(answer.text) as { access_token?: string }).access_token;
  if (!token) throw new Error('Google OAuth answered without an access_token');
  return token;
}

/** Google Ads `searchStream` with a GAQL query for each campaign's cost per day. */
export async function pullGoogleAds(connection: SpendConnection, ctx: PullContext): Promise<ParsedSpend> {
  const token = await googleAccessToken(ctx);
  const query =
    'SELECT customer.id, customer.currency_code, campaign.id, campaign.name, segments.date, metrics.cost_micros, metrics.clicks, metrics.impressions ' +
    `FROM campaign WHERE segments.date BETWEEN '${ctx.from}' AND '${ctx.to}'`;
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'developer-token': ctx.secrets.developerToken ?? '',
    'content-type': 'application/json',
  };
  if (connection.loginCustomerId) headers['login-customer-id'] = connection.loginCustomerId;
  const url = `${ctx.apis.googleAdsUrl.replace(/\/+$/, '')}/${ctx.apis.googleAdsVersion}/customers/${connection.accountId}/googleAds:searchStream`;
  const answer = await call('google_ads', ctx, url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return collectOutcomes(readGoogleAdsApi(JSON.parse(answer.text), { currency: connection.currency }));
}

/** Waits the Reports service asks for between polls of an offline report, at most this long in all. */
const YANDEX_MAX_WAIT_MS = 120_000;

/**
 * Yandex Direct Reports, TSV, costs in currency units (`returnMoneyInMicros: false`). The service may
 * answer 201/202 (report queued or being built) with `retryIn` seconds; the same request is sent again
 * after that wait until it answers 200 with the report.
 */
export async function pullYandexDirect(
  connection: SpendConnection,
  ctx: PullContext & { sleep?: (ms: number) => Promise<void> },
): Promise<ParsedSpend> {
  const body = JSON.stringify({
    params: {
      SelectionCriteria: { DateFrom: ctx.from, DateTo: ctx.to },
      FieldNames: ['Date', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Cost'],
      // The service caches reports by name: a name per period keeps a re-pull from getting an older one.
      ReportName: `leadflow spend ${ctx.from} ${ctx.to} ${Date.now()}`,
      ReportType: 'CAMPAIGN_PERFORMANCE_REPORT',
      DateRangeType: 'CUSTOM_DATE',
      Format: 'TSV',
      IncludeVAT: 'NO',
    },
  });
  const headers: Record<string, string> = {
    authorization: `Bearer ${ctx.secrets.token}`,
    'accept-language': 'en',
    processingMode: 'auto',
    returnMoneyInMicros: 'false',
    'content-type': 'application/json; charset=utf-8',
  };
  if (connection.accountId) headers['Client-Login'] = connection.accountId;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let waited = 0;
  for (;;) {
    const answer = await call('yandex_direct', ctx, `${ctx.apis.yandexDirectUrl.replace(/\/+$/, '')}/json/v5/reports`, { method: 'POST', headers, body });
    if (answer.status === 200) return parseSpendFile(answer.text, { format: 'yandex_direct', currency: connection.currency, micros: false });
    const retryIn = Math.max(1, Number(answer.headers.get('retryIn')) || 5) * 1000;
    if (waited + retryIn > YANDEX_MAX_WAIT_MS) throw new Error(`the Yandex Direct report was still being built after ${waited / 1000} s`);
    waited += retryIn;
    await sleep(retryIn);
  }
}
