import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { authenticate } from '../../shared/http/auth.js';
import { httpErrors } from '../../shared/http/errors.js';
import { logger } from '../../shared/observability/logger.js';
import { serveValueReports } from '../../shared/value/serve-value-reports.js';

/** The attribution and segment reports, read from built aggregates, and their build routes (admin token). */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'admin'))
  .handler((event) => serveValueReports(table, event));
