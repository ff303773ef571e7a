import { describe, expect, it } from 'vitest';

describe('the local invocation store, when the SDK came first', () => {
  it('refuses with a reason instead of letting concurrent invocations share one context', async () => {
    // A fresh process state: no store yet and no concurrency declared, as before the platform starts.
    delete (globalThis as { awslambda?: unknown }).awslambda;
    delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
    const { InvokeStore } = await import('@aws/lambda-invoke-store');
    // An SDK request before the runtime set up the store gets the one-invocation-at-a-time store.
    await InvokeStore.getInstanceAsync();
    const { invocationStore } = await import('../../infra/local/invocation-store.js');
    await expect(invocationStore()).rejects.toThrow(/an AWS SDK call came first/);
  });
});
