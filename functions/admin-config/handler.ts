import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { answerConfigRoute, type AdminEvent } from '../../shared/http/admin-config-routes.js';
import { authenticate } from '../../shared/http/auth.js';
import { boundedPathParameters } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { logger } from '../../shared/observability/logger.js';
import { dynamoConfigStore, dynamoDirectoryStore } from '../../shared/store/adapters.js';

const ports = { configs: dynamoConfigStore(table), directory: dynamoDirectoryStore(table), clock: { now: () => new Date() } };

/**
 * The admin config API: versioned routing and scoring configs (draft, read, activate), the audit log
 * of every change, and the routing simulation (shared/use-cases/manage-configs.ts, simulate-routing.ts). Admin token only.
 */
export const handler = middy<AdminEvent>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(boundedPathParameters())
  .use(authenticate(table, 'admin'))
  .handler((event) => answerConfigRoute(ports, event));
