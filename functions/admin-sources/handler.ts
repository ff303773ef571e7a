import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { ssm } from '../../shared/aws/ssm.js';
import { manageSources } from '../../shared/sources/manage-sources.js';
import { authenticate, type EventWithPrincipal } from '../../shared/http/auth.js';
import { boundedPathParameters } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { logger } from '../../shared/observability/logger.js';
import { secretsLocationFromEnv } from '../../shared/secrets/source-secrets.js';

/** `/v1/admin/sources[/{sourceId}]`: create, list, read, update and disable lead sources (admin token). */
export const handler = middy<EventWithPrincipal<{ kind: 'admin'; name: string }>>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(boundedPathParameters())
  .use(authenticate(table, 'admin'))
  .handler((event) =>
    manageSources({ table, ssm, secretsPrefix: secretsLocationFromEnv().prefix, now: () => new Date() }, event as APIGatewayProxyEventV2 & typeof event),
  );
