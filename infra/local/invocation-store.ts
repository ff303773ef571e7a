import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';

let store: Promise<InvokeStoreBase> | undefined;

/** Whether two overlapping runs each keep their own context, which the single-invocation store does not. */
async function keepsRunsApart(candidate: InvokeStoreBase): Promise<boolean> {
  const key = InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID;
  const pause = () => new Promise((r) => setTimeout(r, 1));
  const seen = await Promise.all(
    ['first', 'second'].map((id) => candidate.run({ [key]: id }, async () => (await pause(), candidate.get(key)))),
  );
  return seen[0] === 'first' && seen[1] === 'second';
}

/**
 * The store that keeps each invocation's context (Powertools' logger context and its batch processor's
 * failed records) apart while several invocations share this process, as on a Lambda managed instance.
 *
 * It must exist before the first AWS SDK call: the SDK's recursion-detection middleware asks for the
 * store on its first request and, unless `AWS_LAMBDA_MAX_CONCURRENCY` is set by then, gets the
 * single-invocation store, which every later caller is handed too. With that store an invocation that
 * starts while another waits overwrites the other's context: a notify batch whose webhook failed then
 * answered "no failures", and its message was deleted instead of retried.
 */
export function invocationStore(): Promise<InvokeStoreBase> {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  store ??= InvokeStore.getInstanceAsync(true).then(async (candidate) => {
    if (!(await keepsRunsApart(candidate))) {
      throw new Error(
        'the invocation store was made for one invocation at a time before the local runtime set it up ' +
          '(an AWS SDK call came first); call invocationStore() before any SDK client sends a request',
      );
    }
    return candidate;
  });
  return store;
}
