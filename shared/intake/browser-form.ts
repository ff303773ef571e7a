import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Source } from '../domain/directory.js';
import { ClientError } from '../domain/errors.js';
import { mediaTypeOf } from '../http/body.js';
import { answerPreflight, corsHeaders, decideOrigin, type OriginDecision } from '../http/cors.js';
import { json } from '../http/responses.js';
import { findPrincipal } from '../store/directory-store.js';
import type { Table } from '../store/table.js';
import { redirectAfterPost, seeOther } from './redirect-after-post.js';
import { sourceOf } from './source-cache.js';

/** A request to the web-form endpoint once its source is known. */
export type BrowserFormEvent = APIGatewayProxyEventV2 & {
  principal?: { kind: string; sourceId?: string };
  /** Set by `formSource` once the key is known. */
  source?: Source;
  /** The source's verdict on the request's Origin, set with `source`. */
  originDecision?: OriginDecision;
};

type Result = APIGatewayProxyResultV2;


/** The source a preflight names with `?key=`, or undefined when it names none that is enabled. */
async function preflightSource(table: Table, event: APIGatewayProxyEventV2): Promise<Source | undefined> {
  const key = event.queryStringParameters?.key;
  if (!key) return undefined;
  const principal = await findPrincipal(table, key);
  if (principal?.kind !== 'source') return undefined;
  try {
    return await sourceOf(table, principal.sourceId);
  } catch (error) {
    if (error instanceof ClientError) return undefined;
    throw error;
  }
}

function withHeaders(response: Result | null, headers: Record<string, string>): Result | null {
  if (!response || typeof response !== 'object' || !Object.keys(headers).length) return response;
  const structured = response as APIGatewayProxyStructuredResultV2;
  return { ...structured, headers: { ...structured.headers, ...headers } };
}

/**
 * What a browser needs from an endpoint that web pages post to: answers CORS preflights (`OPTIONS`,
 * see `answerPreflight` for how the origin is judged without credentials), puts the CORS headers of
 * an allowed origin on every answer, errors included, and sends a form post without JavaScript back
 * to the source's `redirectUrl` with `error=<code>` when the submission was refused. Use it before
 * the error middleware, so that it sees the error's answer.
 */
export function browserFormResponses(table: Table): middy.MiddlewareObj<BrowserFormEvent, Result> {
  const finish = (request: middy.Request<BrowserFormEvent, Result>): void => {
    const event = request.event;
    const cors = event.originDecision ? corsHeaders(event.originDecision) : {};
    const error = request.error;
    if (event.source && error instanceof ClientError) {
      const location = redirectAfterPost({
        redirectUrl: event.source.redirectUrl,
        mediaType: mediaTypeOf(event),
        accept: event.headers?.accept,
        outcome: { statusCode: error.statusCode, code: error.code, fields: error.fields.map((f) => f.field) },
      });
      if (location) {
        request.response = seeOther(location, cors);
        return;
      }
    }
    request.response = withHeaders(request.response, cors);
  };
  return {
    before: async (request) => {
      if (request.event.requestContext.http.method.toUpperCase() !== 'OPTIONS') return undefined;
      const event = request.event;
      const source = await preflightSource(table, event);
      const answer = answerPreflight(
        { origin: event.headers?.origin, requestMethod: event.headers?.['access-control-request-method'] },
        source ? source.allowedOrigins : 'unknown',
      );
      if (answer.denied) return json(answer.statusCode, { error: 'origin_not_allowed', message: answer.denied }, answer.headers);
      return { statusCode: answer.statusCode, headers: answer.headers, body: '' };
    },
    after: async (request) => finish(request),
    onError: async (request) => finish(request),
  };
}

/**
 * Loads the enabled source of the request's key and enforces its allowed origins: a browser request
 * from an origin the source does not list is refused with 403 naming the origin, before the body is
 * read and so before anything is stored. Requests without an Origin (servers, curl) are not affected.
 * Runs after authentication.
 */
export function formSource(table: Table): middy.MiddlewareObj<BrowserFormEvent, Result> {
  return {
    before: async (request) => {
      const event = request.event;
      const sourceId = event.principal?.sourceId;
      if (!sourceId) throw new ClientError(403, 'forbidden', 'this endpoint needs a source key');
      const source = await sourceOf(table, sourceId);
      event.source = source;
      event.originDecision = decideOrigin(event.headers?.origin, source.allowedOrigins);
      if (event.originDecision.kind === 'denied') {
        throw new ClientError(403, 'origin_not_allowed', `origin ${event.originDecision.origin} may not post to source ${source.sourceId}; add it to the source's allowedOrigins`);
      }
    },
  };
}

/**
 * The answer to a captured web-form post: 303 to the source's `redirectUrl` with `lead=<id>` for a
 * browser form post (see `redirectAfterPost`), else 202 with the lead id as JSON.
 */
export function answerCapturedPost(event: BrowserFormEvent, captured: { leadId: string; duplicate: boolean }): APIGatewayProxyStructuredResultV2 {
  const location = redirectAfterPost({
    redirectUrl: event.source?.redirectUrl,
    mediaType: mediaTypeOf(event),
    accept: event.headers?.accept,
    outcome: { leadId: captured.leadId },
  });
  return location ? seeOther(location) : json(202, { leadId: captured.leadId, status: 'accepted', duplicate: captured.duplicate });
}
