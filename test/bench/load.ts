import { performance } from 'node:perf_hooks';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

export interface OpenLoopResult<T> {
  results: T[];
  /** How late each send left against its scheduled time; large values mean the client could not keep up. */
  sendLagMs: number[];
  /** Wall time from the first scheduled send to the last send. */
  sendWindowMs: number;
  /** Most requests outstanding at once. */
  maxInFlight: number;
}

/**
 * Sends `rate × duration` requests on a fixed schedule by the clock, without waiting for earlier ones to
 * answer (an open loop): a slow server then shows up as queueing and latency, not as a lower send rate.
 * Sends that fall behind schedule (a blocked event loop) go out at once to catch up. `send` must bound its
 * own time (a request timeout), so the final wait is bounded too.
 */
export async function openLoop<T>(options: {
  ratePerSecond: number;
  durationMs: number;
  send: (index: number) => Promise<T>;
}): Promise<OpenLoopResult<T>> {
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const intervalMs = 1000 / options.ratePerSecond;
  const start = performance.now() + 20;
  const deadline = start + options.durationMs + 30_000;
  const pending: Array<Promise<T>> = [];
  const sendLagMs: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let sent = 0;
  let lastSendAt = start;
  for (let loops = 0; sent < total && loops < total * 4 + 10_000; loops++) {
    const now = performance.now();
    if (now > deadline) throw new Error(`the open loop could not send ${total} requests in time (sent ${sent})`);
    const due = start + sent * intervalMs;
    if (now < due) {
      await sleep(due - now);
      continue;
    }
    // Everything due by now goes out in this turn of the event loop.
    while (sent < total && start + sent * intervalMs <= now) {
      sendLagMs.push(now - (start + sent * intervalMs));
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      pending.push(options.send(sent).finally(() => inFlight--));
      sent++;
    }
    lastSendAt = now;
  }
  const results = await Promise.all(pending);
  return { results, sendLagMs, sendWindowMs: lastSendAt - start, maxInFlight };
}

/** Runs `task(i)` for i in [0, count) with at most `limit` running at once; results keep their order. */
export async function withConcurrency<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}
