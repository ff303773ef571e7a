import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import { presentLead } from '../../shared/domain/lead.js';
import { authenticate } from '../../shared/http/auth.js';
import { boundedPathParameters } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { json } from '../../shared/http/responses.js';
import { getLeadWithTimeline } from '../../shared/store/lead-store.js';
import { logger } from '../../shared/observability/logger.js';

/** GET /v1/leads/{id}: the lead, its score and reasons, owner, status and timeline. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(boundedPathParameters())
  .use(authenticate(table, 'admin'))
  .handler(async (event) => {
    const leadId = event.pathParameters?.id ?? '';
    const found = await getLeadWithTimeline(table, leadId);
    if (!found) throw new NotFoundError(`no lead with id "${leadId}"`);
    return json(200, presentLead(found.lead, found.timeline));
  });
