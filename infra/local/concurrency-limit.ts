/**
 * Runs at most `limit` tasks at once and queues the rest, as a function's reserved concurrency does on
 * Lambda. Keeps a burst of a thousand events from opening a thousand connections to DynamoDB Local.
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so nothing can slip in between.
    if (running >= limit) await new Promise<void>((r) => waiting.push(r));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
