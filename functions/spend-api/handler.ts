import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { ClientError } from '../../shared/domain/errors.js';
import { authenticate } from '../../shared/http/auth.js';
import { httpErrors } from '../../shared/http/errors.js';
import { json } from '../../shared/http/responses.js';
import { logger } from '../../shared/observability/logger.js';
import { importSpendFile, recordSpendRows, tableSpendDeps } from '../../shared/spend/import-spend.js';
import { importOptions, spendBody, spendJson } from '../../shared/spend/spend-request.js';

const deps = tableSpendDeps(table);

/** POST /v1/spend: JSON spend rows. POST /v1/spend/import: an ad platform's export, recognized from its content. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'admin'))
  .handler(async (event) => {
    switch (event.routeKey) {
      case 'POST /v1/spend':
        return json(200, await recordSpendRows(deps, spendJson(event)));
      case 'POST /v1/spend/import':
        return json(200, await importSpendFile(deps, spendBody(event), importOptions(event)));
      default:
        throw new ClientError(404, 'not_found', `no spend route ${event.routeKey}`);
    }
  });
