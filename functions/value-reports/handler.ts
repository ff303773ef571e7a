import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { ClientError } from '../../shared/domain/errors.js';
import { authenticate } from '../../shared/http/auth.js';
import { httpErrors } from '../../shared/http/errors.js';
import { json } from '../../shared/http/responses.js';
import { logger } from '../../shared/observability/logger.js';
import { buildAttributionReports } from '../../shared/reports/build-attribution-reports.js';
import { buildSegmentReport } from '../../shared/reports/build-segment-report.js';
import { readSegmentReport } from '../../shared/store/segment-report-store.js';
import { MAX_BUILD_DAYS, readAttributionReport, reportPeriod } from '../../shared/value/attribution-report-view.js';

/**
 * GET /v1/reports/attribution (`from`, `to`, `models=`, `groupBy=`) and GET /v1/reports/segments read
 * built aggregates only; their POST .../build routes build them now (attribution: at most 31 days).
 */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'admin'))
  .handler(async (event) => {
    const now = new Date();
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
  });
