import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  SendMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes } from 'aws-lambda';
import { LOCAL_REGION } from './sqs-server.js';

export interface QueuePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  /** The queue's redrive policy: after this many receives a message moves to `deadLetterQueueUrl`. */
  maxReceiveCount: number;
  deadLetterQueueUrl: string;
  batchSize: number;
  /** Parallel receive loops, as Lambda's event source mapping scales its pollers. */
  pollers: number;
  invoke: (event: SQSEvent) => Promise<unknown>;
  onError: (error: unknown) => void;
  /** Messages the poller is done with: deleted after their consumer succeeded, or moved to the DLQ. */
  onSettled?: (messageIds: string[]) => void;
}

/**
 * Pauses between empty polls: short right after traffic, growing while the queue stays empty. A sender
 * in this process (the local bus) wakes the pollers at once, so the pause only bounds how late a
 * redelivery (a message whose visibility timeout ran out) is picked up.
 */
const IDLE_PAUSE_MS = { first: 25, max: 1000 };

function attributesOf(attrs: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, a] of Object.entries(attrs ?? {})) {
    out[name] = {
      dataType: a.DataType ?? 'String',
      stringValue: a.StringValue,
      binaryValue: a.BinaryValue ? Buffer.from(a.BinaryValue).toString('base64') : undefined,
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return out;
}

function recordOf(m: Message, queueArn: string, receiveCount: number): SQSEvent['Records'][number] {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: attributesOf(m.MessageAttributes),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

/** Which messages of a batch succeeded, per the ReportBatchItemFailures contract. */
function succeeded(records: SQSEvent['Records'], result: unknown): SQSEvent['Records'] {
  const failures = (result as SQSBatchResponse | undefined)?.batchItemFailures;
  if (!Array.isArray(failures)) return records;
  const failed = new Set(failures.map((f) => f.itemIdentifier));
  return records.filter((r) => !failed.has(r.messageId));
}

/**
 * Polls a queue and invokes its consumer with SQS batch events, as Lambda's event source mapping does:
 * messages the consumer reports as failed (or all of them, when it throws) stay on the queue and come
 * back after their visibility timeout; the rest are deleted.
 *
 * The poller keeps the receive count and applies the redrive policy itself: local-aws-sqs counts a
 * ChangeMessageVisibility call as a receive, which would misreport attempts and dead-letter a message
 * early. As the queue's only consumer, the poller's count is exact.
 */
export function startQueuePoller(options: QueuePollerOptions): { wake(): void; stop(): Promise<void> } {
  const abort = new AbortController();
  const sleepers = new Set<() => void>();
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  const receives = new Map<string, number>();
  const redrive = async (m: Message) => {
    await options.sqs.send(
      new SendMessageCommand({ QueueUrl: options.deadLetterQueueUrl, MessageBody: m.Body ?? '', MessageAttributes: m.MessageAttributes }),
    );
    await options.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    receives.delete(m.MessageId!);
    options.onSettled?.([m.MessageId!]);
  };
  const loop = async () => {
    let idlePause = IDLE_PAUSE_MS.first;
    while (!abort.signal.aborted) {
      let messages: Message[] = [];
      try {
        const out = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            // local-aws-sqs answers a long poll only when the wait ends, not when a message arrives, so
            // the poller short-polls, pausing longer the longer the queue stays empty.
            WaitTimeSeconds: 0,
            // Both spellings: the server reads the older AttributeNames, AWS now documents the newer one.
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onError(error);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (!messages.length) {
        await idle(idlePause);
        idlePause = Math.min(IDLE_PAUSE_MS.max, idlePause * 2);
        continue;
      }
      idlePause = IDLE_PAUSE_MS.first;
      const records: SQSEvent['Records'] = [];
      for (const m of messages) {
        const count = (receives.get(m.MessageId!) ?? 0) + 1;
        receives.set(m.MessageId!, count);
        if (count > options.maxReceiveCount) await redrive(m).catch(options.onError);
        else records.push(recordOf(m, options.queueArn, count));
      }
      if (!records.length) continue;
      let done: SQSEvent['Records'] = [];
      try {
        done = succeeded(records, await options.invoke({ Records: records }));
      } catch (error) {
        options.onError(error);
      }
      for (const r of done) receives.delete(r.messageId);
      if (done.length) {
        await options.sqs
          .send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
            }),
          )
          .then(() => options.onSettled?.(done.map((r) => r.messageId)))
          .catch(options.onError);
      }
    }
  };
  const loops = Array.from({ length: options.pollers }, () => loop());
  return {
    /** A message was just sent to the queue: one idle poller polls now instead of finishing its pause. */
    wake() {
      const [first] = sleepers;
      first?.();
    },
    async stop() {
      abort.abort();
      for (const done of [...sleepers]) done();
      await Promise.allSettled(loops);
    },
  };
}
