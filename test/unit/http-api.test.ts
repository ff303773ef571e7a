import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { topology } from '../../infra/topology.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compileRoutes, matchRoute, toApiGatewayEvent, type CompiledRoute } from '../../infra/local/http-api.js';

/** The parts of a Node request toApiGatewayEvent reads; Node lowercases header names itself. */
function fakeRequest(options: {
  method?: string;
  headers?: IncomingHttpHeaders;
  remoteAddress?: string;
  httpVersion?: string;
}): IncomingMessage {
  return {
    method: options.method ?? 'POST',
    httpVersion: options.httpVersion ?? '1.1',
    headers: { host: 'localhost:3000', ...options.headers },
    socket: { remoteAddress: options.remoteAddress },
  } as unknown as IncomingMessage;
}

function route(routes: CompiledRoute[], method: string, path: string) {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const m = compiled.regex.exec(path);
    if (m) return { routeKey: compiled.routeKey, params: compiled.params.map((p, i) => [p, m[i + 1]]) };
  }
  return undefined;
}

describe('compileRoutes', () => {
  const routes = compileRoutes();

  it('compiles every topology route with its API Gateway route key', () => {
    expect(routes).toHaveLength(topology.routes.length);
    expect(routes.map((r) => r.routeKey)).toEqual(expect.arrayContaining([
      'POST /v1/leads',
      'GET /v1/leads/{id}',
      'GET /v1/reports/sources',
      'POST /v1/reports/sources/build',
      'POST /v1/hooks/meta_lead_ads/{sourceId}',
      'GET /v1/hooks/meta_lead_ads/{sourceId}',
    ]));
  });

  it('captures a path parameter as one segment', () => {
    expect(route(routes, 'GET', '/v1/leads/01JLEAD')).toEqual({ routeKey: 'GET /v1/leads/{id}', params: [['id', '01JLEAD']] });
  });

  it('names the parameters of each route', () => {
    const paramsOf = (key: string) => routes.find((r) => r.routeKey === key)?.params;
    expect(paramsOf('POST /v1/leads')).toEqual([]);
    expect(paramsOf('GET /v1/leads/{id}')).toEqual(['id']);
    expect(paramsOf('POST /v1/hooks/twilio/{sourceId}')).toEqual(['sourceId']);
  });

  it('captures the rest of the path, slashes included, in a greedy {name+} parameter named without the plus', () => {
    const [compiled] = compileRoutes([{ method: 'POST', path: '/v1/hooks/mango_office/{sourceId}/{event+}', function: 'intake-calls' }]);
    expect(compiled!.params).toEqual(['sourceId', 'event']);
    expect(compiled!.regex.exec('/v1/hooks/mango_office/crm/events/call')?.slice(1)).toEqual(['crm', 'events/call']);
    expect(compiled!.regex.test('/v1/hooks/mango_office/crm/')).toBe(false);
  });

  it('does not match a parameter across a slash or when it is empty', () => {
    expect(route(routes, 'GET', '/v1/leads/01JLEAD/timeline')).toBeUndefined();
    expect(route(routes, 'GET', '/v1/leads/')).toBeUndefined();
  });

  it('matches whole paths only, never a prefix or a suffix', () => {
    expect(route(routes, 'POST', '/v1/leads/extra')).toBeUndefined();
    expect(route(routes, 'POST', '/api/v1/leads')).toBeUndefined();
    expect(route(routes, 'GET', '/v1/reports/sourcesX')).toBeUndefined();
    expect(route(routes, 'POST', '/v1/reports/sources/build/now')).toBeUndefined();
  });

  it('keeps literal dots in a path literal rather than treating them as wildcards', () => {
    const [compiled] = compileRoutes([{ method: 'GET', path: '/v1/report.csv', function: 'reports-api' }]);
    expect(compiled!.regex.test('/v1/report.csv')).toBe(true);
    expect(compiled!.regex.test('/v1/reportXcsv')).toBe(false);
  });

  it('captures several parameters in order', () => {
    const [compiled] = compileRoutes([{ method: 'GET', path: '/v1/teams/{teamId}/reps/{repId}', function: 'leads-api' }]);
    expect(compiled!.params).toEqual(['teamId', 'repId']);
    expect(compiled!.regex.exec('/v1/teams/t1/reps/r9')?.slice(1)).toEqual(['t1', 'r9']);
  });
});

describe('toApiGatewayEvent', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-05T10:00:00.000Z'));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const leadsRoute = { routeKey: 'POST /v1/leads', pathParameters: {} };

  it('builds a payload-format-2.0 event with the route key, raw path and raw query string', () => {
    const event = toApiGatewayEvent(
      fakeRequest({ headers: { 'content-type': 'application/json' } }),
      new URL('http://localhost:3000/v1/leads?dry=1&src=site'),
      Buffer.from('{"email":"ann@acme.com"}'),
      leadsRoute,
    );
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /v1/leads');
    expect(event.rawPath).toBe('/v1/leads');
    expect(event.rawQueryString).toBe('dry=1&src=site');
    expect(event.queryStringParameters).toEqual({ dry: '1', src: 'site' });
  });

  it('joins the values of a repeated query key with commas, as API Gateway does', () => {
    const event = toApiGatewayEvent(
      fakeRequest({ method: 'GET' }),
      new URL('http://localhost:3000/v1/reports/sources?source=a&day=2026-03-05&source=b'),
      Buffer.alloc(0),
      { routeKey: 'GET /v1/reports/sources', pathParameters: {} },
    );
    expect(event.queryStringParameters).toEqual({ source: 'a,b', day: '2026-03-05' });
    expect(event.rawQueryString).toBe('source=a&day=2026-03-05&source=b');
  });

  it('leaves query and path parameters undefined when there are none', () => {
    const event = toApiGatewayEvent(fakeRequest({}), new URL('http://localhost:3000/v1/leads'), Buffer.alloc(0), leadsRoute);
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.rawQueryString).toBe('');
  });

  it('passes path parameters through', () => {
    const event = toApiGatewayEvent(
      fakeRequest({ method: 'GET' }),
      new URL('http://localhost:3000/v1/leads/01JLEAD'),
      Buffer.alloc(0),
      { routeKey: 'GET /v1/leads/{id}', pathParameters: { id: '01JLEAD' } },
    );
    expect(event.pathParameters).toEqual({ id: '01JLEAD' });
    expect(event.requestContext.routeKey).toBe('GET /v1/leads/{id}');
  });

  it('keeps the lowercase header names Node gives and joins repeated header values', () => {
    const event = toApiGatewayEvent(
      fakeRequest({
        // set-cookie is the one request header Node hands over as an array.
        headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] },
      }),
      new URL('http://localhost:3000/v1/leads'),
      Buffer.alloc(0),
      leadsRoute,
    );
    expect(event.headers).toEqual({
      'x-forwarded-proto': 'http',
      host: 'localhost:3000',
      'content-type': 'application/json',
      'set-cookie': 'a=1,b=2',
    });
  });

  it('splits the cookie header into cookies', () => {
    const event = toApiGatewayEvent(
      fakeRequest({ headers: { cookie: 'a=1; b=2;c=3' } }),
      new URL('http://localhost:3000/v1/leads'),
      Buffer.alloc(0),
      leadsRoute,
    );
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('passes a JSON body as UTF-8 text', () => {
    const body = '{"name":"Zoë Ünal"}';
    const event = toApiGatewayEvent(
      fakeRequest({ headers: { 'content-type': 'application/json; charset=utf-8' } }),
      new URL('http://localhost:3000/v1/leads'),
      Buffer.from(body, 'utf8'),
      leadsRoute,
    );
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes form, text, XML and +json bodies as text', () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'application/vnd.api+json']) {
      const event = toApiGatewayEvent(
        fakeRequest({ headers: { 'content-type': type } }),
        new URL('http://localhost:3000/v1/leads'),
        Buffer.from('email=ann%40acme.com'),
        leadsRoute,
      );
      expect([type, event.body, event.isBase64Encoded]).toEqual([type, 'email=ann%40acme.com', false]);
    }
  });

  it('base64-encodes binary bodies and bodies without a content type', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    for (const headers of [{ 'content-type': 'image/png' }, { 'content-type': 'multipart/form-data; boundary=x' }, {}]) {
      const event = toApiGatewayEvent(fakeRequest({ headers }), new URL('http://localhost:3000/v1/leads'), bytes, leadsRoute);
      expect(event.body).toBe('iVBORwD/');
      expect(event.isBase64Encoded).toBe(true);
    }
  });

  it('leaves the body undefined and not base64 when it is empty', () => {
    const event = toApiGatewayEvent(
      fakeRequest({ headers: { 'content-type': 'image/png' } }),
      new URL('http://localhost:3000/v1/leads'),
      Buffer.alloc(0),
      leadsRoute,
    );
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('fills the request context with method, path, protocol, source IP, user agent and time', () => {
    const event = toApiGatewayEvent(
      fakeRequest({
        method: 'POST',
        headers: { 'user-agent': 'curl/8.5.0', host: 'api.leadflow.test' },
        remoteAddress: '::ffff:192.168.1.20',
      }),
      new URL('http://api.leadflow.test/v1/leads'),
      Buffer.alloc(0),
      leadsRoute,
    );
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'api.leadflow.test',
      domainPrefix: 'api',
      http: {
        method: 'POST',
        path: '/v1/leads',
        protocol: 'HTTP/1.1',
        sourceIp: '192.168.1.20',
        userAgent: 'curl/8.5.0',
      },
      routeKey: 'POST /v1/leads',
      stage: '$default',
      time: 'Thu, 05 Mar 2026 10:00:00 GMT',
      timeEpoch: Date.parse('2026-03-05T10:00:00.000Z'),
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps an IPv6 source address and falls back to 127.0.0.1 when there is none', () => {
    const url = new URL('http://localhost:3000/v1/leads');
    expect(toApiGatewayEvent(fakeRequest({ remoteAddress: '::1' }), url, Buffer.alloc(0), leadsRoute).requestContext.http.sourceIp).toBe('::1');
    expect(toApiGatewayEvent(fakeRequest({}), url, Buffer.alloc(0), leadsRoute).requestContext.http.sourceIp).toBe('127.0.0.1');
  });

  it('gives each event its own request id', () => {
    const url = new URL('http://localhost:3000/v1/leads');
    const a = toApiGatewayEvent(fakeRequest({}), url, Buffer.alloc(0), leadsRoute);
    const b = toApiGatewayEvent(fakeRequest({}), url, Buffer.alloc(0), leadsRoute);
    expect(a.requestContext.requestId).not.toBe(b.requestContext.requestId);
  });
});

describe('matchRoute', () => {
  const routes = compileRoutes();

  it.each([
    ['GET', '/v1/leads/%E0%A4%A', 'id'],
    ['GET', '/v1/accept/%C0', 'token'],
    ['GET', '/v1/admin/reps/%ZZ', 'id'],
    ['POST', '/v1/hooks/html_form/%ED%A0%80', 'sourceId'],
  ])('refuses %s %s as a malformed escape in %s, as API Gateway answers 400 before any function runs', (method, path, parameter) => {
    expect(matchRoute(routes, method, path)).toEqual({ kind: 'bad-escape', parameter });
  });

  it('decodes well-formed escapes in path parameters, as API Gateway hands them to functions', () => {
    const match = matchRoute(routes, 'GET', '/v1/admin/reps/%C3%A9l%C3%A8ne');
    expect(match).toMatchObject({ kind: 'route', pathParameters: { id: 'élène' } });
  });

  it('answers none for a path no route has', () => {
    expect(matchRoute(routes, 'GET', '/v1/nothing')).toEqual({ kind: 'none' });
  });
});
