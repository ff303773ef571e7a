import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { topology, type RouteSpec } from '../topology.js';

/** API Gateway HTTP APIs refuse payloads over 10 MB before any function runs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|[a-z.+-]+\+json))/i;

export interface CompiledRoute {
  route: RouteSpec;
  routeKey: string;
  regex: RegExp;
  params: string[];
}

/** Compiles the topology's routes into matchers; `{name}` captures one path segment. */
export function compileRoutes(routes: readonly RouteSpec[] = topology.routes): CompiledRoute[] {
  return routes.map((route) => {
    const params: string[] = [];
    const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+?)(\\\+)?\\?\}/g, (_m, name: string, greedy?: string) => {
      // `{name+}` is API Gateway's greedy variable: the rest of the path, slashes included.
      params.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
    return { route, routeKey: `${route.method} ${route.path}`, regex: new RegExp(`^${source}$`), params };
  });
}

/** What a request path means: a route with its decoded parameters, a malformed escape, or nothing. */
export type RouteMatch =
  | { kind: 'route'; compiled: CompiledRoute; pathParameters: Record<string, string> }
  | { kind: 'bad-escape'; parameter: string }
  | { kind: 'none' };

/**
 * Finds the route of a request and decodes its path parameters as API Gateway does. A parameter whose
 * %-escapes are not UTF-8 (`%E0%A4%A`, `%C0`, `%ZZ`, an encoded lone surrogate) is refused by API
 * Gateway with 400 before any function runs, so it never reaches a handler here either.
 */
export function matchRoute(routes: readonly CompiledRoute[], method: string, pathname: string): RouteMatch {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const m = compiled.regex.exec(pathname);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    for (const [i, name] of compiled.params.entries()) {
      try {
        pathParameters[name] = decodeURIComponent(m[i + 1]!);
      } catch {
        return { kind: 'bad-escape', parameter: name };
      }
    }
    return { kind: 'route', compiled, pathParameters };
  }
  return { kind: 'none' };
}

/** Routes that are not part of the product but of the local runtime (the demo receiver). */
export type LocalRoute = (req: IncomingMessage, body: Buffer, url: URL) => Promise<APIGatewayProxyStructuredResultV2 | undefined>;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_PAYLOAD_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** Builds the payload-format-2.0 event API Gateway would hand the route's function. */
export function toApiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  match: { routeKey: string; pathParameters: Record<string, string> },
  receivedAt: Date = new Date(),
): APIGatewayProxyEventV2 {
  // API Gateway tells the function which scheme the caller used; the local API serves plain HTTP.
  const headers: Record<string, string> = { 'x-forwarded-proto': 'http', ...headersOf(req) };
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = receivedAt;
  return {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(match.pathParameters).length ? match.pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: match.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? body.toString(text ? 'utf8' : 'base64') : undefined,
    isBase64Encoded: body.length > 0 && !text,
  };
}

function writeResult(res: ServerResponse, result: unknown): void {
  // A function may return a bare value; API Gateway then answers 200 with it as JSON.
  const structured =
    result && typeof result === 'object' && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result ?? null) };
  const headers: Record<string, string | string[]> = { ...(structured.headers as Record<string, string>) };
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(structured.body === undefined ? undefined : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8'));
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * The local HTTP API: routes from the topology, each request turned into the API Gateway v2 event the
 * route's function receives on AWS; the function's result becomes the response. Unmatched paths and
 * failing functions get API Gateway's own answers (404 `Not Found`, 500 `Internal Server Error`).
 */
export function createHttpApi(options: {
  invoke: (route: RouteSpec, event: APIGatewayProxyEventV2) => Promise<unknown>;
  localRoutes?: LocalRoute;
  onError: (error: unknown) => void;
}): Server {
  const routes = compileRoutes();
  const server = createServer(async (req, res) => {
    // API Gateway stamps the time a request arrived, before anything waits on it.
    const receivedAt = new Date();
    try {
      // A fixed base: a hostile Host header must not make the URL unparsable, and `//x` stays a path.
      const target = req.url ?? '/';
      const url = new URL(`http://localhost${target.startsWith('/') ? target : `/${target}`}`);
      const body = await readBody(req);
      if (!body) return writeJson(res, 413, { message: 'Request Entity Too Large' });
      const local = await options.localRoutes?.(req, body, url);
      if (local) return writeResult(res, local);
      const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
      if (match.kind === 'bad-escape') return writeJson(res, 400, { message: `Bad Request: path parameter ${match.parameter} is not valid percent-encoded UTF-8` });
      if (match.kind === 'route') {
        const { compiled, pathParameters } = match;
        const event = toApiGatewayEvent(req, url, body, { routeKey: compiled.routeKey, pathParameters }, receivedAt);
        try {
          return writeResult(res, await options.invoke(compiled.route, event));
        } catch (error) {
          options.onError(error);
          return writeJson(res, 500, { message: 'Internal Server Error' });
        }
      }
      writeJson(res, 404, { message: 'Not Found' });
    } catch (error) {
      options.onError(error);
      if (!res.headersSent) writeJson(res, 500, { message: 'Internal Server Error' });
    }
  });
  server.keepAliveTimeout = 60_000;
  return server;
}
