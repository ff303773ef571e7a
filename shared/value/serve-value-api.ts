import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ClientError } from '../domain/errors.js';
import { parseValueSettings } from '../domain/value-settings.js';
import type { EventWithPrincipal } from '../http/auth.js';
import { readJsonBody } from '../http/json-body.js';
import { json } from '../http/responses.js';
import type { Table } from '../store/table.js';
import { readValueSettings, saveValueSettings } from '../store/value-settings-store.js';
import { readContactView } from './contact-view.js';
import { receivePurchases } from './record-purchase.js';

/** A batch of 100 purchases stays well within this. */
const MAX_PURCHASES_BODY_BYTES = 512 * 1024;

export type AdminEvent = EventWithPrincipal<{ kind: 'admin'; name: string }>;

/**
 * POST /v1/purchases: one purchase (201 recorded, 200 a repeat of the same order, 409 the order id with
 * other contents) or a batch (200, or 207 with each item's outcome); GET /v1/contacts/{id}; GET and PUT
 * /v1/admin/value-settings (segment rules, attribution lookback and half-life).
 */
export async function serveValueApi(table: Table, event: AdminEvent, now = new Date()): Promise<APIGatewayProxyStructuredResultV2> {
  switch (event.routeKey) {
    case 'POST /v1/purchases': {
      const result = await receivePurchases(table, readJsonBody(event, MAX_PURCHASES_BODY_BYTES), now);
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
}
