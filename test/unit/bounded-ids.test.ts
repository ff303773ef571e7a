import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../shared/domain/errors.js';
import { boundedPathParameters, isBoundedId, requireBoundedId } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';

/** A payload-2.0 event as API Gateway hands it to a function: path parameters already decoded. */
function eventWith(pathParameters: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /v1/hooks/html_form/{sourceId}',
    rawPath: '/v1/hooks/html_form/x',
    rawQueryString: '',
    headers: {},
    pathParameters,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' }, timeEpoch: Date.now() },
  } as unknown as APIGatewayProxyEventV2;
}

const context = { awsRequestId: 'test' } as Context;

/** A handler that records whether it ran: with the bound in front, a refused id never reaches storage. */
function guardedHandler() {
  const reached: string[] = [];
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpErrors())
    .use(boundedPathParameters())
    .handler(async (event) => {
      reached.push(JSON.stringify(event.pathParameters));
      return { statusCode: 200, body: 'ok' };
    });
  return { handler, reached };
}

describe('bounded path parameters', () => {
  it('answers 404 for a 2,100-byte source id without running the handler, so it never becomes a DynamoDB key', async () => {
    const { handler, reached } = guardedHandler();
    const response = (await handler(eventWith({ sourceId: 'a'.repeat(2100) }), context)) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body!).message).toMatch(/sourceId must be 1 to 128 bytes/);
    expect(reached).toEqual([]);
  });

  it('counts bytes, not characters: 43 four-byte emoji are 172 bytes and refused', async () => {
    const { handler, reached } = guardedHandler();
    const response = (await handler(eventWith({ id: '😀'.repeat(43) }), context)) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(404);
    expect(reached).toEqual([]);
  });

  it('refuses control characters in an id, which API Gateway passes through decoded from %00 or %0A', async () => {
    const { handler } = guardedHandler();
    for (const id of ['a\u0000b', 'line\nbreak', '\u007f']) {
      expect(((await handler(eventWith({ id }), context)) as APIGatewayProxyStructuredResultV2).statusCode).toBe(404);
    }
  });

  it('lets ordinary ids, unicode ids and long signed accept tokens through to the handler', async () => {
    const { handler, reached } = guardedHandler();
    const cases: Array<Record<string, string>> = [{ sourceId: 'demo-form' }, { id: 'élène' }, { token: `a1.${'x'.repeat(300)}.sig` }, { sourceId: 'crm', event: 'events/call' }];
    for (const params of cases) {
      expect(((await handler(eventWith(params), context)) as APIGatewayProxyStructuredResultV2).statusCode).toBe(200);
    }
    expect(reached).toHaveLength(4);
  });

  it('names the field in a 400 when an id from a query string or body is too long', () => {
    expect(isBoundedId('sales')).toBe(true);
    expect(() => requireBoundedId('x'.repeat(129), 'teamId')).toThrow(ClientError);
    try {
      requireBoundedId('', 'teamId');
    } catch (error) {
      expect((error as ClientError).statusCode).toBe(400);
      expect((error as ClientError).fields[0]!.field).toBe('teamId');
    }
  });
});
