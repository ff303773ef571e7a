import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { boundedPathParameters } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { authenticate } from '../../shared/http/auth.js';
import { logger } from '../../shared/observability/logger.js';
import { serveValueApi, type AdminEvent } from '../../shared/value/serve-value-api.js';

/** Purchases, a contact's value and segment, and the value settings (admin token). */
export const handler = middy<AdminEvent>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(boundedPathParameters())
  .use(authenticate(table, 'admin'))
  .handler((event) => serveValueApi(table, event));
