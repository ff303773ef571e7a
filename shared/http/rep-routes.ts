import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { verifyAcceptToken } from '../domain/accept-link.js';
import { parseAvailability } from '../domain/directory-input.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { parseStatusChange } from '../domain/lead-status.js';
import { acceptLead, type AcceptPorts } from '../use-cases/accept-lead.js';
import { changeLeadStatus, type StatusPorts } from '../use-cases/change-lead-status.js';
import type { RepStore } from '../use-cases/ports.js';
import { setAvailability, type AvailabilityPorts } from '../use-cases/set-availability.js';
import type { EventWithPrincipal } from './auth.js';
import { readJsonBody } from './json-body.js';
import { json } from './responses.js';

/** Everything the rep's routes call: the rep's use cases' ports, and the accept links' secret. */
export type RepApiPorts = AcceptPorts & StatusPorts & AvailabilityPorts & { reps: RepStore; linkSecret: string };
export type RepEvent = EventWithPrincipal<{ kind: 'rep'; repId: string }>;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(statusCode: number, title: string, body: string): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    body: `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">${body}</body></html>`,
  };
}

/**
 * `GET /v1/accept/{token}`: a page with one button. Opening the link does not accept, because mail and
 * chat link scanners open links on their own; the button POSTs back to the same URL. `POST` accepts the
 * assignment the signed link names (HTML for the page's form, JSON otherwise). The token is checked
 * first, so an expired or altered link says so at once.
 */
export async function answerAcceptLink(ports: RepApiPorts, event: APIGatewayProxyEventV2, now: Date): Promise<APIGatewayProxyResultV2> {
  const claim = verifyAcceptToken(event.pathParameters?.token ?? '', ports.linkSecret, now);
  if (event.requestContext.http.method === 'GET') {
    return html(
      200,
      'Accept lead',
      `<h1>Accept lead ${escapeHtml(claim.leadId)}</h1><p>Assigned to ${escapeHtml(claim.repId)}.</p>` +
        `<form method="post"><button type="submit" style="font-size:1.2rem;padding:.6rem 1.4rem">Accept</button></form>`,
    );
  }
  const accepted = await acceptLead(ports, { leadId: claim.leadId, repId: claim.repId, assignment: claim.assignment, via: 'link', now });
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

/** `/v1/rep/...` with a rep token: the rep's leads newest first, accept, status, availability. */
export async function answerRepRoute(ports: RepApiPorts, event: RepEvent, now: Date): Promise<APIGatewayProxyResultV2> {
  const { repId } = event.principal;
  const leadId = event.pathParameters?.id ?? '';
  switch (event.routeKey) {
    case 'GET /v1/rep/leads':
      return json(200, await ports.reps.listRepLeads(repId, { limit: pageLimit(event), cursor: event.queryStringParameters?.cursor }));
    case 'POST /v1/rep/leads/{id}/accept':
      return json(200, await acceptLead(ports, { leadId, repId, via: 'api', now }));
    case 'POST /v1/rep/leads/{id}/status':
      return json(200, await changeLeadStatus(ports, { leadId, repId, change: parseStatusChange(readJsonBody(event)), now }));
    case 'POST /v1/rep/availability':
      return json(200, await setAvailability(ports, { repId, availability: parseAvailability(readJsonBody(event), now), now }));
    default:
      throw new NotFoundError(`no rep route ${event.routeKey}`);
  }
}
