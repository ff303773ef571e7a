import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { callCounter, type CallCounts } from '../../shared/observability/call-counter.js';
import { clockTicksPerSecond, commandLine, cpuMsOf, pidsMatching, readProcStat } from './process-cpu.js';

/** Invocations of one function in this process. */
export interface InvocationTally {
  count: number;
  errors: number;
  /** Wall time inside the handler, not the wait for a concurrency slot. */
  ms: number;
}

/** CPU a process has used since it started. */
export interface ProcessCpu {
  pid: number;
  userMs: number;
  systemMs: number;
}

/**
 * What `GET /_local/stats` answers: running totals since the platform started, which a caller reads
 * twice and subtracts to get what happened in between.
 */
export interface PlatformStats {
  at: string;
  uptimeSeconds: number;
  /** Calls of the SDK clients in this process that count their calls (shared/observability/call-counter.ts). */
  sdkCalls: CallCounts;
  /**
   * HTTP requests this process sent DynamoDB Local and got an answer to, by the service and operation of
   * their `X-Amz-Target`, whichever client sent them: a check on `sdkCalls` that also sees clients no one
   * made count.
   */
  dynamodbLocalRequests: Record<string, Record<string, number>>;
  invocations: Record<string, InvocationTally>;
  /** Notifications the demo receiver has taken in. */
  notifications: number;
  /** The priority lane's background slots: allowed, running, waiting (see priority-lane.ts). */
  lane?: { allowed: number; running: number; waiting: number; requestLatencyMs: number };
  cpu: {
    clockTicksPerSecond: number;
    /** This process (`process.cpuUsage()`): the handlers, the HTTP API, the bus, the queues and pollers. */
    node: ProcessCpu;
    /**
     * DynamoDB Local's JVM from /proc/<pid>/stat; a JVM that has been replaced keeps counting with what it
     * had used when last read. Null where /proc cannot be read.
     */
    dynamodbLocal: (ProcessCpu & { processes: number }) | null;
  };
}

export interface PlatformStatsRecorder {
  /** Adds one finished invocation of `name`. */
  invoked(name: string, ms: number, failed: boolean): void;
  notified(): void;
  read(): PlatformStats;
  stop(): void;
}

// Counted when the response has been read, as the SDK counter counts a call when it ends, so a reading
// taken while calls are in flight finds both counts at the same point.
const RESPONSE_FINISH = 'http.client.response.finish';

/** `DynamoDB_20120810.PutItem` → DynamoDB / PutItem; `DynamoDBStreams_20120810.GetRecords` → DynamoDBStreams / GetRecords. */
function targetOf(header: unknown): [string, string] | undefined {
  const m = typeof header === 'string' ? /^(DynamoDB\w*?)_\d+\.(\w+)$/.exec(header) : null;
  return m ? [m[1]!, m[2]!] : undefined;
}

/**
 * Keeps the local platform's running totals: SDK calls (from the process's call counter), requests on the
 * wire to DynamoDB Local (from Node's `http.client.response.finish` diagnostics channel, by host),
 * invocations per function, notifications, and the CPU of this process and of DynamoDB Local, whose JVM is
 * found by its data directory (`-dbPath`) on its command line.
 */
export function createPlatformStats(options: { dynamodbEndpoint: string; dynamodbDataDir: string }): PlatformStatsRecorder {
  const startedAt = Date.now();
  const dynamoHost = new URL(options.dynamodbEndpoint).host;
  const wire: PlatformStats['dynamodbLocalRequests'] = {};
  const onRequest = (message: unknown) => {
    const request = (message as { request?: ClientRequest }).request;
    if (!request || request.getHeader('host') !== dynamoHost) return;
    const target = targetOf(request.getHeader('x-amz-target'));
    if (!target) return;
    const byOperation = (wire[target[0]] ??= {});
    byOperation[target[1]] = (byOperation[target[1]] ?? 0) + 1;
  };
  subscribe(RESPONSE_FINISH, onRequest);

  const invocations: Record<string, InvocationTally> = {};
  let notifications = 0;

  let jvm: { pid: number; startTicks: number; last: ProcessCpu } | undefined;
  const retired = { userMs: 0, systemMs: 0, processes: 0 };
  const dynamodbLocalCpu = (): PlatformStats['cpu']['dynamodbLocal'] => {
    let stat = jvm ? readProcStat(jvm.pid) : undefined;
    if (jvm && (!stat || stat.startTicks !== jvm.startTicks)) {
      retired.userMs += jvm.last.userMs;
      retired.systemMs += jvm.last.systemMs;
      retired.processes++;
      jvm = undefined;
      stat = undefined;
    }
    if (!jvm) {
      const pid = pidsMatching(options.dynamodbDataDir).find((p) => p !== process.pid && commandLine(p).includes('DynamoDBLocal'));
      stat = pid === undefined ? undefined : readProcStat(pid);
      if (!stat) return retired.processes ? { pid: 0, userMs: retired.userMs, systemMs: retired.systemMs, processes: retired.processes } : null;
      jvm = { pid: stat.pid, startTicks: stat.startTicks, last: { pid: stat.pid, userMs: 0, systemMs: 0 } };
    }
    jvm.last = { pid: jvm.pid, ...cpuMsOf(stat!) };
    return { pid: jvm.pid, userMs: retired.userMs + jvm.last.userMs, systemMs: retired.systemMs + jvm.last.systemMs, processes: retired.processes + 1 };
  };

  return {
    invoked(name, ms, failed) {
      const tally = (invocations[name] ??= { count: 0, errors: 0, ms: 0 });
      tally.count++;
      tally.errors += failed ? 1 : 0;
      tally.ms += ms;
    },
    notified() {
      notifications++;
    },
    read() {
      const own = process.cpuUsage();
      return {
        at: new Date().toISOString(),
        uptimeSeconds: (Date.now() - startedAt) / 1000,
        sdkCalls: callCounter.counts(),
        dynamodbLocalRequests: structuredClone(wire),
        invocations: structuredClone(invocations),
        notifications,
        cpu: {
          clockTicksPerSecond: clockTicksPerSecond(),
          node: { pid: process.pid, userMs: own.user / 1000, systemMs: own.system / 1000 },
          dynamodbLocal: dynamodbLocalCpu(),
        },
      };
    },
    stop() {
      unsubscribe(RESPONSE_FINISH, onRequest);
    },
  };
}
