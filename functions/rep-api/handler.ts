import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { acceptLinkConfig, config } from '../../shared/aws/config.js';
import { table } from '../../shared/aws/runtime.js';
import { verifyAcceptToken } from '../../shared/domain/accept-link.js';
import { parseAvailability } from '../../shared/domain/directory-input.js';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { parseStatusChange } from '../../shared/domain/lead-status.js';
import { authenticate, type EventWithPrincipal } from '../../shared/http/auth.js';
import { boundedPathParameters } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { readJsonBody } from '../../shared/http/json-body.js';
import { json } from '../../shared/http/responses.js';
import { acceptLead, changeLeadStatus, setAvailability, type RepDeps } from '../../shared/use-cases/rep-actions.js';
import { activeRoutingConfig } from '../../shared/store/config-store.js';
import { listRepLeads } from '../../shared/store/rep-lead-store.js';
import { logger } from '../../shared/observability/logger.js';

const { secret } = acceptLinkConfig(config());
const deps: RepDeps = { table, routingConfig: () => activeRoutingConfig(table) };
type RepEvent = EventWithPrincipal<{ kind: 'rep'; repId: string }>;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(statusCode: number, title: string, body: string): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    body: `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">${body}</body></html>`,
  };
}

/**
 * GET /v1/accept/{token}: a page with one button. Opening the link does not accept, because mail and chat
 * link scanners open links on their own; the button POSTs back to the same URL. The token is checked
 * first, so an expired or altered link says so at once.
 */
function acceptPage(event: APIGatewayProxyEventV2): APIGatewayProxyResultV2 {
  const token = event.pathParameters?.token ?? '';
  const claim = verifyAcceptToken(token, secret, new Date());
  return html(
    200,
    'Accept lead',
    `<h1>Accept lead ${escapeHtml(claim.leadId)}</h1><p>Assigned to ${escapeHtml(claim.repId)}.</p>` +
      `<form method="post"><button type="submit" style="font-size:1.2rem;padding:.6rem 1.4rem">Accept</button></form>`,
  );
}

/** POST /v1/accept/{token}: accepts the assignment the signed link names. HTML for the page's form, JSON otherwise. */
async function acceptByLink(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const now = new Date();
  const claim = verifyAcceptToken(event.pathParameters?.token ?? '', secret, now);
  const accepted = await acceptLead(deps, { leadId: claim.leadId, repId: claim.repId, assignment: claim.assignment, via: 'link', now });
  const fromForm = (event.headers?.['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  if (fromForm) return html(200, 'Lead accepted', `<h1>Lead accepted</h1><p>Lead ${escapeHtml(accepted.leadId)} is yours.</p>`);
  return json(200, accepted);
}

function pageLimit(event: APIGatewayProxyEventV2): number {
  const raw = event.queryStringParameters?.limit;
  if (raw === undefined) return 25;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new ValidationError('the query is not valid', [{ field: 'limit', problem: 'must be a whole number from 1 to 100' }]);
  }
  return limit;
}

async function repRoute(event: RepEvent): Promise<APIGatewayProxyResultV2> {
  const { repId } = event.principal;
  const leadId = event.pathParameters?.id ?? '';
  const now = new Date();
  switch (event.routeKey) {
    case 'GET /v1/rep/leads': {
      const page = await listRepLeads(table, repId, { limit: pageLimit(event), cursor: event.queryStringParameters?.cursor });
      return json(200, page);
    }
    case 'POST /v1/rep/leads/{id}/accept':
      return json(200, await acceptLead(deps, { leadId, repId, via: 'api', now }));
    case 'POST /v1/rep/leads/{id}/status':
      return json(200, await changeLeadStatus(deps, { leadId, repId, change: parseStatusChange(readJsonBody(event)), now }));
    case 'POST /v1/rep/availability':
      return json(200, await setAvailability(deps, { repId, availability: parseAvailability(readJsonBody(event), now), now }));
    default:
      throw new NotFoundError(`no rep route ${event.routeKey}`);
  }
}

const linkHandler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(httpErrors())
  .use(boundedPathParameters())
  .handler((event) => (event.requestContext.http.method === 'GET' ? acceptPage(event) : acceptByLink(event)));

const repHandler = middy<RepEvent, APIGatewayProxyResultV2>()
  .use(httpErrors())
  .use(boundedPathParameters())
  .use(authenticate(table, 'rep'))
  .handler(repRoute);

/**
 * The rep's side: `/v1/accept/{token}` (the signed link is the credential) and `/v1/rep/...` with a rep
 * token (accept, status, availability, the rep's leads newest first).
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger))
  .handler((event, context) =>
    event.routeKey.startsWith('GET /v1/accept/') || event.routeKey.startsWith('POST /v1/accept/')
      ? linkHandler(event, context)
      : repHandler(event as RepEvent, context),
  );
