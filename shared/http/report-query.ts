import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dayOf, daysBefore, daysBetween, isDay } from '../domain/days.js';
import { ValidationError, type FieldProblem } from '../domain/errors.js';

/** A report may span at most this many days (a year, leap years included). */
export const MAX_REPORT_DAYS = 366;

/** The day range of a report request: `from` and `to` (YYYY-MM-DD, UTC, both included); the last 7 days by default. */
export function reportDays(event: APIGatewayProxyEventV2, now = new Date()): string[] {
  const today = dayOf(now.toISOString());
  const from = event.queryStringParameters?.from ?? daysBefore(today, 6);
  const to = event.queryStringParameters?.to ?? today;
  const problems: FieldProblem[] = [];
  if (!isDay(from)) problems.push({ field: 'from', problem: `"${from}" is not a day written YYYY-MM-DD` });
  if (!isDay(to)) problems.push({ field: 'to', problem: `"${to}" is not a day written YYYY-MM-DD` });
  if (problems.length) throw new ValidationError('the report period is invalid', problems);
  if (from > to) throw new ValidationError('the report period is invalid', [{ field: 'from', problem: `is after to (${to})` }]);
  const days = daysBetween(from, to);
  if (days.length > MAX_REPORT_DAYS) {
    throw new ValidationError('the report period is invalid', [{ field: 'to', problem: `the period may span at most ${MAX_REPORT_DAYS} days` }]);
  }
  return days;
}

/** Whether the caller asked for CSV: `format=csv`, or `Accept: text/csv` without a format. */
export function wantsCsv(event: APIGatewayProxyEventV2): boolean {
  const format = event.queryStringParameters?.format;
  if (format && format !== 'csv' && format !== 'json') {
    throw new ValidationError('unknown report format', [{ field: 'format', problem: 'must be json or csv' }]);
  }
  return format === 'csv' || (!format && (event.headers?.accept ?? '').includes('text/csv'));
}

/** A CSV download response. */
export function csvResponse(name: string, body: string) {
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` },
    body,
  };
}
