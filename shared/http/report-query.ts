import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '../domain/errors.js';
import { requestedDays } from '../domain/report-period.js';

export { MAX_REPORT_DAYS } from '../domain/report-period.js';

/** The day range of a report request: `from` and `to` (YYYY-MM-DD, UTC, both included); the last 7 days by default. */
export function reportDays(event: APIGatewayProxyEventV2, now = new Date()): string[] {
  return requestedDays(event.queryStringParameters, now, { defaultDays: 7 });
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
