import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalRoute } from './http-api.js';

export interface ReceivedNotification {
  repId: string;
  receivedAt: string;
  payload: unknown;
}

/** Who may read the demo receiver: the API's listening host and a check of an admin token. */
export interface DemoAccess {
  host: string;
  isAdminToken(token: string | undefined): Promise<boolean>;
}

/** Whether a listening host is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return (Array.isArray(header) ? header[0] : header)?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * A stand-in for the demo reps' own webhook endpoints, served under `/_demo/` by the local runtime only,
 * so a newcomer can see notifications arrive. It can also be told to fail the next deliveries to a rep,
 * to watch retries through the notify queue.
 *
 * - `POST /_demo/reps/{repId}/notifications`: a notification (what leadflow's notify function calls)
 * - `GET /_demo/notifications` or `/_demo/reps/{repId}/notifications`: what arrived, newest last
 * - `POST /_demo/reps/{repId}/failures` with `{"count": N, "status": 503}`: fail the next N deliveries
 *
 * Reading and steering it need the admin token (`Authorization: Bearer`), and it is off unless the API
 * listens on loopback.
 */
export function createDemoReceiver(
  onNotification: (n: ReceivedNotification) => void,
  access: DemoAccess = { host: '127.0.0.1', isAdminToken: async () => false },
): {
  route: LocalRoute;
  received: ReceivedNotification[];
} {
  const received: ReceivedNotification[] = [];
  const failures = new Map<string, { count: number; status: number }>();
  // Served at all only when the API listens on loopback: with --host 0.0.0.0 the machine may be shared.
  const enabled = isLoopbackHost(access.host);
  const route: LocalRoute = async (req: IncomingMessage, body: Buffer, url: URL) => {
    if (!url.pathname.startsWith('/_demo/')) return undefined;
    if (!enabled) return json(404, { message: 'the demo receiver is off: the API does not listen on loopback (--host)' });
    const client = req.socket.remoteAddress ?? '';
    if (!/^(127\.|::1$|::ffff:127\.)/.test(client)) return json(403, { message: 'the demo receiver answers only on this machine' });
    // What arrived holds people's contact details and accept links, and failures steer deliveries: both
    // need the admin token, in a header (never in the URL). Only the notify function's POSTs, which
    // stand in for the reps' own endpoints, come without one.
    const deliveringNotification = req.method === 'POST' && /^\/_demo\/reps\/[^/]+\/notifications$/.test(url.pathname);
    if (!deliveringNotification && !(await access.isAdminToken(bearerOf(req)))) {
      return json(401, { message: 'the demo receiver needs the admin token: Authorization: Bearer <admin token>' });
    }
    if (req.method === 'GET' && url.pathname === '/_demo/notifications') return json(200, received);
    const m = /^\/_demo\/reps\/([^/]+)\/(notifications|failures)$/.exec(url.pathname);
    if (!m) return json(404, { message: 'Not Found' });
    let repId: string;
    try {
      repId = decodeURIComponent(m[1]!);
    } catch {
      return json(400, { message: 'the rep id is not valid percent-encoded UTF-8' });
    }
    if (m[2] === 'failures' && req.method === 'POST') {
      let asked: { count?: number; status?: number };
      try {
        asked = JSON.parse(body.toString('utf8') || '{}') as { count?: number; status?: number };
      } catch {
        return json(400, { message: 'expected JSON like {"count": 1, "status": 503}' });
      }
      const count = Number.isInteger(asked?.count) ? asked.count! : 1;
      const status = Number.isInteger(asked?.status) && asked.status! >= 200 && asked.status! <= 599 ? asked.status! : 503;
      failures.set(repId, { count, status });
      return json(200, { repId, failNext: count, status });
    }
    if (m[2] === 'notifications' && req.method === 'GET') return json(200, received.filter((n) => n.repId === repId));
    if (m[2] === 'notifications' && req.method === 'POST') {
      const failure = failures.get(repId);
      if (failure && failure.count > 0) {
        failure.count--;
        return json(failure.status, { message: 'failing on purpose, as asked' });
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return json(400, { message: 'expected JSON' });
      }
      const notification = { repId, receivedAt: new Date().toISOString(), payload };
      received.push(notification);
      if (received.length > 10_000) received.shift();
      onNotification(notification);
      return json(200, { ok: true });
    }
    return json(405, { message: 'Method Not Allowed' });
  };
  return { route, received };
}
