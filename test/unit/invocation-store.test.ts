import { InvokeStore } from '@aws/lambda-invoke-store';
import { describe, expect, it } from 'vitest';
import { invocationStore } from '../../infra/local/invocation-store.js';
import { LambdaInvoker } from '../../infra/local/lambda-invoker.js';
import { PROJECT_ROOT } from '../support/platform-process.js';

const sqsRecord = (messageId: string) => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body: '{}',
  attributes: {},
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:leadflow-notify',
  awsRegion: 'us-east-1',
});

describe('the local invocation store', () => {
  it("keeps each overlapping invocation's failed records, also once the SDK has asked for the store", async () => {
    const store = await invocationStore();
    // What the SDK's recursion-detection middleware does on its first request.
    expect(await InvokeStore.getInstanceAsync()).toBe(store);
    const invoker = new LambdaInvoker(PROJECT_ROOT, () => 'test/support/fake-handlers/fail-after-pause.ts');
    // The first fails last, after the second has started and finished: both must say which failed.
    const [slow, quick] = await Promise.all([
      invoker.invoke('notify', { Records: [sqsRecord('slow-1')], waitMs: 120 }),
      new Promise((r) => setTimeout(r, 20)).then(() => invoker.invoke('metrics', { Records: [sqsRecord('quick-1')], waitMs: 0 })),
    ]);
    expect(slow).toEqual({ batchItemFailures: [{ itemIdentifier: 'slow-1' }] });
    expect(quick).toEqual({ batchItemFailures: [{ itemIdentifier: 'quick-1' }] });
  });
});
