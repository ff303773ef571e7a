import { dayOf, daysBefore, daysBetween, isDay } from './days.js';
import { ValidationError, type FieldProblem } from './errors.js';

/** How report rows are bucketed in time; `all` is one bucket for the whole requested range. */
export type ReportPeriod = 'day' | 'week' | 'month' | 'all';
export const REPORT_PERIODS: readonly ReportPeriod[] = ['day', 'week', 'month', 'all'];

/** A bucket of days: its label and its first and last day (clipped to the range asked for). */
export interface PeriodBucket {
  period: string;
  periodStart: string;
  periodEnd: string;
}

function isoWeek(day: string): { label: string; monday: string } {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  const monday = daysBefore(day, weekday);
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(Date.parse(`${monday}T00:00:00Z`) + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, monday };
}

/**
 * The bucket a day belongs to: the day itself, its ISO week (`2026-W49`, Monday to Sunday), its month
 * (`2026-12`) or the whole range; start and end are clipped to `from`..`to`, so a partial week says so.
 */
export function bucketOf(day: string, period: ReportPeriod, from: string, to: string): PeriodBucket {
  const clip = (start: string, end: string, label: string) => ({ period: label, periodStart: start < from ? from : start, periodEnd: end > to ? to : end });
  switch (period) {
    case 'day':
      return { period: day, periodStart: day, periodEnd: day };
    case 'week': {
      const { label, monday } = isoWeek(day);
      return clip(monday, daysBefore(monday, -6), label);
    }
    case 'month': {
      const [y, m] = day.split('-').map(Number) as [number, number];
      const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      return clip(`${day.slice(0, 7)}-01`, last, day.slice(0, 7));
    }
    case 'all':
      return { period: `${from}..${to}`, periodStart: from, periodEnd: to };
  }
}

/** A report may span at most this many days (a year, leap years included). */
export const MAX_REPORT_DAYS = 366;

/**
 * The days of a report request: `from` and `to` (YYYY-MM-DD, UTC, both included), by default the last
 * `defaultDays` up to today; a 400 names the bad field, a reversed period, or one over `maxDays`.
 */
export function requestedDays(
  query: Record<string, string | undefined> | undefined,
  now: Date,
  { defaultDays, maxDays = MAX_REPORT_DAYS }: { defaultDays: number; maxDays?: number },
): string[] {
  const today = dayOf(now.toISOString());
  const from = query?.from ?? daysBefore(today, defaultDays - 1);
  const to = query?.to ?? today;
  const problems: FieldProblem[] = [];
  if (!isDay(from)) problems.push({ field: 'from', problem: `"${from}" is not a day written YYYY-MM-DD` });
  if (!isDay(to)) problems.push({ field: 'to', problem: `"${to}" is not a day written YYYY-MM-DD` });
  if (problems.length) throw new ValidationError('the report period is invalid', problems);
  if (from > to) throw new ValidationError('the report period is invalid', [{ field: 'from', problem: `is after to (${to})` }]);
  const days = daysBetween(from, to);
  if (days.length > maxDays) {
    throw new ValidationError('the report period is invalid', [
      { field: 'to', problem: `the period may span at most ${maxDays} days; this one has ${days.length}` },
    ]);
  }
  return days;
}
