import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { topology } from '../topology.js';
import type { LocalRoute } from './http-api.js';
import type { PlatformStats } from './platform-stats.js';

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * Controls of the local runtime itself, under `/_local/` and only from this machine (like `/_demo/`):
 *
 * - `POST /_local/schedules/{name}/run`: runs a schedule now (the SLA sweeper, the report builder) and
 *   answers with what its function returned, so tests and a newcomer need not wait for its rate.
 * - `GET /_local/stats`: the platform's running totals (SDK calls by operation, requests to DynamoDB Local,
 *   invocations, notifications, CPU of this process and of DynamoDB Local; see platform-stats.ts), which the
 *   bench reads before and after a load.
 */
export function createLocalAdmin(
  runSchedule: (name: keyof typeof topology.schedules) => Promise<unknown>,
  readStats?: () => PlatformStats,
): LocalRoute {
  return async (req, _body, url) => {
    if (!url.pathname.startsWith('/_local/')) return undefined;
    const client = req.socket.remoteAddress ?? '';
    if (!/^(127\.|::1$|::ffff:127\.)/.test(client)) return json(403, { message: 'local controls answer only on this machine' });
    if (url.pathname === '/_local/stats' && readStats) {
      if (req.method !== 'GET') return json(405, { message: 'Method Not Allowed' });
      return json(200, readStats());
    }
    const m = /^\/_local\/schedules\/([^/]+)\/run$/.exec(url.pathname);
    if (!m) return json(404, { message: 'Not Found' });
    if (req.method !== 'POST') return json(405, { message: 'Method Not Allowed' });
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      return json(400, { message: 'the schedule name is not valid percent-encoded UTF-8' });
    }
    if (!(name in topology.schedules)) {
      return json(404, { message: `no schedule "${name}"; there are ${Object.keys(topology.schedules).join(', ')}` });
    }
    try {
      return json(200, { schedule: name, result: (await runSchedule(name as keyof typeof topology.schedules)) ?? null });
    } catch (error) {
      return json(500, { schedule: name, error: (error as Error)?.message ?? String(error) });
    }
  };
}
