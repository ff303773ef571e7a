import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { stringify } from 'csv-stringify/sync';
import { ClientError, ValidationError } from '../domain/errors.js';
import { completeReportRow, formatRevenue } from '../domain/source-report.js';
import { csvResponse, reportDays, wantsCsv } from '../http/report-query.js';
import { json } from '../http/responses.js';
import { readSourceReport } from '../store/report-store.js';
import type { Table } from '../store/table.js';
import { buildReports } from './build-reports.js';
import { buildSourceReports } from './build-source-reports.js';
import { channelReportCsv, readChannelReport, readRepReport, repReportCsv } from './read-reports.js';

/** Building runs within the request (API Gateway waits at most 30 s); longer periods are built in parts. */
const MAX_BUILD_DAYS = 31;
/** The first nine columns keep their places; columns added later follow, so positional imports keep working. */
const CSV_COLUMNS = [
  'day', 'sourceId', 'channel', 'leads', 'qualified', 'assigned', 'notified', 'medianCaptureToNotifyMs', 'builtAt',
  'accepted', 'contacted', 'won', 'lost', 'medianCaptureToAcceptMs', 'medianCaptureToContactMs', 'revenue',
] as const;

async function readSources(table: Table, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
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
async function readAggregated(table: Table, event: APIGatewayProxyEventV2, kind: 'channels' | 'reps'): Promise<APIGatewayProxyStructuredResultV2> {
  const days = reportDays(event);
  const csv = wantsCsv(event);
  const q = event.queryStringParameters ?? {};
  const request = { days, groupBy: q.groupBy, period: q.period, currency: q.currency, droppedLeads: q.droppedLeads };
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
 * The report routes: GET /v1/reports/sources | channels | reps as JSON or CSV; POST
 * /v1/reports/sources/build rebuilds the source report now, POST /v1/reports/channels/build all three.
 */
export async function serveReports(table: Table, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  switch (event.routeKey) {
    case 'GET /v1/reports/sources':
      return readSources(table, event);
    case 'GET /v1/reports/channels':
      return readAggregated(table, event, 'channels');
    case 'GET /v1/reports/reps':
      return readAggregated(table, event, 'reps');
    case 'POST /v1/reports/sources/build':
      return json(200, { report: 'sources', built: await buildSourceReports(table, buildDays(event), new Date()) });
    case 'POST /v1/reports/channels/build':
      return json(200, { report: 'channels', built: await buildReports(table, buildDays(event), new Date()) });
    default:
      throw new ClientError(404, 'not_found', `no report route ${event.routeKey}`);
  }
}
