import Big from 'big.js';
import { daysBefore, isDay } from './days.js';
import type { FieldProblem } from './errors.js';
import { isCurrency } from './lead-status.js';
import { isDecimal } from './money.js';

/**
 * One day's rate of one currency against a base: `units` of `currency` cost `price` of `base`. Both
 * forms central banks publish fit without a division: the ECB quotes 1 EUR = 1.0512 USD (units 1.0512,
 * price 1), the Bank of Russia 100 JPY = 52.1234 RUB (units 100, price 52.1234).
 */
export interface RatePoint {
  base: string;
  currency: string;
  day: string;
  units: string;
  price: string;
}

/** What an import read: the rates, and every entry it could not take, named. */
export interface ParsedRates {
  points: RatePoint[];
  rejected: FieldProblem[];
}

/**
 * A rate is used for the days after its own until a newer one exists, but no longer than this: banks
 * publish on working days only (a long holiday is about a week), and an older rate is flagged missing.
 */
export const MAX_RATE_AGE_DAYS = 7;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `2026-12-01` (the ECB's history files) or `01 December 2026` (its daily file). */
function ecbDay(text: string): string | undefined {
  const t = text.trim();
  if (isDay(t)) return t;
  const m = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(t);
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month < 0) return undefined;
  const day = `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isDay(day) ? day : undefined;
}

function positive(text: string): boolean {
  return isDecimal(text) && new Big(text).gt(0);
}

/**
 * Reads the ECB's euro reference rates as CSV (eurofxref.csv or eurofxref-hist.csv): a header
 * `Date, USD, JPY, ...` (often with a trailing comma), then one row per day of rates per 1 EUR; `N/A`
 * or an empty cell is a currency the ECB did not quote that day and is skipped.
 */
export function parseEcbCsv(text: string): ParsedRates {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim());
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim());
  if (header[0]?.toLowerCase() !== 'date') {
    return { points: [], rejected: [{ field: 'line 1', problem: 'an ECB rates file starts with a header "Date, USD, JPY, ..."' }] };
  }
  const points: RatePoint[] = [];
  const rejected: FieldProblem[] = [];
  // The history file keeps columns of currencies since withdrawn (CYP, EEK, ...), empty after their end.
  const withdrawn = new Map<string, number>();
  lines.slice(1).forEach((line, index) => {
    const cells = line.split(',').map((cell) => cell.trim());
    const day = ecbDay(cells[0] ?? '');
    if (!day) {
      rejected.push({ field: `line ${index + 2}`, problem: `"${cells[0]}" is not a date written 2026-12-01 or 01 December 2026` });
      return;
    }
    for (let c = 1; c < header.length; c++) {
      const currency = header[c]!;
      const value = cells[c] ?? '';
      if (!currency || value === '' || value.toUpperCase() === 'N/A') continue;
      if (!isCurrency(currency)) {
        withdrawn.set(currency, (withdrawn.get(currency) ?? 0) + 1);
        continue;
      }
      if (!positive(value)) rejected.push({ field: `line ${index + 2} ${currency}`, problem: `"${value}" is not a rate greater than 0 written with a decimal point` });
      else points.push({ base: 'EUR', currency, day, units: value, price: '1' });
    }
  });
  for (const [code, n] of withdrawn) rejected.push({ field: `column ${code}`, problem: `"${code}" is not a current ISO 4217 currency; its ${n} rates were skipped` });
  return { points, rejected };
}

const TAG = (name: string, body: string) => new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(body)?.[1];

/**
 * Reads the Bank of Russia's daily rates (XML_daily.asp): `<ValCurs Date="02.12.2026">` holding one
 * `<Valute>` per currency with `CharCode`, `Nominal` (how many units the rate is for) and `Value` in
 * roubles with a decimal comma. `Date` is the day the rates are in force.
 */
export function parseCbrXml(text: string): ParsedRates {
  // The root element opens the file; looking only there keeps a hostile body from costing more.
  const date = /<ValCurs[^>]*\sDate="(\d{2})\.(\d{2})\.(\d{4})"/.exec(text.slice(0, 2048));
  const day = date ? `${date[3]}-${date[2]}-${date[1]}` : undefined;
  if (!day || !isDay(day)) return { points: [], rejected: [{ field: 'ValCurs.Date', problem: 'a Bank of Russia file has <ValCurs Date="DD.MM.YYYY">' }] };
  const points: RatePoint[] = [];
  const rejected: FieldProblem[] = [];
  // Split on the closing tags rather than one lazy pattern over the file, which backtracks over every
  // unclosed <Valute> of a hostile body and takes time quadratic in its size.
  const valutes = text.split('</Valute>').slice(0, -1).flatMap((part) => {
    const open = part.lastIndexOf('<Valute');
    const start = open < 0 ? -1 : part.indexOf('>', open);
    return start < 0 ? [] : [part.slice(start + 1)];
  });
  if (!valutes.length) rejected.push({ field: 'ValCurs', problem: 'holds no <Valute> entries' });
  valutes.forEach((body, i) => {
    const code = TAG('CharCode', body);
    const nominal = TAG('Nominal', body)?.replace(/\s/g, '');
    const value = TAG('Value', body)?.replace(/\s/g, '').replace(',', '.');
    const field = `Valute ${i + 1}${code ? ` (${code})` : ''}`;
    if (!code || !isCurrency(code)) rejected.push({ field, problem: `CharCode "${code ?? ''}" is not an ISO 4217 currency` });
    else if (!nominal || !/^[1-9]\d*$/.test(nominal)) rejected.push({ field, problem: `Nominal "${nominal ?? ''}" is not a whole number of units` });
    else if (!value || !positive(value)) rejected.push({ field, problem: `Value "${value ?? ''}" is not a rate greater than 0` });
    else points.push({ base: 'RUB', currency: code, day, units: nominal, price: value });
  });
  return { points, rejected };
}

/**
 * Reads rates an admin sends as JSON: `{ "base": "EUR", "rates": [{ "day": "2026-12-01", "currency":
 * "USD", "rate": "1.0512" }] }`, where `rate` is units of the currency per 1 base (as the ECB writes it).
 */
export function parseRatesJson(body: unknown): ParsedRates & { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  if (input !== body) problems.push({ field: 'body', problem: 'must be an object {"base": "EUR", "rates": [...]}' });
  for (const field of Object.keys(input)) if (field !== 'base' && field !== 'rates') problems.push({ field, problem: 'unknown field; allowed are base, rates' });
  const base = input.base;
  if (typeof base !== 'string' || !isCurrency(base)) problems.push({ field: 'base', problem: 'must be an ISO 4217 currency code, like EUR' });
  if (!Array.isArray(input.rates) || input.rates.length === 0) problems.push({ field: 'rates', problem: 'must be a non-empty list of {day, currency, rate}' });
  else if (input.rates.length > 10_000) problems.push({ field: 'rates', problem: 'at most 10000 rates at a time' });
  if (problems.length) return { points: [], rejected: [], problems };
  const points: RatePoint[] = [];
  const rejected: FieldProblem[] = [];
  (input.rates as unknown[]).forEach((entry, i) => {
    const r = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const rate = typeof r.rate === 'number' && Number.isFinite(r.rate) ? String(r.rate) : r.rate;
    if (typeof r.day !== 'string' || !isDay(r.day)) rejected.push({ field: `rates.${i}.day`, problem: 'must be a day written YYYY-MM-DD' });
    else if (typeof r.currency !== 'string' || !isCurrency(r.currency)) rejected.push({ field: `rates.${i}.currency`, problem: 'must be an ISO 4217 currency code' });
    else if (r.currency === base) rejected.push({ field: `rates.${i}.currency`, problem: 'is the base itself' });
    else if (typeof rate !== 'string' || !positive(rate)) rejected.push({ field: `rates.${i}.rate`, problem: 'must be a decimal greater than 0 (units of the currency per 1 base)' });
    else points.push({ base: base as string, currency: r.currency, day: r.day, units: rate, price: '1' });
  });
  return { points, rejected, problems };
}

/** An amount converted, with the oldest rate day it used and the base it crossed through, if any. */
export interface Converted {
  amount: Big;
  rateDay: string;
  via?: string;
}

/** Converts amounts between currencies on a day, from a set of rate points. */
export type Converter = (amount: Big, from: string, to: string, day: string) => Converted | undefined;

/**
 * A converter over the given rates. The rule: on day D, each rate used is the latest one on or before
 * D, at most `MAX_RATE_AGE_DAYS` old (never a later one: a report of a day uses what was known that
 * day). A pair with no rate of its own goes through the fewest other currencies that have rates on that
 * day, in either direction of a quote: USD → RUB with the ECB's and the Bank of Russia's files is
 * USD → EUR (ECB) → RUB (the Bank of Russia's EUR rate). `rateDay` is the oldest rate used. Undefined
 * when no path has rates: the caller flags it, never a zero.
 */
export function converterOf(points: RatePoint[], maxAgeDays = MAX_RATE_AGE_DAYS): Converter {
  const series = new Map<string, RatePoint[]>();
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => (neighbours.get(a) ?? neighbours.set(a, new Set()).get(a)!).add(b);
  for (const p of points) {
    const key = `${p.base}#${p.currency}`;
    (series.get(key) ?? series.set(key, []).get(key)!).push(p);
    link(p.base, p.currency);
    link(p.currency, p.base);
  }
  for (const list of series.values()) list.sort((a, b) => a.day.localeCompare(b.day));
  const at = (base: string, currency: string, day: string): RatePoint | undefined => {
    const list = series.get(`${base}#${currency}`);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    let found: RatePoint | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.day <= day) [found, lo] = [list[mid], mid + 1];
      else hi = mid - 1;
    }
    return found && found.day >= daysBefore(day, maxAgeDays) ? found : undefined;
  };
  /** One step from `from` to `to` as a fraction (multiply by num, divide by den), if a rate is in force. */
  const step = (from: string, to: string, day: string): { num: string; den: string; day: string } | undefined => {
    const quoted = at(to, from, day); // `units` of `from` cost `price` of `to`
    if (quoted) return { num: quoted.price, den: quoted.units, day: quoted.day };
    const inverse = at(from, to, day); // `units` of `to` cost `price` of `from`
    return inverse ? { num: inverse.units, den: inverse.price, day: inverse.day } : undefined;
  };
  const factors = new Map<string, { num: Big; den: Big; rateDay: string; via: string[] } | null>();
  const factor = (from: string, to: string, day: string) => {
    const cacheKey = `${from}#${to}#${day}`;
    if (factors.has(cacheKey)) return factors.get(cacheKey)!;
    // Breadth first over the currencies with a rate in force that day: the fewest conversions win.
    const previous = new Map<string, { from: string; num: string; den: string; day: string }>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length && !seen.has(to)) {
      const current = queue.shift()!;
      for (const next of [...(neighbours.get(current) ?? [])].sort()) {
        if (seen.has(next)) continue;
        const s = step(current, next, day);
        if (!s) continue;
        seen.add(next);
        previous.set(next, { from: current, ...s });
        queue.push(next);
      }
    }
    let result: { num: Big; den: Big; rateDay: string; via: string[] } | null = null;
    if (seen.has(to)) {
      result = { num: new Big(1), den: new Big(1), rateDay: day, via: [] };
      for (let c = to; c !== from; ) {
        const p = previous.get(c)!;
        result.num = result.num.times(p.num);
        result.den = result.den.times(p.den);
        if (p.day < result.rateDay) result.rateDay = p.day;
        if (p.from !== from) result.via.unshift(p.from);
        c = p.from;
      }
    }
    factors.set(cacheKey, result);
    return result;
  };
  return (amount, from, to, day) => {
    if (from === to) return { amount, rateDay: day };
    const f = factor(from, to, day);
    if (!f) return undefined;
    return { amount: amount.times(f.num).div(f.den), rateDay: f.rateDay, ...(f.via.length ? { via: f.via.join('/') } : {}) };
  };
}
