import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import { topology, type FunctionName } from '../topology.js';
import { invocationStore } from './invocation-store.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Raised when a local invocation runs past its function's timeout, as Lambda would end it. */
export class InvocationTimeoutError extends Error {
  override readonly name = 'InvocationTimeoutError';
}

/** The context Lambda hands a function's handler, for an invocation that must end by `deadline`. */
export function contextFor(name: FunctionName, deadline: number): Context {
  const spec = topology.functions[name];
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `leadflow-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:leadflow-${name}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/leadflow-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Invokes the topology's functions in this process, as Lambda would: the handler module is loaded once
 * (its clients and caches live on between invocations, like a warm container), each call gets a fresh
 * context, and a call that outlives the function's timeout fails.
 */
export class LambdaInvoker {
  private readonly handlers = new Map<FunctionName, Promise<Handler>>();
  private readonly store: Promise<InvokeStoreBase>;

  /**
   * `entryOf` says where a function's handler module is (the topology's entry by default; tests point
   * it at small modules of their own).
   */
  constructor(
    private readonly projectRoot: string,
    private readonly entryOf: (name: FunctionName) => string = (name) => topology.functions[name].entry,
  ) {
    // Several invocations share this process, as on a Lambda managed instance that runs many at once:
    // each keeps its context (the logger's function name, the batch processor's failed records) in its
    // own async context (see invocation-store.ts).
    this.store = invocationStore();
  }

  private load(name: FunctionName): Promise<Handler> {
    let handler = this.handlers.get(name);
    if (!handler) {
      const url = pathToFileURL(resolve(this.projectRoot, this.entryOf(name))).href;
      handler = import(url).then((m: { handler: Handler }) => m.handler);
      this.handlers.set(name, handler);
    }
    return handler;
  }

  /** Loads every handler now, so the first request does not pay for module loading. */
  async warm(): Promise<void> {
    await Promise.all((Object.keys(topology.functions) as FunctionName[]).map((n) => this.load(n)));
  }

  async invoke(name: FunctionName, event: unknown): Promise<unknown> {
    const handler = await this.load(name);
    const timeoutMs = topology.functions[name].timeoutSeconds * 1000;
    const context = contextFor(name, Date.now() + timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new InvocationTimeoutError(`${name} timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    const store = await this.store;
    try {
      const run = store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => handler(event, context));
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
