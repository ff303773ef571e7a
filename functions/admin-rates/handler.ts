import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { manageRates } from '../../shared/admin/manage-rates.js';
import { authenticate, type EventWithPrincipal } from '../../shared/http/auth.js';
import { httpErrors } from '../../shared/http/errors.js';
import { logger } from '../../shared/observability/logger.js';

/** Exchange rates (JSON, ECB CSV, Bank of Russia XML) and the report currency (admin token). */
export const handler = middy<EventWithPrincipal<{ kind: 'admin'; name: string }>>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'admin'))
  .handler((event) => manageRates({ table, now: () => new Date() }, event, event.principal.name));
