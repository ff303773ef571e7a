import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An answer the stand-in gives, scripted or computed. */
export interface StandInResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiStandIn {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** The next `times` requests get `response` before the normal handler answers again. */
  failNext(times: number, response: StandInResponse): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 with an OS-chosen port, answering through `handle`, for tests that
 * must exercise the real fetch, status codes and headers of a provider API rather than a mock.
 */
export async function startApiStandIn(handle: (request: RecordedRequest) => StandInResponse): Promise<ApiStandIn> {
  const requests: RecordedRequest[] = [];
  const scripted: StandInResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
    };
    requests.push(recorded);
    const answer = scripted.shift() ?? handle(recorded);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(times, response) {
      for (let i = 0; i < times; i++) scripted.push(response);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A Graph API error body, as Meta shapes them. */
export function graphError(code: number, message: string, extra: Record<string, unknown> = {}): unknown {
  return { error: { message, type: code === 190 ? 'OAuthException' : 'GraphMethodException', code, fbtrace_id: 'StandIn', ...extra } };
}

/**
 * Stands in for `GET /{version}/{leadgen-id}` of the Graph API: serves the configured leads by id,
 * answers 400/190 for a wrong access token and 400/100 for an unknown id, as Meta does.
 */
export async function startGraphStandIn(options: {
  accessToken: string;
  leads: Record<string, unknown>;
}): Promise<ApiStandIn> {
  return startApiStandIn((request) => {
    const match = /^\/v\d+\.\d+\/(\d+)$/.exec(request.path);
    if (request.method !== 'GET' || !match?.[1]) {
      return { status: 400, body: graphError(2500, 'Unknown path components') };
    }
    if (request.query.access_token !== options.accessToken) {
      return { status: 400, body: graphError(190, 'Invalid OAuth access token - Cannot parse access token') };
    }
    const lead = options.leads[match[1]];
    if (lead === undefined) {
      return {
        status: 400,
        body: graphError(100, `Unsupported get request. Object with ID '${match[1]}' does not exist`, { error_subcode: 33 }),
      };
    }
    return { status: 200, body: lead };
  });
}
