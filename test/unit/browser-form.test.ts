import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../shared/domain/directory.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { decideOrigin } from '../../shared/http/cors.js';
import { httpErrors } from '../../shared/http/errors.js';
import { answerCapturedPost, browserFormResponses, type BrowserFormEvent } from '../../shared/intake/browser-form.js';
import type { Table } from '../../shared/store/table.js';

const SITE = 'https://www.example.com';
const source: Source = { sourceId: 'site', name: 'Site', provider: 'html_form', enabled: true, allowedOrigins: [SITE], redirectUrl: `${SITE}/thanks` };
// No test here presents a key, so the table must never be touched: a getter that throws proves it.
const untouchedTable = { get client(): never { throw new Error('the table was read'); }, name: 'none' } as unknown as Table;

function event(method: string, headers: Record<string, string>): BrowserFormEvent {
  return {
    version: '2.0', routeKey: `${method} /v1/leads`, rawPath: '/v1/leads', rawQueryString: '', headers, isBase64Encoded: false,
    requestContext: { http: { method, path: '/v1/leads', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' }, timeEpoch: Date.now() },
  } as unknown as APIGatewayProxyEventV2;
}

/**
 * The web-form chain with the source already resolved (as `formSource` would) and a handler that
 * either refuses the submission or captures lead 01JLEAD.
 */
function chain(outcome: 'refuse' | 'capture') {
  return middy<BrowserFormEvent, APIGatewayProxyStructuredResultV2>()
    .use(browserFormResponses(untouchedTable))
    .use(httpErrors())
    .use({
      before: async (request) => {
        request.event.source = source;
        request.event.originDecision = decideOrigin(request.event.headers.origin, source.allowedOrigins);
      },
    })
    .handler(async (e) => {
      if (outcome === 'refuse') throw new ValidationError('the lead has invalid or missing fields', [{ field: 'email', problem: 'is not an email address' }]);
      return answerCapturedPost(e, { leadId: '01JLEAD', duplicate: false });
    });
}
const invoke = (handler: ReturnType<typeof chain>, e: BrowserFormEvent) => handler(e, {} as Context) as Promise<APIGatewayProxyStructuredResultV2>;

describe('browserFormResponses', () => {
  it('answers a preflight without a key by letting the origin through, before any authentication', async () => {
    const answer = await invoke(chain('capture'), event('OPTIONS', { origin: 'https://other.io', 'access-control-request-method': 'POST' }));
    expect(answer.statusCode).toBe(204);
    expect(answer.headers).toMatchObject({ 'access-control-allow-origin': 'https://other.io', 'access-control-allow-methods': 'POST', vary: 'Origin' });
  });

  it('puts the allowed origin\'s CORS headers on a 4xx answer', async () => {
    const answer = await invoke(chain('refuse'), event('POST', { origin: SITE, 'content-type': 'application/json', accept: '*/*' }));
    expect(answer.statusCode).toBe(400);
    expect(answer.headers).toMatchObject({ 'access-control-allow-origin': SITE, vary: 'Origin' });
    expect(JSON.parse(answer.body!)).toMatchObject({ error: 'invalid_request' });
  });

  it('sends a refused browser form post back to the redirect URL with the error and the fields', async () => {
    const answer = await invoke(chain('refuse'), event('POST', { origin: SITE, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }));
    expect(answer.statusCode).toBe(303);
    expect(answer.headers).toMatchObject({ location: `${SITE}/thanks?error=invalid_request&fields=email`, 'access-control-allow-origin': SITE });
  });

  it('sends a captured browser form post to the redirect URL with the lead id, and a fetch gets 202 JSON', async () => {
    const form = await invoke(chain('capture'), event('POST', { origin: SITE, 'content-type': 'multipart/form-data; boundary=x', accept: 'text/html' }));
    expect(form.statusCode).toBe(303);
    expect(form.headers?.location).toBe(`${SITE}/thanks?lead=01JLEAD`);
    const fetched = await invoke(chain('capture'), event('POST', { origin: SITE, 'content-type': 'application/json', accept: '*/*' }));
    expect(fetched.statusCode).toBe(202);
    expect(fetched.headers).toMatchObject({ 'access-control-allow-origin': SITE });
    expect(JSON.parse(fetched.body!)).toEqual({ leadId: '01JLEAD', status: 'accepted', duplicate: false });
  });

  it('adds no CORS headers to a request without an Origin', async () => {
    const answer = await invoke(chain('capture'), event('POST', { 'content-type': 'application/json' }));
    expect(answer.statusCode).toBe(202);
    expect(answer.headers).not.toHaveProperty('access-control-allow-origin');
    expect(answer.headers).not.toHaveProperty('vary');
  });
});
