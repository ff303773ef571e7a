import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBefore } from '../../shared/domain/days.js';
import type { SpendConnection } from '../../shared/domain/spend-connection.js';
import { pullSpend, type PullSpendDeps } from '../../shared/spend/pull-spend.js';
import { getSpendConnection, putSpendConnection } from '../../shared/store/spend-connection-store.js';
import { readSpend, readStoredSpend } from '../../shared/store/spend-store.js';
import type { Table } from '../../shared/store/table.js';
import { startGoogleAdsStandIn, startMetaInsightsStandIn, startYandexDirectStandIn, type AdApiStandIn } from '../support/ad-api-stand-ins.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;
let meta: AdApiStandIn;
let google: AdApiStandIn;
let yandex: AdApiStandIn;
// The clock is fixed; every day in the stand-ins is derived from it.
const NOW = new Date('2026-12-02T05:00:00Z');
const today = '2026-12-02';
const day = (n: number) => daysBefore(today, n);

const metaRows = [0, 1, 2, 3, 8].map((n) => ({
  account_id: '1001', account_currency: 'USD', campaign_id: '777', campaign_name: 'Meta leads', spend: `${10 + n}.5`, impressions: '100', clicks: '7', date_start: day(n), date_stop: day(n),
}));
const googleRows = [
  { date: day(0), campaignId: '11', name: 'Search', costMicros: '1500000', clicks: '3' },
  { date: day(6), campaignId: '11', name: 'Search', costMicros: '2000000', clicks: '4' },
  { date: day(7), campaignId: '11', name: 'Search', costMicros: '9990000', clicks: '9' },
];
const secrets: Record<string, Record<string, string>> = {
  fb: { accessToken: 'EAAB-good' },
  gads: { developerToken: 'dev-tok', clientId: 'cid', clientSecret: 'csecret', refreshToken: '1//refresh' },
  ydx: { token: 'y0_token' },
  fbBroken: { accessToken: 'EAAB-revoked' },
};
let deps: PullSpendDeps;

const connection = (over: Partial<SpendConnection> & Pick<SpendConnection, 'connectionId' | 'platform'>): SpendConnection => ({
  enabled: true, secretNames: Object.keys(secrets[over.connectionId] ?? {}), createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), ...over,
});

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
  meta = await startMetaInsightsStandIn({ accessToken: 'EAAB-good', accountId: '1001', rows: metaRows });
  google = await startGoogleAdsStandIn({ clientId: 'cid', clientSecret: 'csecret', refreshToken: '1//refresh', developerToken: 'dev-tok', customerId: '1234567890', currency: 'EUR', rows: googleRows });
  yandex = await startYandexDirectStandIn({ token: 'y0_token', rows: [{ date: day(1), campaignId: '555', name: 'Поиск', cost: '1234.56', clicks: '12' }] });
  deps = {
    table,
    secrets: async (id) => secrets[id] ?? {},
    apis: { metaGraphUrl: meta.url, metaGraphVersion: 'v21.0', googleAdsUrl: google.url, googleAdsVersion: 'v21', googleOAuthUrl: google.url, yandexDirectUrl: yandex.url },
    now: () => NOW,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async () => {},
  };
  await putSpendConnection(table, connection({ connectionId: 'fb', platform: 'meta', accountId: '1001' }));
  await putSpendConnection(table, connection({ connectionId: 'gads', platform: 'google_ads', accountId: '1234567890', loginCustomerId: '999' }));
  await putSpendConnection(table, connection({ connectionId: 'ydx', platform: 'yandex_direct', accountId: 'agency-client', currency: 'RUB' }));
});
afterAll(async () => {
  await Promise.all([meta?.close(), google?.close(), yandex?.close()]);
  await stop?.();
});

describe('daily spend pulls against stand-ins of the ad platforms’ APIs', () => {
  it('pulls the last 7 days from Meta, Google Ads and Yandex Direct, as each API expects to be asked', async () => {
    const results = await pullSpend(deps);
    expect(results.map((r) => [r.connectionId, r.ok, r.inserted, r.error])).toEqual([
      ['fb', true, 4, undefined],
      ['gads', true, 2, undefined],
      ['ydx', true, 1, undefined],
    ]);
    expect(results[0]).toMatchObject({ from: day(6), to: today });

    const [firstMeta] = meta.requests;
    expect(firstMeta!.headers.authorization).toBe('Bearer EAAB-good');
    expect(firstMeta!.query.get('level')).toBe('campaign');
    expect(JSON.parse(firstMeta!.query.get('time_range')!)).toEqual({ since: day(6), until: today });
    expect(meta.requests).toHaveLength(2); // two pages, followed through paging.next

    const search = google.requests.find((r) => r.path.endsWith(':searchStream'))!;
    expect(search.headers['developer-token']).toBe('dev-tok');
    expect(search.headers['login-customer-id']).toBe('999');
    expect(JSON.parse(search.body).query).toContain(`segments.date BETWEEN '${day(6)}' AND '${today}'`);

    expect(yandex.requests).toHaveLength(3); // 201, 202, then the report
    expect(yandex.requests[0]!.headers['client-login']).toBe('agency-client');

    const stored = await readSpend(table, day(6), today);
    expect(stored.filter((r) => r.platform === 'google_ads').map((r) => [r.day, r.amount, r.currency, r.accountId])).toEqual([
      [day(6), '2', 'EUR', '1234567890'],
      [day(0), '1.5', 'EUR', '1234567890'],
    ]);
    expect(stored.find((r) => r.platform === 'yandex_direct')).toMatchObject({ day: day(1), amount: '1234.56', currency: 'RUB', campaignId: '555' });
    expect(stored.filter((r) => r.platform === 'meta').map((r) => r.amount).sort()).toEqual(['10.5', '11.5', '12.5', '13.5']);
    expect((await getSpendConnection(table, 'fb'))!.lastPull).toMatchObject({ ok: true, inserted: 4, from: day(6), to: today });
  });

  it('replaces days the platform revised on the next pull and keeps the earlier figure', async () => {
    metaRows[1]!.spend = '99.99';
    const [fb] = await pullSpend(deps, ['fb']);
    expect(fb).toMatchObject({ ok: true, inserted: 0, replaced: 1, unchanged: 3 });
    const [revised] = (await readStoredSpend(table, day(1), day(1))).filter((r) => r.platform === 'meta');
    expect(revised).toMatchObject({ amount: '99.99', corrections: [expect.objectContaining({ amount: '11.5' })] });
  });

  it('records a refused token on its connection and still pulls the others', async () => {
    await putSpendConnection(table, connection({ connectionId: 'fbBroken', platform: 'meta', accountId: '1001' }));
    const results = await pullSpend(deps);
    const broken = results.find((r) => r.connectionId === 'fbBroken')!;
    expect(broken.ok).toBe(false);
    expect(broken.error).toMatch(/Invalid OAuth access token/);
    expect(results.filter((r) => r.ok).map((r) => r.connectionId)).toEqual(['fb', 'gads', 'ydx']);
    expect((await getSpendConnection(table, 'fbBroken'))!.lastPull).toMatchObject({ ok: false });
  });
});
