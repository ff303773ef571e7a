import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBefore, dayOf } from '../../shared/domain/days.js';
import { readSpend, readStoredSpend } from '../../shared/store/spend-store.js';
import { startMetaInsightsStandIn, type AdApiStandIn } from '../support/ad-api-stand-ins.js';
import { apiClient, eventually, PROJECT_ROOT, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let admin: string;
let meta: AdApiStandIn;
// The scheduled pull asks for the last 7 days of the platform's clock; the stand-in's rows are derived from it.
const today = dayOf(new Date().toISOString());
const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'test/fixtures/spend', name), 'utf8');

beforeAll(async () => {
  meta = await startMetaInsightsStandIn({
    accessToken: 'EAAB-e2e',
    accountId: '2002',
    rows: [1, 2].map((n) => ({ account_id: '2002', account_currency: 'EUR', campaign_id: 'm1', campaign_name: 'Pulled', spend: `${n}.25`, date_start: daysBefore(today, n), date_stop: daysBefore(today, n) })),
  });
  // The platform's functions read the API base URLs from its environment, inherited from this process.
  process.env.META_GRAPH_URL = meta.url;
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  admin = platform.credentials.adminToken;
});

afterAll(async () => {
  delete process.env.META_GRAPH_URL;
  await meta?.close();
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

describe('spend over HTTP on the local platform', () => {
  it('stores JSON rows, replaces a re-sent day keeping the earlier figure, and skips an invalid row beside valid ones', async () => {
    const row = { date: '2026-10-01', platform: 'meta', accountId: '42', campaignId: 'c1', amount: '10.10', currency: 'USD', clicks: 5 };
    const first = await call('POST', '/v1/spend', { key: admin, json: [row, { ...row, campaignId: 'c2', amount: 0.2 }] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ read: 2, inserted: 2, replaced: 0, unchanged: 0, skipped: 0 });

    const revised = await call('POST', '/v1/spend', {
      key: admin,
      json: { rows: [{ ...row, amount: '12.00' }, { ...row, campaignId: 'c2', amount: '0.2' }, { ...row, date: '2026-13-01', amount: '1,5' }] },
    });
    expect(revised.body).toMatchObject({ read: 3, inserted: 0, replaced: 1, unchanged: 1, skipped: 1 });
    expect(revised.body.skippedRows[0].row).toBe(3);
    expect(revised.body.skippedRows[0].reason).toMatch(/date must be a day written YYYY-MM-DD; amount must be a decimal amount/);

    const [stored] = (await readStoredSpend(platform.table(), '2026-10-01', '2026-10-01')).filter((r) => r.campaignId === 'c1');
    expect(stored).toMatchObject({ amount: '12', currency: 'USD' });
    expect(stored!.corrections).toEqual([expect.objectContaining({ amount: '10.1', currency: 'USD', clicks: 5 })]);
  });

  it('answers 400 naming each row’s problem when no row is valid, and 401 without the admin token', async () => {
    const bad = await call('POST', '/v1/spend', { key: admin, json: [{ date: '2026-10-01', platform: 'Google Ads', amount: '-1', currency: 'usd' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['rows[0].platform', 'rows[0].amount', 'rows[0].currency']);
    expect((await call('POST', '/v1/spend', { json: [] })).status).toBe(401);
  });

  it('imports a Google Ads UI CSV recognized from its content and lists the campaigns no lead came from', async () => {
    const lead = await call('POST', '/v1/leads', {
      key: platform.credentials.sources[0]!.key,
      json: { name: 'Spring Buyer', email: 'spring@example.com', page_url: 'https://example.com/?utm_source=google&utm_campaign=Spring%20%20sale' },
    });
    expect(lead.status).toBe(202);
    // The campaign index is written by its own consumer of Lead Captured, a moment after the capture;
    // importing again until the campaign is matched is safe, as the same figures change nothing.
    const imported = await eventually(
      () => call('POST', '/v1/spend/import', { key: admin, body: fixture('google-ads-ui-en.csv'), contentType: 'text/csv' }),
      (r) => r.status === 200 && !r.body.unmatchedCampaigns.some((c: { campaignName?: string }) => c.campaignName === 'Spring Sale'),
    );
    expect(imported.body).toMatchObject({ format: 'google_ads_csv', read: 6, skipped: 3 });
    expect(imported.body.inserted + imported.body.unchanged).toBe(3);
    expect(imported.body.unmatchedCampaigns).toEqual([{ platform: 'google_ads', campaignId: '2222222222', campaignName: 'Brand  Search' }]);
    const days = await readSpend(platform.table(), '2026-11-01', '2026-11-02');
    expect(days.filter((r) => r.platform === 'google_ads').map((r) => r.amount).sort()).toEqual(['0', '1234.56', '987.1']);
  });

  it('imports a Meta Insights export, and a Yandex Direct report only with ?currency=', async () => {
    const meta = await call('POST', '/v1/spend/import', { key: admin, body: fixture('meta-insights-daily.json'), contentType: 'application/json' });
    expect(meta.body).toMatchObject({ format: 'meta_insights', read: 2, inserted: 2 });
    const noCurrency = await call('POST', '/v1/spend/import', { key: admin, body: fixture('yandex-direct-report.tsv'), contentType: 'text/tab-separated-values' });
    expect(noCurrency.status).toBe(400);
    expect(noCurrency.body.fields).toEqual([{ field: 'currency', problem: expect.stringContaining('?currency=') }]);
    const direct = await call('POST', '/v1/spend/import?currency=RUB', { key: admin, body: fixture('yandex-direct-report.tsv'), contentType: 'text/plain' });
    expect(direct.body).toMatchObject({ format: 'yandex_direct', read: 3, inserted: 3 });
  });

  it('answers 413 for a body over 1 MB, pointing to npm run spend:import', async () => {
    const big = `Day,Campaign ID,Cost,Currency code\n${'2026-11-01,1,1.00,USD\n'.repeat(60_000)}`;
    const answer = await call('POST', '/v1/spend/import', { key: admin, body: big, contentType: 'text/csv' });
    expect(answer.status).toBe(413);
    expect(answer.body.message).toContain('npm run spend:import');
  });

  it('imports a file too big for one request with the CLI, in batches, with progress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadflow-spend-cli-'));
    const file = join(dir, 'google-ads.csv');
    const lines = Array.from({ length: 1200 }, (_, i) => `2026-09-${String((i % 30) + 1).padStart(2, '0')},Campaign ${Math.floor(i / 30)},${Math.floor(i / 30)},USD,"1,000.${String(i % 100).padStart(2, '0')}",3,"1,200"`);
    writeFileSync(file, ['Campaign report', '"September 1, 2026 - September 30, 2026"', 'Day,Campaign,Campaign ID,Currency code,Cost,Clicks,Impr.', ...lines, 'Total: Account,,,USD,"1.00",1,1'].join('\n'));
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'infra/cli/spend-import.ts'), file, '--data-dir', platform.dataDir, '--batch', '500'],
      { cwd: PROJECT_ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    );
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({ format: 'google_ads_csv', read: 1201, inserted: 1200, replaced: 0, unchanged: 0, skipped: 1 });
    expect(stderr).toContain('sending 100%');
    const stored = (await readSpend(platform.table(), '2026-09-01', '2026-09-30')).filter((r) => r.platform === 'google_ads');
    expect(stored).toHaveLength(1200);
    removeDataDir(dir);
  });

  it('pulls a connected Meta ad account on the schedule, with the token stored as a secret and never shown', async () => {
    const put = await call('PUT', '/v1/spend/connections/fb-main', { key: admin, json: { platform: 'meta', accountId: 'act_2002', secrets: { accessToken: 'EAAB-e2e' } } });
    expect(put.status).toBe(201);
    expect(put.text).not.toContain('EAAB-e2e');
    const run = await call('POST', '/_local/schedules/pull-spend/run', { key: admin });
    expect(run.status).toBe(200);
    expect(run.body.result).toEqual([expect.objectContaining({ connectionId: 'fb-main', ok: true, inserted: 2 })]);
    expect(meta.requests[0]!.headers.authorization).toBe('Bearer EAAB-e2e');
    const pulled = (await readSpend(platform.table(), daysBefore(today, 6), today)).filter((r) => r.campaignId === 'm1');
    expect(pulled.map((r) => r.amount).sort()).toEqual(['1.25', '2.25']);
    const listed = await call('GET', '/v1/spend/connections', { key: admin });
    expect(listed.body.connections).toEqual([expect.objectContaining({ connectionId: 'fb-main', secretNames: ['accessToken'], lastPull: expect.objectContaining({ ok: true }) })]);
    expect((await call('DELETE', '/v1/spend/connections/fb-main', { key: admin })).status).toBe(204);
  });
});
