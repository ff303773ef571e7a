import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { ssm } from '../../shared/aws/ssm.js';
import { authenticate } from '../../shared/http/auth.js';
import { httpErrors } from '../../shared/http/errors.js';
import { json } from '../../shared/http/responses.js';
import { logger } from '../../shared/observability/logger.js';
import { secretsLocationFromEnv } from '../../shared/secrets/source-secrets.js';
import { manageConnections } from '../../shared/spend/manage-connections.js';

const deps = { table, ssm, secretsPrefix: secretsLocationFromEnv().prefix, now: () => new Date() };

/** `/v1/spend/connections[/{connectionId}]`: the ad accounts whose spend is pulled daily (admin token). */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'admin'))
  .handler(async (event) => {
    const { status, body } = await manageConnections(deps, event);
    return body === undefined ? { statusCode: status } : json(status, body);
  });
