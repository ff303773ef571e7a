import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { startQueuePoller } from '../../infra/local/queue-poller.js';
import { startTestQueues } from '../support/local-services.js';
import { eventually } from '../support/platform-process.js';

let queues: Awaited<ReturnType<typeof startTestQueues>>;

beforeAll(async () => {
  queues = await startTestQueues();
});
afterAll(async () => queues?.stop());

async function queue(name: string, visibilitySeconds: number): Promise<string> {
  const out = await queues.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: String(visibilitySeconds) } }));
  return out.QueueUrl!;
}

describe('the local SQS event source', () => {
  it('deletes what the consumer handled, redelivers what it reported failed, and dead-letters after maxReceiveCount', async () => {
    const url = await queue('poller-test', 1);
    const dlq = await queue('poller-test-dlq', 30);
    const seen: Array<{ body: string; count: string }> = [];
    const poller = startQueuePoller({
      sqs: queues.sqs,
      queueUrl: url,
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:poller-test',
      maxReceiveCount: 3,
      deadLetterQueueUrl: dlq,
      batchSize: 10,
      pollers: 2,
      // The consumer is under the poller's contract: it fails "bad" every time and handles "good".
      invoke: async (event: SQSEvent) => {
        for (const r of event.Records) seen.push({ body: r.body, count: r.attributes.ApproximateReceiveCount });
        return { batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) };
      },
      onError: () => undefined,
    });
    try {
      await queues.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'good' }));
      await queues.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad' }));
      const dead = await eventually(
        async () => (await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10 }))).Messages ?? [],
        (m) => m.length > 0,
        15_000,
      );
      expect(dead.map((m) => m.Body)).toEqual(['bad']);
      expect(seen.filter((s) => s.body === 'good')).toEqual([{ body: 'good', count: '1' }]);
      expect(seen.filter((s) => s.body === 'bad').map((s) => s.count)).toEqual(['1', '2', '3']);
    } finally {
      await poller.stop();
    }
  });

  it('treats a consumer that throws as a failure of the whole batch', async () => {
    const url = await queue('poller-throws', 1);
    const dlq = await queue('poller-throws-dlq', 30);
    let calls = 0;
    const poller = startQueuePoller({
      sqs: queues.sqs,
      queueUrl: url,
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:poller-throws',
      maxReceiveCount: 2,
      deadLetterQueueUrl: dlq,
      batchSize: 10,
      pollers: 1,
      invoke: async () => {
        calls++;
        throw new Error('consumer crashed');
      },
      onError: () => undefined,
    });
    try {
      await queues.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'boom' }));
      const dead = await eventually(
        async () => (await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq }))).Messages ?? [],
        (m) => m.length > 0,
        15_000,
      );
      expect(dead[0]!.Body).toBe('boom');
      expect(calls).toBe(2);
    } finally {
      await poller.stop();
    }
  });
});
