import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});
const queueUrls = new Map<string, Promise<string | undefined>>();

function queueUrlOf(queueArn: string): Promise<string | undefined> {
  let url = queueUrls.get(queueArn);
  if (!url) {
    const [, , , , account, name] = queueArn.split(':');
    url = sqs
      .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))
      .then((out) => out.QueueUrl);
    // A failed lookup is not remembered: the next failure tries again.
    url.catch(() => queueUrls.delete(queueArn));
    queueUrls.set(queueArn, url);
  }
  return url;
}

/**
 * Delays a failed message's next delivery. SQS redelivers after the queue's visibility timeout, which
 * must be long enough for the slowest run; a failed attempt should come back sooner and then later.
 */
export async function delayRedelivery(queueArn: string, receiptHandle: string, seconds: number): Promise<void> {
  const QueueUrl = await queueUrlOf(queueArn);
  if (!QueueUrl) return;
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
}
