/**
 * Counts the calls AWS SDK clients make, by service and operation, with an SDK middleware added once where
 * a client is created. It costs two clock reads and a map lookup per call, so it stays on in production:
 * on AWS it tells what a function's invocations cost in requests; locally the bench reads the platform
 * process's counts to get table calls per lead from the real flow instead of an estimate.
 */

/** What the calls of one operation added up to since the process started. */
export interface OperationTally {
  /** `send()`s of the operation. */
  calls: number;
  /** HTTP requests they took, retries included (the SDK's `$metadata.attempts`). */
  attempts: number;
  /** Calls that ended in an error (after the SDK's retries). */
  errors: number;
  /**
   * Items the calls carried: entries of a batch or transaction (BatchWriteItem, TransactWriteItems,
   * PutEvents, SendMessageBatch, ...), 1 for a single-item call.
   */
  items: number;
  /** Wall time spent in the calls, retries included. */
  ms: number;
}

/** Tallies by service (`DynamoDB`, `DynamoDBStreams`, `EventBridge`, `SQS`, ...) and operation (`PutItem`). */
export type CallCounts = Record<string, Record<string, OperationTally>>;

const emptyTally = (): OperationTally => ({ calls: 0, attempts: 0, errors: 0, items: 0, ms: 0 });

/** A set of tallies; a process normally shares one, `callCounter`. */
export class CallCounter {
  private readonly tallies = new Map<string, Map<string, OperationTally>>();

  /** Adds one finished call. */
  record(service: string, operation: string, call: { attempts: number; failed: boolean; items: number; ms: number }): void {
    let byOperation = this.tallies.get(service);
    if (!byOperation) this.tallies.set(service, (byOperation = new Map()));
    let tally = byOperation.get(operation);
    if (!tally) byOperation.set(operation, (tally = emptyTally()));
    tally.calls++;
    tally.attempts += call.attempts;
    tally.errors += call.failed ? 1 : 0;
    tally.items += call.items;
    tally.ms += call.ms;
  }

  /** A copy of the tallies so far. */
  counts(): CallCounts {
    const out: CallCounts = {};
    for (const [service, byOperation] of this.tallies) {
      const copy: Record<string, OperationTally> = (out[service] = {});
      for (const [operation, tally] of byOperation) copy[operation] = { ...tally };
    }
    return out;
  }
}

// On globalThis, so a module loaded twice (two bundles, two loaders) still counts into one place.
const GLOBAL_KEY = Symbol.for('leadflow.callCounter');
const globals = globalThis as { [GLOBAL_KEY]?: CallCounter };

/** The process's counter, which `countCalls` adds to unless told otherwise. */
export const callCounter: CallCounter = (globals[GLOBAL_KEY] ??= new CallCounter());

/** What the calls made between two readings of the same counter. */
export function countsBetween(before: CallCounts, after: CallCounts): CallCounts {
  const out: CallCounts = {};
  for (const [service, byOperation] of Object.entries(after)) {
    for (const [operation, tally] of Object.entries(byOperation)) {
      const earlier = before[service]?.[operation] ?? emptyTally();
      if (tally.calls === earlier.calls) continue;
      (out[service] ??= {})[operation] = {
        calls: tally.calls - earlier.calls,
        attempts: tally.attempts - earlier.attempts,
        errors: tally.errors - earlier.errors,
        items: tally.items - earlier.items,
        ms: tally.ms - earlier.ms,
      };
    }
  }
  return out;
}

/** Entries of a batch or transactional request; 1 for an operation on one item or resource. */
export function itemsOf(input: unknown): number {
  const i = (input ?? {}) as Record<string, unknown>;
  if (Array.isArray(i.TransactItems)) return i.TransactItems.length;
  if (Array.isArray(i.Entries)) return i.Entries.length;
  if (i.RequestItems && typeof i.RequestItems === 'object') {
    // BatchWriteItem lists requests per table; BatchGetItem lists keys per table.
    return Object.values(i.RequestItems as Record<string, unknown>).reduce<number>((sum, perTable) => {
      if (Array.isArray(perTable)) return sum + perTable.length;
      const keys = (perTable as { Keys?: unknown[] } | undefined)?.Keys;
      return sum + (Array.isArray(keys) ? keys.length : 0);
    }, 0);
  }
  return 1;
}

/** `DynamoDBClient` → `DynamoDB`, `DynamoDBStreamsClient` → `DynamoDBStreams`. */
export function serviceOf(clientName: string | undefined): string {
  return (clientName ?? 'unknown').replace(/Client$/, '') || 'unknown';
}

/** The part of an SDK v3 client this module needs: its middleware stack. */
export interface CountableClient {
  middlewareStack: {
    add(middleware: (next: any, context: any) => (args: any) => Promise<any>, options: Record<string, unknown>): void;
  };
}

const MIDDLEWARE_NAME = 'leadflowCallCounter';

/**
 * Makes `client` count its calls into `counter` (the process's by default), and returns it. The service
 * is the client's (`DynamoDB` for a DynamoDBClient and for a document client built on it, which shares
 * its middleware stack), unless `service` names it. Counting a client twice replaces the first counter.
 */
export function countCalls<C extends CountableClient>(client: C, options: { service?: string; counter?: CallCounter } = {}): C {
  const counter = options.counter ?? callCounter;
  client.middlewareStack.add(
    (next, context: { clientName?: string; commandName?: string }) => async (args: { input?: unknown }) => {
      const service = options.service ?? serviceOf(context.clientName);
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      const items = itemsOf(args.input);
      const t0 = performance.now();
      try {
        const out = await next(args);
        counter.record(service, operation, { attempts: out?.output?.$metadata?.attempts ?? 1, failed: false, items, ms: performance.now() - t0 });
        return out;
      } catch (error) {
        const attempts = (error as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1;
        counter.record(service, operation, { attempts, failed: true, items, ms: performance.now() - t0 });
        throw error;
      }
    },
    // The initialize step runs once per send(), outside the retry loop: one call, however many attempts.
    { step: 'initialize', priority: 'high', name: MIDDLEWARE_NAME, override: true },
  );
  return client;
}
