import { countsBetween, type CallCounts } from '../../shared/observability/call-counter.js';
import type { PlatformStats } from '../../infra/local/platform-stats.js';
import { topology } from '../../infra/topology.js';
import type { LeadApi } from './lead-api.js';

/** Reads the local platform's running totals (GET /_local/stats, see infra/local/platform-stats.ts). */
export async function readPlatformStats(api: LeadApi): Promise<PlatformStats> {
  const response = await fetch(`${api.apiUrl}/_local/stats`, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET /_local/stats answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return (await response.json()) as PlatformStats;
}

/** Calls of one operation per lead: `send()`s, HTTP requests (retries included) and items carried. */
export interface OperationPerLead {
  calls: number;
  attempts: number;
  items: number;
  errors: number;
  /**
   * DynamoDB Local requests of this operation that no SDK counter saw (a client created without
   * `countCalls`), counted from the wire and included in `calls`, `attempts` and `items` as one each.
   */
  uncounted?: number;
}

/** What the platform did for each lead over a window, from its own counters, divided by the window's leads. */
export interface PerLeadWindow {
  seconds: number;
  /** The leads the window is divided by (notified ones, unless the scenario says otherwise). */
  leads: number;
  captured: number;
  notified: number;
  /**
   * DynamoDB calls per lead by operation (PutItem, TransactWriteItems, ...), as the SDK clients counted
   * them, plus requests on the wire that no client counted (see `uncounted`).
   */
  table: Record<string, OperationPerLead>;
  tableCallsPerLead: number;
  /** DynamoDB Streams calls (GetRecords, GetShardIterator, DescribeStream, ...) per lead; empty without a streams client. */
  streams: Record<string, OperationPerLead>;
  streamCallsPerLead: number;
  /** The other services' calls per lead (EventBridge PutEvents, the local runtime's SQS sends and receives). */
  other: Record<string, Record<string, OperationPerLead>>;
  /**
   * Requests DynamoDB Local got from the platform process per lead, by service and operation, whichever client
   * sent them; more than the counted attempts means a client that does not count its calls.
   */
  dynamodbLocalRequests: Record<string, Record<string, number>>;
  uncountedDynamoRequestsPerLead: number;
  /** Invocations per lead by function; functions that run on a schedule are left out (see `scheduled`). */
  invocations: Record<string, number>;
  /** Mean wall ms per invocation in the platform, under this load. */
  invocationMs: Record<string, number>;
  /** Invocations of scheduled functions during the window: their calls are in the counts, they are few. */
  scheduled: Record<string, number>;
  cpuMsPerLead: { node: number; dynamodbLocal: number; total: number };
  /** CPU in cores over the window (CPU seconds per second). */
  cores: { node: number; dynamodbLocal: number };
  /** Whether DynamoDB Local's JVM was replaced during the window (its CPU is then approximate). */
  dynamodbLocalRestarted: boolean;
}

const SCHEDULED = new Set<string>(Object.values(topology.schedules).map((s) => s.function));
const INTAKE = topology.routes.find((r) => r.method === 'POST' && r.path === '/v1/leads')!.function;

function perLead(counts: CallCounts[string] | undefined, leads: number): Record<string, OperationPerLead> {
  return Object.fromEntries(
    Object.entries(counts ?? {}).map(([op, t]) => [op, { calls: t.calls / leads, attempts: t.attempts / leads, items: t.items / leads, errors: t.errors / leads }]),
  );
}

/**
 * A DynamoDB service's calls per lead: what its SDK clients counted, and on top of that the requests
 * DynamoDB Local got beyond the counted attempts, which came from a client that does not count. A call
 * whose response was read just before a reading is counted on the wire but not yet by the SDK, so a few
 * extra requests per operation (2 + 1%) are taken for that skew, not for a client.
 */
function withUncounted(counts: CallCounts[string] | undefined, wire: Record<string, number> | undefined, leads: number): Record<string, OperationPerLead> {
  const ops = perLead(counts, 1);
  for (const [op, requests] of Object.entries(wire ?? {})) {
    const counted = ops[op] ?? { calls: 0, attempts: 0, items: 0, errors: 0 };
    const beyond = requests - counted.attempts;
    const extra = beyond > 2 + requests / 100 ? beyond : 0;
    if (extra) ops[op] = { calls: counted.calls + extra, attempts: counted.attempts + extra, items: counted.items + extra, errors: counted.errors, uncounted: extra };
  }
  return Object.fromEntries(
    Object.entries(ops).map(([op, o]) => [op, Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v / leads])) as unknown as OperationPerLead]),
  );
}

const sumCalls = (ops: Record<string, OperationPerLead>) => Object.values(ops).reduce((s, o) => s + o.calls, 0);

/**
 * What happened between two readings of the platform's stats, per lead: `leads` is what the window is
 * divided by (by default the notifications in between).
 */
export function perLeadBetween(before: PlatformStats, after: PlatformStats, leads = after.notifications - before.notifications): PerLeadWindow {
  const seconds = after.uptimeSeconds - before.uptimeSeconds;
  const n = Math.max(leads, Number.MIN_VALUE);
  const calls = countsBetween(before.sdkCalls, after.sdkCalls);
  const { DynamoDB: table, DynamoDBStreams: streams, ...rest } = calls;
  const wire: PerLeadWindow['dynamodbLocalRequests'] = {};
  for (const [service, ops] of Object.entries(after.dynamodbLocalRequests)) {
    for (const [op, count] of Object.entries(ops)) {
      const delta = count - (before.dynamodbLocalRequests[service]?.[op] ?? 0);
      if (delta) (wire[service] ??= {})[op] = delta;
    }
  }
  const perLeadWire = Object.fromEntries(
    Object.entries(wire).map(([service, ops]) => [service, Object.fromEntries(Object.entries(ops).map(([op, d]) => [op, d / n]))]),
  );
  const invocations: Record<string, number> = {};
  const invocationMs: Record<string, number> = {};
  const scheduled: Record<string, number> = {};
  for (const [fn, t] of Object.entries(after.invocations)) {
    const count = t.count - (before.invocations[fn]?.count ?? 0);
    if (!count) continue;
    invocationMs[fn] = (t.ms - (before.invocations[fn]?.ms ?? 0)) / count;
    if (SCHEDULED.has(fn)) scheduled[fn] = count;
    else invocations[fn] = count / n;
  }
  const cpuMs = (s: PlatformStats) => ({
    node: s.cpu.node.userMs + s.cpu.node.systemMs,
    java: s.cpu.dynamodbLocal ? s.cpu.dynamodbLocal.userMs + s.cpu.dynamodbLocal.systemMs : Number.NaN,
  });
  const [c0, c1] = [cpuMs(before), cpuMs(after)];
  const node = c1.node - c0.node;
  const java = c1.java - c0.java;
  const tableOps = withUncounted(table, wire.DynamoDB, n);
  const streamOps = withUncounted(streams, wire.DynamoDBStreams, n);
  const uncounted = [tableOps, streamOps].reduce((s, ops) => s + Object.values(ops).reduce((a, o) => a + (o.uncounted ?? 0), 0), 0);
  return {
    seconds,
    leads,
    captured: (after.invocations[INTAKE]?.count ?? 0) - (before.invocations[INTAKE]?.count ?? 0),
    notified: after.notifications - before.notifications,
    table: tableOps,
    tableCallsPerLead: sumCalls(tableOps),
    streams: streamOps,
    streamCallsPerLead: sumCalls(streamOps),
    other: Object.fromEntries(Object.entries(rest).map(([service, ops]) => [service, perLead(ops, n)])),
    dynamodbLocalRequests: perLeadWire,
    uncountedDynamoRequestsPerLead: uncounted,
    invocations,
    invocationMs,
    scheduled,
    cpuMsPerLead: { node: node / n, dynamodbLocal: java / n, total: (node + java) / n },
    cores: { node: node / 1000 / seconds, dynamodbLocal: java / 1000 / seconds },
    dynamodbLocalRestarted: (before.cpu.dynamodbLocal?.processes ?? 0) !== (after.cpu.dynamodbLocal?.processes ?? 0),
  };
}
