import type { Server } from 'node:http';
import { createSqsServer } from 'local-aws-sqs';
import { topology, type QueueName } from '../topology.js';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** Names of the queues the topology needs, on AWS and locally. */
export const queueNames = {
  of: (name: QueueName) => `leadflow-${name}`,
  deadLetterOf: (name: QueueName) => `leadflow-${name}-dlq`,
  /** Where events go that a rule could not deliver to its target. */
  eventsDeadLetter: 'leadflow-events-dlq',
};

export interface RunningSqs {
  endpoint: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  stop(): Promise<void>;
}

/**
 * Starts an SQS-API server on loopback with the topology's queues, each with its dead-letter queue, plus
 * the dead-letter queue for undeliverable events. The redrive policy is applied by the local queue
 * poller (see queue-poller.ts). Queues live in memory: messages in flight are lost when the local
 * platform stops (on AWS they are durable).
 */
export async function startSqsServer(port: number): Promise<RunningSqs> {
  const queueUrl = (name: string) => `http://127.0.0.1:${port}/${LOCAL_ACCOUNT}/${name}`;
  const queueArn = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
  const queues = [{ QueueName: queueNames.eventsDeadLetter }];
  for (const [name, spec] of Object.entries(topology.queues) as Array<[QueueName, (typeof topology.queues)[QueueName]]>) {
    queues.push({ QueueName: queueNames.deadLetterOf(name) });
    queues.push({
      QueueName: queueNames.of(name),
      Attributes: { VisibilityTimeout: String(spec.visibilityTimeoutSeconds) },
    } as (typeof queues)[number]);
  }
  const server: Server = await createSqsServer({
    port,
    hostname: '127.0.0.1',
    accountId: LOCAL_ACCOUNT,
    region: LOCAL_REGION,
    emulateQueueCreationLifecycle: false,
    queues,
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    queueUrl,
    queueArn,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
