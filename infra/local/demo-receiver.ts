import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalRoute } from './http-api.js';

export interface ReceivedNotification {
  repId: string;
  receivedAt: string;
  payload: unknown;
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
 */
export function createDemoReceiver(onNotification: (n: ReceivedNotification) => void): {
  route: LocalRoute;
  received: ReceivedNotification[];
} {
  const received: ReceivedNotification[] = [];
  const failures = new Map<string, { count: number; status: number }>();
  const route: LocalRoute = async (req: IncomingMessage, body: Buffer, url: URL) => {
    if (!url.pathname.startsWith('/_demo/')) return undefined;
    // The demo receiver shows people's contact details: only to this machine, even with --host 0.0.0.0.
    const client = req.socket.remoteAddress ?? '';
    if (!/^(127\.|::1$|::ffff:127\.)/.test(client)) return json(403, { message: 'the demo receiver answers only on this machine' });
    if (req.method === 'GET' && url.pathname === '/_demo/notifications') return json(200, received);
    const m = /^\/_demo\/reps\/([^/]+)\/(notifications|failures)$/.exec(url.pathname);
    if (!m) return json(404, { message: 'Not Found' });
    const repId = decodeURIComponent(m[1]!);
    if (m[2] === 'failures' && req.method === 'POST') {
      const { count = 1, status = 503 } = JSON.parse(body.toString('utf8') || '{}') as { count?: number; status?: number };
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
