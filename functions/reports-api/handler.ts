import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { authenticate } from '../../shared/http/auth.js';
import { httpErrors } from '../../shared/http/errors.js';
import { serveReports } from '../../shared/reports/serve-reports.js';
import { logger } from '../../shared/observability/logger.js';

/** GET /v1/reports/sources | channels | reps (JSON or CSV) and their build routes (admin token). */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'admin'))
  .handler((event) => serveReports(table, event));
