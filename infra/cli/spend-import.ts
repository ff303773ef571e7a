import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClientError } from '../../shared/domain/errors.js';
import type { SpendRecord } from '../../shared/domain/spend.js';
import { MAX_LISTED, type SpendImportResult } from '../../shared/spend/import-spend.js';
import { readSpendFileStream } from '../../shared/spend/read-spend-stream.js';

const USAGE = `Usage: npm run spend:import -- <file> [--format <name>] [--currency <ISO 4217>] [--micros true|false]
                              [--api <url>] [--token <admin token>] [--data-dir .data] [--batch 500]

Imports an ad-spend export too big for one request (POST /v1/spend/import takes 1 MB). The file is read
here, with the same parsers as the API (CSV and TSV streamed line by line), and its rows are sent to
POST /v1/spend in batches. Re-sent days replace the stored figure and keep the earlier one.

Formats (recognized from the content unless --format names one): google_ads_csv, google_ads_api,
meta_insights, yandex_direct, yandex_metrica, vk_ads, tiktok.

The API and admin token come from --api/--token, else LEADFLOW_API_URL/LEADFLOW_ADMIN_TOKEN, else the
local platform's <data-dir>/local.json (what \`npm start\` wrote).`;

/** A one-line progress bar on a terminal; a line per tenth otherwise (CI logs, pipes). */
function progress(label: string): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    const share = total ? Math.min(1, done / total) : 1;
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(share * 100)}%${share === 1 ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      process.stderr.write(`${label} ${tenth * 10}%\n`);
    }
  };
}

function target(values: { api?: string; token?: string; 'data-dir': string }): { api: string; token: string } {
  const file = join(values['data-dir'], 'local.json');
  const local = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { apiUrl?: string; adminToken?: string }) : {};
  const api = values.api ?? process.env.LEADFLOW_API_URL ?? local.apiUrl;
  const token = values.token ?? process.env.LEADFLOW_ADMIN_TOKEN ?? local.adminToken;
  if (!api || !token) throw new Error(`no API URL or admin token: pass --api and --token, or run \`npm start\` so ${file} exists`);
  return { api: api.replace(/\/+$/, ''), token };
}

async function send(api: string, token: string, rows: SpendRecord[]): Promise<SpendImportResult> {
  const body = rows.map(({ day, ...rest }) => ({ date: day, ...rest }));
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${api}/v1/spend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as SpendImportResult;
    // 5xx and throttling are worth another try; a 4xx will answer the same.
    if ((response.status >= 500 || response.status === 429) && attempt < 5) {
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      continue;
    }
    throw new Error(`POST /v1/spend answered ${response.status}: ${text.slice(0, 500)}`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      currency: { type: 'string' },
      micros: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      'data-dir': { type: 'string', default: process.env.DATA_DIR ?? '.data' },
      batch: { type: 'string', default: '500' },
      help: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (values.help || !file) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const batch = Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 5000) throw new Error('--batch takes a whole number from 1 to 5000');
  if (values.micros !== undefined && values.micros !== 'true' && values.micros !== 'false') throw new Error('--micros takes true or false');
  const { api, token } = target(values);
  const parsed = await readSpendFileStream(
    file,
    { format: values.format, currency: values.currency?.toUpperCase(), micros: values.micros === undefined ? undefined : values.micros === 'true' },
    progress('reading'),
  );
  const total: SpendImportResult = {
    format: parsed.format, read: parsed.read, inserted: 0, replaced: 0, unchanged: 0,
    skipped: parsed.skipped.length, skippedRows: parsed.skipped.slice(0, MAX_LISTED), unmatchedCampaigns: [],
  };
  const unmatched = new Map<string, SpendImportResult['unmatchedCampaigns'][number]>();
  const sending = progress('sending');
  sending(0, parsed.records.length);
  for (let i = 0; i < parsed.records.length; i += batch) {
    const answer = await send(api, token, parsed.records.slice(i, i + batch));
    total.inserted += answer.inserted;
    total.replaced += answer.replaced;
    total.unchanged += answer.unchanged;
    for (const c of answer.unmatchedCampaigns) unmatched.set(`${c.platform}\u0000${c.campaignId ?? ''}\u0000${c.campaignName ?? ''}`, c);
    sending(Math.min(i + batch, parsed.records.length), parsed.records.length);
  }
  total.unmatchedCampaigns = [...unmatched.values()].slice(0, MAX_LISTED);
  if (parsed.skipped.length > MAX_LISTED) total.more = { skippedRows: parsed.skipped.length - MAX_LISTED };
  console.log(JSON.stringify(total, null, 2));
}

main().catch((error: unknown) => {
  const fields = error instanceof ClientError && error.fields.length ? `\n${error.fields.map((f) => `  ${f.field}: ${f.problem}`).join('\n')}` : '';
  console.error(`spend import failed: ${(error as Error).message}${fields}`);
  process.exit(1);
});
