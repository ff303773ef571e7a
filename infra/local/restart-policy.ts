/**
 * How often a supervised local service (DynamoDB Local) may be restarted after it exits on its own: at
 * most `maxRestarts` within any `windowMs`, each after a wait that doubles with the restarts already in
 * the window. A service that keeps dying is given up on rather than restarted forever.
 */
export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
  /** Wait before the first restart in a window; doubled for each restart before it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Five restarts in two minutes, the first after 250 ms, then 0.5, 1, 2 and 4 s. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, windowMs: 120_000, baseDelayMs: 250, maxDelayMs: 4_000 };

export type RestartDecision = { restart: true; delayMs: number } | { restart: false; restartsInWindow: number };

/** Whether to restart now that the service exited at `now`, given when the earlier restarts began. */
export function nextRestart(policy: RestartPolicy, restartedAt: readonly number[], now: number): RestartDecision {
  const recent = restartedAt.filter((at) => now - at < policy.windowMs).length;
  if (recent >= policy.maxRestarts) return { restart: false, restartsInWindow: recent };
  return { restart: true, delayMs: Math.min(policy.baseDelayMs * 2 ** recent, policy.maxDelayMs) };
}

/** "2 minutes", "90 s": a window as a person would say it. */
export function describeWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} s`;
}
