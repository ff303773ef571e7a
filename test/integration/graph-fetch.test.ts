import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchMetaLead, type MetaGraphOptions } from '../../shared/sources/meta-graph.js';
import { ProviderApiError } from '../../shared/sources/provider-api.js';
import { graphError, startGraphStandIn, type ApiStandIn } from '../support/graph-stand-in.js';

const TOKEN = 'page-token-1';
const lead = {
  created_time: '2026-03-02T09:14:07+0000',
  id: '1234567890123456',
  form_id: '987654321098765',
  ad_id: '120200000000000001',
  field_data: [{ name: 'email', values: ['ann@acme.com'] }],
};

let graph: ApiStandIn;
let waits: number[];

beforeAll(async () => {
  graph = await startGraphStandIn({ accessToken: TOKEN, leads: { [lead.id]: lead } });
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.requests.length = 0;
  waits = [];
});

function options(overrides: Partial<MetaGraphOptions> = {}): MetaGraphOptions {
  return {
    accessToken: TOKEN,
    graphBaseUrl: graph.url,
    apiVersion: 'v21.0',
    // Real HTTP, real waits, but short ones; each wait is recorded to check the backoff.
    retry: {
      maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, maxHonouredWaitSeconds: 1,
      sleep: (ms) => { waits.push(ms); return new Promise((resolve) => setTimeout(resolve, ms)); },
    },
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderApiError);
  return error as ProviderApiError;
}

describe('fetchMetaLead against a local Graph stand-in', () => {
  it('reads a lead with the token and the documented field list', async () => {
    await expect(fetchMetaLead(lead.id, options())).resolves.toEqual(lead);
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]).toMatchObject({
      path: `/v21.0/${lead.id}`,
      query: { access_token: TOKEN, fields: 'id,created_time,field_data,ad_id,adset_id,campaign_id,form_id,is_organic,platform' },
    });
  });

  it('retries after two 500s and then reads the lead', async () => {
    graph.failNext(2, { status: 500, body: { error: { message: 'An unexpected error has occurred.', code: 2 } } });
    await expect(fetchMetaLead(lead.id, options())).resolves.toEqual(lead);
    expect(graph.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits.every((ms) => ms >= 0 && ms <= 40)).toBe(true);
  });

  it('waits out a 429 rate-limit answer for as long as Retry-After asks, then reads the lead', async () => {
    graph.failNext(1, { status: 429, headers: { 'retry-after': '1' }, body: graphError(4, 'Application request limit reached') });
    await expect(fetchMetaLead(lead.id, options())).resolves.toEqual(lead);
    expect(graph.requests).toHaveLength(2);
    expect(waits).toEqual([1000]);
  });

  it('retries Graph throttling codes sent with a 400 status (17 user, 32 page, 80001 pages use case)', async () => {
    graph.failNext(1, { status: 400, body: graphError(17, 'User request limit reached') });
    graph.failNext(1, { status: 400, body: graphError(32, 'Page request limit reached') });
    graph.failNext(1, { status: 400, body: graphError(80001, 'There have been too many calls to this Page account') });
    await expect(fetchMetaLead(lead.id, options())).resolves.toEqual(lead);
    expect(graph.requests).toHaveLength(4);
  });

  it('gives up at once, retryable, when the usage header asks for a longer wait than the policy allows', async () => {
    const usage = JSON.stringify({ '112233': [{ type: 'pages', call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 19 }] });
    graph.failNext(1, { status: 400, headers: { 'x-business-use-case-usage': usage }, body: graphError(80001, 'Too many calls') });
    const error = await failureOf(fetchMetaLead(lead.id, options()));
    expect(error).toMatchObject({ retryable: true, retryAfterSeconds: 19 * 60 });
    expect(graph.requests).toHaveLength(1);
  });

  it('gives up retryable after the last attempt when the Graph keeps failing', async () => {
    graph.failNext(4, { status: 503, body: 'Service Unavailable' });
    const error = await failureOf(fetchMetaLead(lead.id, options()));
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ status: 503, attempts: 4 });
    expect(error.message).toMatch(/after 4 attempts/);
    expect(graph.requests).toHaveLength(4);
  });

  it('fails non-retryable at once when the access token is invalid (190)', async () => {
    const error = await failureOf(fetchMetaLead(lead.id, options({ accessToken: 'expired-token' })));
    expect(error).toMatchObject({ retryable: false, details: { status: 400, code: 190, attempts: 1 } });
    expect(graph.requests).toHaveLength(1);
  });

  it('fails non-retryable at once when the lead does not exist (100)', async () => {
    const error = await failureOf(fetchMetaLead('999', options()));
    expect(error).toMatchObject({ retryable: false, details: { code: 100 } });
    expect(graph.requests).toHaveLength(1);
  });

  it('retries a network failure (nothing listening) and then gives up retryable', async () => {
    const closed = await startGraphStandIn({ accessToken: TOKEN, leads: {} });
    await closed.close();
    const error = await failureOf(fetchMetaLead(lead.id, options({ graphBaseUrl: closed.url })));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/before an answer arrived/);
    expect(waits).toHaveLength(3);
  });

  it('refuses an id that is not a leadgen id before calling the Graph', async () => {
    const error = await failureOf(fetchMetaLead('../me', options()));
    expect(error.retryable).toBe(false);
    expect(graph.requests).toHaveLength(0);
  });
});
