import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { ClientError } from '../../shared/domain/errors.js';
import { parseValueSettings } from '../../shared/domain/value-settings.js';
import { authenticate, type EventWithPrincipal } from '../../shared/http/auth.js';
import { boundedPathParameters } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { readJsonBody } from '../../shared/http/json-body.js';
import { json } from '../../shared/http/responses.js';
import { logger } from '../../shared/observability/logger.js';
import { readValueSettings, saveValueSettings } from '../../shared/store/value-settings-store.js';
import { readContactView } from '../../shared/value/contact-view.js';
import { receivePurchases } from '../../shared/value/record-purchase.js';

/**
 * POST /v1/purchases, one (201 recorded, 200 a repeat of the same order, 409 the order id with other
 * contents) or a batch (200, or 207 with each item's outcome); GET /v1/contacts/{id}; GET and PUT /v1/admin/value-settings (segment rules, attribution).
 */
type AdminEvent = EventWithPrincipal<{ kind: 'admin'; name: string }>;

export const handler = middy<AdminEvent>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(boundedPathParameters())
  .use(authenticate(table, 'admin'))
  .handler(async (event) => {
    const now = new Date();
    switch (event.routeKey) {
      case 'POST /v1/purchases': {
        const result = await receivePurchases(table, readJsonBody(event, 512 * 1024), now);
        return json(result.statusCode, result.body);
      }
      case 'GET /v1/contacts/{id}':
        return json(200, await readContactView(table, event.pathParameters?.id ?? '', now));
      case 'GET /v1/admin/value-settings':
        return json(200, await readValueSettings(table));
      case 'PUT /v1/admin/value-settings':
        return json(200, await saveValueSettings(table, parseValueSettings(readJsonBody(event)), { actor: event.principal.name, at: now.toISOString() }));
      default:
        throw new ClientError(404, 'not_found', `no route ${event.routeKey}`);
    }
  });
