import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { manageDirectory } from '../../shared/admin/manage-directory.js';
import { authenticate, type EventWithPrincipal } from '../../shared/http/auth.js';
import { boundedPathParameters } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { logger } from '../../shared/observability/logger.js';

/** `/v1/admin/reps[/{id}[/token]]` and `/v1/admin/teams[/{id}]` (admin token); every change is audited. */
export const handler = middy<EventWithPrincipal<{ kind: 'admin'; name: string }>>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(boundedPathParameters())
  .use(authenticate(table, 'admin'))
  .handler((event) => manageDirectory({ table, now: () => new Date() }, event, event.principal.name));
