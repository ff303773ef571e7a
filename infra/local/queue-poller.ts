import {
  DeleteMessageBatchCommand,
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
  batchSize: number;
  /** Parallel receive loops, as Lambda's event source mapping scales its pollers. */
  pollers: number;
  invoke: (event: SQSEvent) => Promise<unknown>;
  onError: (error: unknown) => void;
}

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

function recordOf(m: Message, queueArn: string): SQSEvent['Records'][number] {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
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
 */
export function startQueuePoller(options: QueuePollerOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const loop = async () => {
    while (!abort.signal.aborted) {
      let messages: Message[] = [];
      try {
        const out = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: 2,
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
      if (!messages.length) continue;
      const records = messages.map((m) => recordOf(m, options.queueArn));
      let done: SQSEvent['Records'] = [];
      try {
        done = succeeded(records, await options.invoke({ Records: records }));
      } catch (error) {
        options.onError(error);
      }
      if (done.length) {
        await options.sqs
          .send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
            }),
          )
          .catch(options.onError);
      }
    }
  };
  const loops = Array.from({ length: options.pollers }, () => loop());
  return {
    async stop() {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}
