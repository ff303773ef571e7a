import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request one of the stand-ins received, body included. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface AdApiStandIn {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

async function serve(handle: (req: SeenRequest, url: string) => Answer): Promise<AdApiStandIn> {
  const requests: SeenRequest[] = [];
  let base = '';
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(seen);
    const answer = handle(seen, base);
    res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/tab-separated-values' : 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    }),
  };
}

const graphError = (code: number, message: string) => ({ error: { message, type: 'OAuthException', code, fbtrace_id: 'StandIn' } });

/**
 * Meta's `GET /<version>/act_<id>/insights` as the Marketing API answers it: refuses a wrong token
 * (400, code 190) and a query without `level`, `time_increment=1`, `fields` or a `time_range`, and
 * serves `rows` in pages of two, each but the last with `paging.next` on its own host.
 */
export function startMetaInsightsStandIn(options: { accessToken: string; accountId: string; rows: Array<Record<string, string>> }): Promise<AdApiStandIn> {
  return serve((req, base) => {
    if (req.headers.authorization !== `Bearer ${options.accessToken}` && req.query.get('access_token') !== options.accessToken) {
      return { status: 400, body: graphError(190, 'Invalid OAuth access token - Cannot parse access token') };
    }
    const match = /^\/v\d+\.\d+\/act_(\d+)\/insights$/.exec(req.path);
    if (req.method !== 'GET' || !match) return { status: 400, body: graphError(2500, 'Unknown path components') };
    if (match[1] !== options.accountId) return { status: 400, body: graphError(100, `Unsupported get request. Object with ID 'act_${match[1]}' does not exist`) };
    let range: { since?: string; until?: string } = {};
    try {
      range = JSON.parse(req.query.get('time_range') ?? '{}');
    } catch {
      return { status: 400, body: graphError(100, 'Param time_range must be a JSON object') };
    }
    if (!req.query.get('fields')?.includes('spend') || !range.since || !range.until || req.query.get('time_increment') !== '1' || !req.query.get('level')) {
      return { status: 400, body: graphError(100, 'Invalid parameter') };
    }
    const inRange = options.rows.filter((r) => r.date_start! >= range.since! && r.date_start! <= range.until!);
    const offset = Number(req.query.get('after') ?? 0);
    const page = inRange.slice(offset, offset + 2);
    const next = new URLSearchParams(req.query);
    next.set('after', String(offset + 2));
    return {
      status: 200,
      body: { data: page, paging: { cursors: { before: String(offset), after: String(offset + 2) }, ...(offset + 2 < inRange.length ? { next: `${base}${req.path}?${next}` } : {}) } },
    };
  });
}

/**
 * Google's OAuth token endpoint and the Google Ads `customers/<id>/googleAds:searchStream` on one host:
 * the token is issued only for the right client and refresh token; the search needs it as a Bearer
 * token plus the developer token, and a GAQL query with a `segments.date BETWEEN` the stand-in answers
 * with the `rows` of that range, in two batches.
 */
export function startGoogleAdsStandIn(options: {
  clientId: string; clientSecret: string; refreshToken: string; developerToken: string; customerId: string; currency: string;
  rows: Array<{ date: string; campaignId: string; name: string; costMicros: string; clicks: string }>;
}): Promise<AdApiStandIn> {
  const accessToken = 'ya29.stand-in';
  return serve((req) => {
    if (req.path === '/token') {
      const form = new URLSearchParams(req.body);
      if (form.get('grant_type') !== 'refresh_token' || form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret || form.get('refresh_token') !== options.refreshToken) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } };
      }
      return { status: 200, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
    }
    const match = /^\/v\d+\/customers\/(\d+)\/googleAds:searchStream$/.exec(req.path);
    if (req.method !== 'POST' || !match) return { status: 404, body: { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } } };
    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      return { status: 401, body: [{ error: { code: 401, message: 'Request is missing required authentication credential.', status: 'UNAUTHENTICATED' } }] };
    }
    if (req.headers['developer-token'] !== options.developerToken) {
      return { status: 403, body: [{ error: { code: 403, message: 'The developer token is not valid.', status: 'PERMISSION_DENIED' } }] };
    }
    const query = (JSON.parse(req.body || '{}') as { query?: string }).query ?? '';
    const between = /segments\.date BETWEEN '(\d{4}-\d{2}-\d{2})' AND '(\d{4}-\d{2}-\d{2})'/.exec(query);
    if (!/metrics\.cost_micros/.test(query) || !between || match[1] !== options.customerId) {
      return { status: 400, body: [{ error: { code: 400, message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' } }] };
    }
    const results = options.rows
      .filter((r) => r.date >= between[1]! && r.date <= between[2]!)
      .map((r) => ({
        customer: { resourceName: `customers/${options.customerId}`, id: options.customerId, currencyCode: options.currency },
        campaign: { resourceName: `customers/${options.customerId}/campaigns/${r.campaignId}`, id: r.campaignId, name: r.name },
        metrics: { costMicros: r.costMicros, clicks: r.clicks },
        segments: { date: r.date },
      }));
    const half = Math.ceil(results.length / 2);
    return { status: 200, body: [{ results: results.slice(0, half), fieldMask: 'x', requestId: 'r1' }, { results: results.slice(half), fieldMask: 'x', requestId: 'r1' }] };
  });
}

/**
 * Yandex Direct's `POST /json/v5/reports`: needs the Bearer token and a report definition with
 * DateFrom/DateTo; answers 201 (queued) then 202 (building) with `retryIn`, then 200 with the TSV
 * report (costs in units when `returnMoneyInMicros: false`, micros otherwise).
 */
export function startYandexDirectStandIn(options: { token: string; rows: Array<{ date: string; campaignId: string; name: string; cost: string; clicks: string }> }): Promise<AdApiStandIn> {
  const polls = new Map<string, number>();
  return serve((req) => {
    if (req.path !== '/json/v5/reports' || req.method !== 'POST') return { status: 404, body: { error: { error_code: 8000, error_string: 'Invalid request' } } };
    if (req.headers.authorization !== `Bearer ${options.token}`) return { status: 400, body: { error: { error_code: 53, error_string: 'Authorization error' } } };
    const spec = JSON.parse(req.body || '{}') as { params?: { SelectionCriteria?: { DateFrom?: string; DateTo?: string }; ReportName?: string; Format?: string } };
    const { DateFrom, DateTo } = spec.params?.SelectionCriteria ?? {};
    if (!DateFrom || !DateTo || spec.params?.Format !== 'TSV' || !spec.params.ReportName) {
      return { status: 400, body: { error: { error_code: 8000, error_string: 'Invalid request', error_detail: 'SelectionCriteria, ReportName and Format are required' } } };
    }
    const seen = polls.get(spec.params.ReportName) ?? 0;
    polls.set(spec.params.ReportName, seen + 1);
    if (seen < 2) return { status: seen === 0 ? 201 : 202, headers: { retryIn: '1' }, body: '' };
    const micros = req.headers.returnmoneyinmicros !== 'false';
    const lines = options.rows
      .filter((r) => r.date >= DateFrom && r.date <= DateTo)
      .map((r) => [r.date, r.campaignId, r.name, '--', r.clicks, micros ? String(Math.round(Number(r.cost) * 1e6)) : r.cost].join('\t'));
    return { status: 200, body: [spec.params.ReportName, 'Date\tCampaignId\tCampaignName\tImpressions\tClicks\tCost', ...lines, `Total rows: ${lines.length}`].join('\n') + '\n' };
  });
}
