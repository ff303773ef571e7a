/**
 * Keeps the HTTP path ahead of background work on one machine. Requests (a sender waiting for its
 * acknowledgement) always run; background invocations (stream relay, event and queue consumers,
 * schedules) share a number of slots that adapts to how long requests take: when the requests' recent
 * latency rises above the target, the slots halve (down to a floor, so background work never stops); while
 * it stays below, they grow by one at a time up to the maximum (additive increase, multiplicative
 * decrease). Under overload notifications fall behind and acknowledgements do not.
 */
export interface PriorityLaneOptions {
  /** Request latency (an exponentially weighted mean, ms) above which background work backs off. */
  targetMs: number;
  maxBackground: number;
  /** The fewest slots background work keeps however slow requests are (default 1), so it never stalls. */
  minBackground?: number;
  /** Clock for tests. */
  now?: () => number;
}

export interface PriorityLane {
  request<T>(task: () => Promise<T>): Promise<T>;
  background<T>(task: () => Promise<T>): Promise<T>;
  /** Background slots allowed now, and how many are in use; for stats and tests. */
  readonly state: { allowed: number; running: number; waiting: number; requestLatencyMs: number };
}

export function priorityLane(options: PriorityLaneOptions): PriorityLane {
  const now = options.now ?? (() => performance.now());
  let allowed = options.maxBackground;
  let running = 0;
  let latency = 0;
  let lastRequestAt = -Infinity;
  const waiting: Array<() => void> = [];
  const quietAfterMs = 1_000;

  const admit = () => {
    while (running < allowed && waiting.length) {
      running++;
      waiting.shift()!();
    }
  };
  const adapt = () => {
    // With no request for a while there is nobody to protect.
    const pressed = now() - lastRequestAt < quietAfterMs && latency > options.targetMs;
    allowed = pressed ? Math.max(options.minBackground ?? 1, Math.floor(allowed / 2)) : Math.min(options.maxBackground, allowed + 1);
  };

  return {
    async request(task) {
      const started = now();
      try {
        return await task();
      } finally {
        const ms = now() - started;
        latency = latency === 0 ? ms : latency * 0.8 + ms * 0.2;
        lastRequestAt = now();
      }
    },
    async background(task) {
      if (running < allowed) running++;
      else await new Promise<void>((r) => waiting.push(r));
      try {
        return await task();
      } finally {
        running--;
        adapt();
        admit();
      }
    },
    get state() {
      return { allowed, running, waiting: waiting.length, requestLatencyMs: latency };
    },
  };
}
