import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { stringify } from 'csv-stringify/sync';
import { table } from '../../shared/aws/runtime.js';
import { ClientError, ValidationError } from '../../shared/domain/errors.js';
import { completeReportRow, formatRevenue } from '../../shared/domain/source-report.js';
import { authenticate } from '../../shared/http/auth.js';
import { httpErrors } from '../../shared/http/errors.js';
import { csvResponse, reportDays, wantsCsv } from '../../shared/http/report-query.js';
import { json } from '../../shared/http/responses.js';
import { buildReports } from '../../shared/reports/build-reports.js';
import { buildSourceReports } from '../../shared/reports/build-source-reports.js';
import { channelReportCsv, readChannelReport, readRepReport, repReportCsv } from '../../shared/reports/read-reports.js';
import { readSourceReport } from '../../shared/store/report-store.js';
import { logger } from '../../shared/observability/logger.js';

/** Building runs within the request (API Gateway waits at most 30 s); longer periods are built in parts. */
const MAX_BUILD_DAYS = 31;
/** The first nine columns keep their places; columns added later follow, so positional imports keep working. */
const CSV_COLUMNS = [
  'day', 'sourceId', 'channel', 'leads', 'qualified', 'assigned', 'notified', 'medianCaptureToNotifyMs', 'builtAt',
  'accepted', 'contacted', 'won', 'lost', 'medianCaptureToAcceptMs', 'medianCaptureToContactMs', 'revenue',
] as const;

async function readSources(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const days = reportDays(event);
  const csv = wantsCsv(event);
  const rows = (await readSourceReport(table, days)).map(completeReportRow);
  if (!csv) return json(200, { report: 'sources', from: days[0], to: days.at(-1), rows });
  return csvResponse(
    `leadflow-sources-${days[0]}-${days.at(-1)}`,
    stringify(rows.map((row) => ({ ...row, revenue: formatRevenue(row.revenue) })), { header: true, columns: [...CSV_COLUMNS], cast: { number: String } }),
  );
}

/** The channel or rep report: JSON, or CSV with `format=csv` or `Accept: text/csv`. */
async function readAggregated(event: APIGatewayProxyEventV2, kind: 'channels' | 'reps'): Promise<APIGatewayProxyStructuredResultV2> {
  const days = reportDays(event);
  const csv = wantsCsv(event);
  const q = event.queryStringParameters ?? {};
  const request = { days, groupBy: q.groupBy, period: q.period, currency: q.currency };
  const name = `leadflow-${kind}-${days[0]}-${days.at(-1)}`;
  if (kind === 'reps') {
    const report = await readRepReport(table, request);
    return csv ? csvResponse(name, repReportCsv(report.rows)) : json(200, report);
  }
  const report = await readChannelReport(table, request);
  return csv ? csvResponse(name, channelReportCsv(report.rows)) : json(200, report);
}

function buildDays(event: APIGatewayProxyEventV2): string[] {
  const days = reportDays(event);
  if (days.length > MAX_BUILD_DAYS) {
    throw new ValidationError('the period to build is too long', [
      { field: 'to', problem: `build at most ${MAX_BUILD_DAYS} days at a time; this period has ${days.length}` },
    ]);
  }
  return days;
}

/**
 * GET /v1/reports/sources | channels | reps: the reports, as JSON or CSV. POST /v1/reports/sources/build
 * rebuilds the source report now; POST /v1/reports/channels/build rebuilds all three for the period.
 */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'admin'))
  .handler(async (event) => {
    switch (event.routeKey) {
      case 'GET /v1/reports/sources':
        return readSources(event);
      case 'GET /v1/reports/channels':
        return readAggregated(event, 'channels');
      case 'GET /v1/reports/reps':
        return readAggregated(event, 'reps');
      case 'POST /v1/reports/sources/build':
        return json(200, { report: 'sources', built: await buildSourceReports(table, buildDays(event), new Date()) });
      case 'POST /v1/reports/channels/build':
        return json(200, { report: 'channels', built: await buildReports(table, buildDays(event), new Date()) });
      default:
        throw new ClientError(404, 'not_found', `no report route ${event.routeKey}`);
    }
  });
