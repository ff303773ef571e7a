/**
 * Runs at most `limit` tasks at once and queues the rest, as a function's reserved concurrency does on
 * Lambda. Keeps a burst of a thousand events from opening a thousand connections to DynamoDB Local.
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
