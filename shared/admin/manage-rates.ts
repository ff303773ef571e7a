import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { dayOf, daysBefore, isDay } from '../domain/days.js';
import { ClientError, ValidationError, type FieldProblem } from '../domain/errors.js';
import { parseCbrXml, parseEcbCsv, parseRatesJson, type ParsedRates } from '../domain/exchange-rates.js';
import { isCurrency } from '../domain/lead-status.js';
import { mediaTypeOf } from '../http/body.js';
import { readJsonBody } from '../http/json-body.js';
import { json } from '../http/responses.js';
import { writeAudited } from '../store/audited-write.js';
import { keys } from '../store/keys.js';
import { getReportSettings, putRates, readRates } from '../store/rates-store.js';
import type { Table } from '../store/table.js';

export interface RatesDeps {
  table: Table;
  now: () => Date;
}

/** An import takes the ECB's whole history file, but stores only rates a report of the last year (and a bit) can use. */
const DEFAULT_HISTORY_DAYS = 400;
const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

function bodyText(event: APIGatewayProxyEventV2): string {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_IMPORT_BYTES) throw new ClientError(413, 'payload_too_large', `the file is ${raw.length} bytes; at most ${MAX_IMPORT_BYTES} are accepted`);
  if (!raw.length) throw new ClientError(400, 'invalid_request', 'the body is empty; send the rates file');
  // The Bank of Russia writes windows-1251; every part read here (codes, digits, the date) is ASCII.
  return raw.toString('latin1');
}

/** Which file an import is: `format=ecb|cbr`, else the media type (CSV is the ECB's, XML the Bank of Russia's). */
function formatOf(event: APIGatewayProxyEventV2): 'ecb' | 'cbr' {
  const format = event.queryStringParameters?.format ?? ({ 'text/csv': 'ecb', 'application/xml': 'cbr', 'text/xml': 'cbr' } as Record<string, string>)[mediaTypeOf(event)];
  if (format !== 'ecb' && format !== 'cbr') {
    throw new ValidationError('unknown rates format', [{ field: 'format', problem: 'must be ecb (the ECB eurofxref CSV) or cbr (the Bank of Russia daily XML)' }]);
  }
  return format;
}

/** Stores what parsed, answers what did not: 400 only when nothing could be taken. */
async function store(deps: RatesDeps, parsed: ParsedRates, source: string, actor: string, since?: string): Promise<APIGatewayProxyResultV2> {
  const kept = since ? parsed.points.filter((p) => p.day >= since) : parsed.points;
  if (!parsed.points.length) throw new ValidationError('no rate could be read', parsed.rejected.slice(0, 100));
  const now = deps.now();
  await putRates(deps.table, kept, source, now);
  const days = kept.map((p) => p.day).sort();
  const summary = {
    stored: kept.length,
    ...(since ? { skippedBefore: since, skipped: parsed.points.length - kept.length } : {}),
    ...(days.length ? { firstDay: days[0], lastDay: days.at(-1) } : {}),
    currencies: [...new Set(kept.map((p) => `${p.base}/${p.currency}`))].sort(),
    rejected: parsed.rejected.slice(0, 100),
    rejectedCount: parsed.rejected.length,
  };
  await writeAudited(deps.table, [], { actor, action: 'rates.import', target: `rates/${source}`, detail: { stored: summary.stored, firstDay: summary.firstDay, lastDay: summary.lastDay }, at: now.toISOString() });
  return json(200, summary);
}

function settingsInput(body: unknown): string {
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const problems: FieldProblem[] = Object.keys(input).filter((k) => k !== 'currency').map((field) => ({ field, problem: 'unknown field; allowed is currency' }));
  if (typeof input.currency !== 'string' || !isCurrency(input.currency)) problems.push({ field: 'currency', problem: 'must be an ISO 4217 currency code, like EUR' });
  if (problems.length) throw new ValidationError('the report settings are invalid', problems);
  return input.currency as string;
}

/**
 * Exchange rates and the report currency (admin token): `PUT /v1/admin/rates` (JSON), `POST
 * /v1/admin/rates/import` (ECB CSV or Bank of Russia XML), `GET /v1/admin/rates?currency=&from=&to=`,
 * `GET|PUT /v1/admin/settings/reports`.
 */
export async function manageRates(deps: RatesDeps, event: APIGatewayProxyEventV2, actor: string): Promise<APIGatewayProxyResultV2> {
  const q = event.queryStringParameters ?? {};
  switch (event.routeKey) {
    case 'PUT /v1/admin/rates': {
      const parsed = parseRatesJson(readJsonBody(event, 2 * 1024 * 1024));
      if (parsed.problems.length) throw new ValidationError('the rates are invalid', parsed.problems);
      return store(deps, parsed, 'api', actor);
    }
    case 'POST /v1/admin/rates/import': {
      const format = formatOf(event);
      const since = q.since ?? daysBefore(dayOf(deps.now().toISOString()), DEFAULT_HISTORY_DAYS);
      if (!isDay(since)) throw new ValidationError('the import is invalid', [{ field: 'since', problem: 'must be a day written YYYY-MM-DD' }]);
      const text = bodyText(event);
      return store(deps, format === 'ecb' ? parseEcbCsv(text) : parseCbrXml(text), format, actor, since);
    }
    case 'GET /v1/admin/rates': {
      const to = q.to ?? dayOf(deps.now().toISOString());
      const from = q.from ?? daysBefore(to, 30);
      const problems: FieldProblem[] = [];
      if (!q.currency || !isCurrency(q.currency)) problems.push({ field: 'currency', problem: 'name the ISO 4217 currency whose rates to list' });
      if (!isDay(from) || !isDay(to) || from > to) problems.push({ field: 'from', problem: 'from and to must be days written YYYY-MM-DD, from not after to' });
      if (problems.length) throw new ValidationError('the rates query is invalid', problems);
      const rates = (await readRates(deps.table, [q.currency!], from, to)).filter((r) => r.day >= from);
      return json(200, { currency: q.currency, from, to, rates: rates.sort((a, b) => a.day.localeCompare(b.day) || a.base.localeCompare(b.base)) });
    }
    case 'GET /v1/admin/settings/reports':
      return json(200, await getReportSettings(deps.table));
    case 'PUT /v1/admin/settings/reports': {
      const currency = settingsInput(readJsonBody(event));
      const at = deps.now().toISOString();
      const settings = { currency, updatedAt: at, updatedBy: actor };
      await writeAudited(
        deps.table,
        [{ Put: { TableName: deps.table.name, Item: { ...keys.reportSettings(), entity: 'report-settings', ...settings } } }],
        { actor, action: 'report-settings.update', target: 'settings/reports', detail: { currency }, at },
      );
      return json(200, settings);
    }
    default:
      throw new ClientError(404, 'not_found', `no route ${event.routeKey}`);
  }
}
