/**
 * A provider's API refused or failed a read. `retryable` tells a queue consumer whether to put the
 * message back (with `retryAfterSeconds` as its delay when the provider named one) or to dead-letter it.
 */
export class ProviderApiError extends Error {
  override readonly name = 'ProviderApiError';
  constructor(
    readonly provider: string,
    message: string,
    readonly retryable: boolean,
    readonly details: { status?: number; code?: number; retryAfterSeconds?: number; attempts?: number } = {},
  ) {
    super(message);
  }

  get retryAfterSeconds(): number | undefined {
    return this.details.retryAfterSeconds;
  }
}

/** What one attempt came to: a value, or a failure the caller may retry after an optional wait. */
export type AttemptOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; retryable: boolean; message: string; status?: number; code?: number; retryAfterSeconds?: number };

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The first backoff; each later one doubles, with full jitter. */
  baseDelayMs: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
  /**
   * A provider that asks for a longer wait than this is not waited for inside one invocation: the
   * read gives up at once, retryable, and the queue holds the message for that long instead.
   */
  maxHonouredWaitSeconds: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxHonouredWaitSeconds: 10,
};

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out, waiting between attempts
 * with exponential backoff and full jitter (so a burst of failing reads does not come back as a
 * burst), or for as long as the provider asked. Throws a `ProviderApiError` when it gives up.
 */
export async function withRetries<T>(
  provider: string,
  attempt: () => Promise<AttemptOutcome<T>>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  const sleep = policy.sleep ?? sleepFor;
  const random = policy.random ?? Math.random;
  for (let n = 1; ; n++) {
    const outcome = await attempt();
    if (outcome.ok) return outcome.value;
    const { message, status, code, retryAfterSeconds } = outcome;
    const giveUp = (why: string): never => {
      throw new ProviderApiError(provider, `${message}${why}`, outcome.retryable, {
        status,
        code,
        retryAfterSeconds,
        attempts: n,
      });
    };
    if (!outcome.retryable) giveUp('');
    if (retryAfterSeconds !== undefined && retryAfterSeconds > policy.maxHonouredWaitSeconds) {
      giveUp(` (the provider asks to wait ${retryAfterSeconds} s)`);
    }
    if (n >= policy.maxAttempts) giveUp(` (after ${n} attempts)`);
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)) * random();
    const asked = (retryAfterSeconds ?? 0) * 1000;
    await sleep(Math.max(backoff, asked));
  }
}

/**
 * Seconds a `Retry-After` header asks for, given as seconds or as an HTTP date; undefined when absent
 * or unreadable.
 */
export function retryAfterHeader(value: string | null, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** An attempt's outcome for a network failure or timeout: always worth another try. */
export function networkFailure(error: unknown): AttemptOutcome<never> {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { ok: false, retryable: true, message: `the request failed before an answer arrived (${reason})` };
}
