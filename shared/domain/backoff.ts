/**
 * Seconds to wait before attempt `attempt + 1` after attempt `attempt` failed: exponential from 5 s,
 * capped at 5 minutes, with up to 20% jitter so a burst of failures does not return as a burst.
 */
export function backoffSeconds(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(300, 5 * 4 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(base * (1 - 0.2 * random())));
}
