import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { topology } from '../topology.js';
import type { LocalRoute } from './http-api.js';
import type { PlatformStats } from './platform-stats.js';

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const MAX_OUTAGE_SECONDS = 3600;

function busOutage(body: Buffer, refuse: (ms: number) => { until: string | null }): APIGatewayProxyStructuredResultV2 {
  let seconds: unknown;
  try {
    seconds = (JSON.parse(body.toString('utf8')) as { seconds?: unknown })?.seconds;
  } catch {
    return json(400, { message: 'the body must be JSON: {"seconds": 30}' });
  }
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_OUTAGE_SECONDS) {
    return json(400, { message: `seconds must be a number from 0 to ${MAX_OUTAGE_SECONDS}` });
  }
  return json(200, { bus: 'refusing publishes', ...refuse(seconds * 1000) });
}

/**
 * Controls of the local runtime itself, under `/_local/` and only from this machine (like `/_demo/`):
 *
 * - `POST /_local/schedules/{name}/run`: runs a schedule now (the SLA sweeper, the report builder) and
 *   answers with what its function returned, so tests and a newcomer need not wait for its rate.
 * - `GET /_local/stats`: the platform's running totals (SDK calls by operation, requests to DynamoDB Local,
 *   invocations, notifications, CPU of this process and of DynamoDB Local; see platform-stats.ts), which the
 *   bench reads before and after a load.
 * - `POST /_local/outages/bus` with `{"seconds": 30}`: the local bus refuses every publish for that long
 *   (`{"seconds": 0}` ends it), to see what an EventBridge outage does to leads in flight.
 */
export function createLocalAdmin(
  runSchedule: (name: keyof typeof topology.schedules) => Promise<unknown>,
  readStats?: () => PlatformStats,
  refuseBusPublishes?: (ms: number) => { until: string | null },
): LocalRoute {
  return async (req, body, url) => {
    if (!url.pathname.startsWith('/_local/')) return undefined;
    const client = req.socket.remoteAddress ?? '';
    if (!/^(127\.|::1$|::ffff:127\.)/.test(client)) return json(403, { message: 'local controls answer only on this machine' });
    if (url.pathname === '/_local/stats' && readStats) {
      if (req.method !== 'GET') return json(405, { message: 'Method Not Allowed' });
      return json(200, readStats());
    }
    if (url.pathname === '/_local/outages/bus' && refuseBusPublishes) {
      if (req.method !== 'POST') return json(405, { message: 'Method Not Allowed' });
      return busOutage(body, refuseBusPublishes);
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
