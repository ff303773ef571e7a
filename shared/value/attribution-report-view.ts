import Big from 'big.js';
import { isModel, MODELS, type ModelName } from '../domain/attribution-models.js';
import { assembleAttributionReport, CONVERSION_KINDS } from '../domain/attribution-report.js';
import { requestedDays } from '../domain/report-period.js';
import { ValidationError, type FieldProblem } from '../domain/errors.js';
import { decimal, decimalText } from '../domain/money.js';
import { readAttributionRows } from '../store/attribution-store.js';
import { readSpend } from '../store/spend-store.js';
import type { Table } from '../store/table.js';
import { readValueSettings } from '../store/value-settings-store.js';

const MAX_DAYS = 366;
/** Building runs within the request (API Gateway waits at most 30 s); longer periods are built in parts. */
export const MAX_BUILD_DAYS = 31;

type Query = Record<string, string | undefined> | undefined;

/** A report period from `from` and `to` (YYYY-MM-DD, UTC, both included); the last 30 days by default. */
export function reportPeriod(query: Query, now: Date, maxDays = MAX_DAYS): string[] {
  return requestedDays(query, now, { defaultDays: 30, maxDays });
}

/** The models a request names (`models=linear,w_shaped`), every model by default; unknown names are a 400. */
export function requestedModels(query: Query): ModelName[] {
  const raw = query?.models;
  if (raw === undefined || raw.trim() === '') return [...MODELS];
  const names = raw.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isModel(n));
  if (unknown.length) {
    throw new ValidationError('unknown attribution model', [{ field: 'models', problem: `${unknown.map((n) => `"${n}"`).join(', ')} unknown; models are ${MODELS.join(', ')}` }]);
  }
  return [...new Set(names)] as ModelName[];
}

/**
 * `GET /v1/reports/attribution`: the built rows of the period summed per channel (or `groupBy=campaign`),
 * for the chosen models side by side with their spread and ROMI against the period's spend, and each
 * model's totals (the same conversions, shared differently). Reads the built rows and the spend rows only.
 */
export async function readAttributionReport(table: Table, query: Query, now: Date) {
  const days = reportPeriod(query, now);
  const models = requestedModels(query);
  const groupBy = query?.groupBy ?? 'channel';
  if (groupBy !== 'channel' && groupBy !== 'campaign') {
    throw new ValidationError('unknown grouping', [{ field: 'groupBy', problem: 'must be channel or campaign' }]);
  }
  const [rows, spend, settings] = await Promise.all([readAttributionRows(table, days), readSpend(table, days[0]!, days.at(-1)!), readValueSettings(table)]);
  const entries = assembleAttributionReport(rows, spend, models, groupBy);
  const totals = Object.fromEntries(models.map((model) => {
    const mine = rows.filter((r) => r.model === model);
    const count = (k: (typeof CONVERSION_KINDS)[number]) => decimalText(mine.reduce((s, r) => s.plus(decimal(r[k])), new Big(0)).round(6, Big.roundHalfUp));
    const revenue = new Map<string, Big>();
    for (const r of mine) for (const [c, a] of Object.entries(r.revenue)) revenue.set(c, (revenue.get(c) ?? new Big(0)).plus(decimal(a)));
    return [model, {
      ...Object.fromEntries(CONVERSION_KINDS.map((k) => [k, count(k)])),
      revenue: Object.fromEntries([...revenue.keys()].sort().map((c) => [c, decimalText(revenue.get(c)!.round(6, Big.roundHalfUp))])),
    }];
  }));
  const built = rows.map((r) => r.builtAt).sort();
  return {
    report: 'attribution',
    from: days[0],
    to: days.at(-1),
    models,
    groupBy,
    lookbackDays: settings.attribution.lookbackDays,
    halfLifeDays: settings.attribution.halfLifeDays,
    ...(built.length ? { oldestBuildAt: built[0], newestBuildAt: built.at(-1) } : {}),
    totals,
    entries,
  };
}
