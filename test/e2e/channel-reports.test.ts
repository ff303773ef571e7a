import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let admin: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  admin = platform.credentials.adminToken;
});

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

/** A Bank of Russia daily file for today: 1 EUR = 100 RUB, 1 USD = 80 RUB. */
function cbrDaily(day: string): string {
  const [y, m, d] = day.split('-');
  return `<?xml version="1.0" encoding="windows-1251"?><ValCurs Date="${d}.${m}.${y}" name="Foreign Currency Market">` +
    '<Valute ID="R01235"><NumCode>840</NumCode><CharCode>USD</CharCode><Nominal>1</Nominal><Name>US Dollar</Name><Value>80,0000</Value></Valute>' +
    '<Valute ID="R01239"><NumCode>978</NumCode><CharCode>EUR</CharCode><Nominal>1</Nominal><Name>Euro</Name><Value>100,0000</Value></Valute></ValCurs>';
}

describe('channel and rep reports, end to end', () => {
  it('takes leads, a win and spend through the platform to the channel report, as JSON and CSV, in the report currency', async () => {
    const sourceKey = platform.credentials.sources[0]!.key;
    const posted = await Promise.all(
      ['first', 'second', 'third'].map((name) =>
        call('POST', '/v1/leads', {
          key: sourceKey,
          json: { name: `Report ${name}`, email: `report-${name}-${Date.now()}@example.org`, page_url: 'https://example.com/?utm_source=google&utm_id=555&utm_campaign=Winter%20Sale' },
        }),
      ),
    );
    expect(posted.map((p) => p.status)).toEqual([202, 202, 202]);
    const leadId = posted[0]!.body.leadId as string;
    const lead = await eventually(() => call('GET', `/v1/leads/${leadId}`, { key: admin }), (r) => Boolean(r.body?.ownerId), 30_000);
    const owner = lead.body.ownerId as string;
    // The report's day is the capture day, taken from the lead so a run across midnight stays right.
    const day = (lead.body.capturedAt as string).slice(0, 10);
    const token = (await call('POST', `/v1/admin/reps/${owner}/token`, { key: admin })).body.token as string;
    expect((await call('POST', `/v1/rep/leads/${leadId}/status`, { key: token, json: { status: 'contacted' } })).status).toBe(200);
    expect((await call('POST', `/v1/rep/leads/${leadId}/status`, { key: token, json: { status: 'won', amount: 1200, currency: 'EUR' } })).status).toBe(200);

    // Spend through the spend API, as a marketer sends it: 300 USD on campaign 555 that day.
    const spent = await call('POST', '/v1/spend', {
      key: admin,
      json: [{ date: day, platform: 'google_ads', campaignId: '555', campaignName: 'Winter Sale', amount: '300', currency: 'USD', clicks: 120, impressions: 4000 }],
    });
    expect(spent.status).toBe(200);
    expect(spent.body).toMatchObject({ read: 1, inserted: 1 });
    const imported = await call('POST', '/v1/admin/rates/import?format=cbr', { key: admin, body: cbrDaily(day), contentType: 'application/xml' });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ stored: 2, currencies: ['RUB/EUR', 'RUB/USD'], rejectedCount: 0 });
    const badRates = await call('PUT', '/v1/admin/rates', { key: admin, json: { base: 'EUR', rates: [{ day, currency: 'USD', rate: 'one' }] } });
    expect(badRates.status).toBe(400);
    expect(badRates.body.fields).toEqual([{ field: 'rates.0.rate', problem: expect.stringContaining('decimal greater than 0') }]);
    expect((await call('PUT', '/v1/admin/settings/reports', { key: admin, json: { currency: 'EUR' } })).status).toBe(200);

    const period = `from=${day}&to=${day}`;
    const report = await eventually(
      async () => {
        expect((await call('POST', `/v1/reports/channels/build?${period}`, { key: admin })).status).toBe(200);
        return call('GET', `/v1/reports/channels?${period}&groupBy=campaign`, { key: admin });
      },
      (r) => r.body?.rows?.some((row: any) => row.campaignId === '555' && row.won === 1 && row.leads === 3),
      30_000,
    );
    const row = report.body.rows.find((r: any) => r.campaignId === '555');
    // 300 USD = 24,000 RUB = 240 EUR, crossed through the rouble; 3 leads, 1 won for 1,200 EUR.
    expect(row).toMatchObject({
      channel: 'google_ads', campaignName: 'Winter Sale', matched: 'matched', currency: 'EUR',
      spend: '240', spendByCurrency: { USD: '300' }, leads: 3, won: 1, revenue: '1200',
      cpl: '80', cac: '240', roas: '5', romi: '4', clicks: 120, impressions: 4000,
      rates: [{ currency: 'USD', firstRateDay: day, lastRateDay: day, via: 'RUB' }], missingRates: [],
    });
    expect(row.winRate).toMatchObject({ tooFewToJudge: true });

    const csv = await call('GET', `/v1/reports/channels?${period}&groupBy=channel&format=csv`, { key: admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, ...lines] = csv.text.trim().split('\n');
    const columns = header!.split(',');
    const google = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v]))).find((r) => r.channel === 'google_ads')!;
    expect(google).toMatchObject({ spend: '240', leads: '3', won: '1', revenue: '1200', cpl: '80', cac: '240', roas: '5', romi: '4', currency: 'EUR' });

    const inJpy = await call('GET', `/v1/reports/channels?${period}&currency=JPY`, { key: admin });
    // No rate names the yen: nothing is converted, and both currencies are flagged rather than counted as zero.
    expect(inJpy.body.rows.find((r: any) => r.channel === 'google_ads')).toMatchObject({
      spend: null, revenue: null, cpl: null, spendByCurrency: { USD: '300' },
      missingRates: [{ currency: 'EUR', days: 1 }, { currency: 'USD', days: 1 }],
    });
    const bad = await call('GET', `/v1/reports/channels?${period}&groupBy=ad&period=year`, { key: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['groupBy', 'period']);

    const reps = await call('GET', `/v1/reports/reps?${period}`, { key: admin });
    expect(reps.body.rows.find((r: any) => r.repId === owner)).toMatchObject({ won: 1, revenue: '1200', accepted: 1, contacted: 1 });
  }, 120_000);
});
