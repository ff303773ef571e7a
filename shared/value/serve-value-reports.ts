import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ClientError } from '../domain/errors.js';
import { json } from '../http/responses.js';
import { buildAttributionReports } from '../reports/build-attribution-reports.js';
import { buildSegmentReport } from '../reports/build-segment-report.js';
import { readSegmentReport } from '../store/segment-report-store.js';
import type { Table } from '../store/table.js';
import { MAX_BUILD_DAYS, readAttributionReport, reportPeriod } from './attribution-report-view.js';

/**
 * GET /v1/reports/attribution (`from`, `to`, `models=`, `groupBy=`) and GET /v1/reports/segments read
 * built aggregates only; their POST .../build routes build them now (attribution: at most 31 days).
 */
export async function serveValueReports(table: Table, event: APIGatewayProxyEventV2, now = new Date()): Promise<APIGatewayProxyStructuredResultV2> {
  const query = event.queryStringParameters;
  switch (event.routeKey) {
    case 'GET /v1/reports/attribution':
      return json(200, await readAttributionReport(table, query, now));
    case 'POST /v1/reports/attribution/build':
      return json(200, { report: 'attribution', built: await buildAttributionReports(table, reportPeriod(query, now, MAX_BUILD_DAYS), now) });
    case 'GET /v1/reports/segments':
      return json(200, { report: 'segments', ...(await readSegmentReport(table)) });
    case 'POST /v1/reports/segments/build':
      return json(200, { report: 'segments', built: await buildSegmentReport(table, now, { refresh: true }) });
    default:
      throw new ClientError(404, 'not_found', `no report route ${event.routeKey}`);
  }
}
