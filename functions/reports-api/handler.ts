import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { stringify } from 'csv-stringify/sync';
import { table } from '../../shared/aws/runtime.js';
import { dayOf, daysBefore, daysBetween, isDay } from '../../shared/domain/days.js';
import { ClientError, ValidationError, type FieldProblem } from '../../shared/domain/errors.js';
import { completeReportRow, formatRevenue } from '../../shared/domain/source-report.js';
import { authenticate } from '../../shared/http/auth.js';
import { httpErrors } from '../../shared/http/errors.js';
import { json } from '../../shared/http/responses.js';
import { buildSourceReports } from '../../shared/reports/build-source-reports.js';
import { readSourceReport } from '../../shared/store/report-store.js';
import { logger } from '../../shared/observability/logger.js';

const MAX_DAYS = 366;
/** Building runs within the request (API Gateway waits at most 30 s); longer periods are built in parts. */
const MAX_BUILD_DAYS = 31;
/** The first nine columns keep their places; columns added later follow, so positional imports keep working. */
const CSV_COLUMNS = [
  'day', 'sourceId', 'channel', 'leads', 'qualified', 'assigned', 'notified', 'medianCaptureToNotifyMs', 'builtAt',
  'accepted', 'contacted', 'won', 'lost', 'medianCaptureToAcceptMs', 'medianCaptureToContactMs', 'revenue',
] as const;

/** The day range of a request: `from` and `to` (YYYY-MM-DD, UTC, both included); the last 7 days by default. */
function dayRange(event: APIGatewayProxyEventV2): string[] {
  const today = dayOf(new Date().toISOString());
  const from = event.queryStringParameters?.from ?? daysBefore(today, 6);
  const to = event.queryStringParameters?.to ?? today;
  const problems: FieldProblem[] = [];
  if (!isDay(from)) problems.push({ field: 'from', problem: `"${from}" is not a day written YYYY-MM-DD` });
  if (!isDay(to)) problems.push({ field: 'to', problem: `"${to}" is not a day written YYYY-MM-DD` });
  if (problems.length) throw new ValidationError('the report period is invalid', problems);
  if (from > to) throw new ValidationError('the report period is invalid', [{ field: 'from', problem: `is after to (${to})` }]);
  const days = daysBetween(from, to);
  if (days.length > MAX_DAYS) {
    throw new ValidationError('the report period is invalid', [{ field: 'to', problem: `the period may span at most ${MAX_DAYS} days` }]);
  }
  return days;
}

function wantsCsv(event: APIGatewayProxyEventV2): boolean {
  const format = event.queryStringParameters?.format;
  if (format && format !== 'csv' && format !== 'json') {
    throw new ValidationError('unknown report format', [{ field: 'format', problem: 'must be json or csv' }]);
  }
  return format === 'csv' || (!format && (event.headers?.accept ?? '').includes('text/csv'));
}

async function readReport(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const days = dayRange(event);
  const csv = wantsCsv(event);
  const rows = (await readSourceReport(table, days)).map(completeReportRow);
  if (!csv) return json(200, { report: 'sources', from: days[0], to: days.at(-1), rows });
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="leadflow-sources-${days[0]}-${days.at(-1)}.csv"`,
    },
    body: stringify(
      rows.map((row) => ({ ...row, revenue: formatRevenue(row.revenue) })),
      { header: true, columns: [...CSV_COLUMNS], cast: { number: String } },
    ),
  };
}

/**
 * GET /v1/reports/sources: the per-source daily report as JSON, or CSV with `format=csv` or
 * `Accept: text/csv`. POST /v1/reports/sources/build: rebuilds it now for the same period.
 */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'admin'))
  .handler(async (event) => {
    switch (event.routeKey) {
      case 'GET /v1/reports/sources':
        return readReport(event);
      case 'POST /v1/reports/sources/build': {
        const days = dayRange(event);
        if (days.length > MAX_BUILD_DAYS) {
          throw new ValidationError('the period to build is too long', [
            { field: 'to', problem: `build at most ${MAX_BUILD_DAYS} days at a time; this period has ${days.length}` },
          ]);
        }
        const result = await buildSourceReports(table, days, new Date());
        return json(200, { report: 'sources', built: result });
      }
      default:
        throw new ClientError(404, 'not_found', `no report route ${event.routeKey}`);
    }
  });
