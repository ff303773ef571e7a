import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { topology } from '../../infra/topology.js';
import { acceptLinkConfig, config } from '../../shared/aws/config.js';
import { delayRedelivery } from '../../shared/aws/queue-backoff.js';
import { table } from '../../shared/aws/runtime.js';
import { webhookNotifier } from '../../shared/notify/webhook.js';
import { logger } from '../../shared/observability/logger.js';
import { dynamoLeadStore } from '../../shared/store/adapters.js';
import { notifyRep, type NotifyPorts } from '../../shared/use-cases/notify-rep.js';

const { maxReceiveCount } = topology.queues.notify;
const ports: NotifyPorts = { leads: dynamoLeadStore(table), notifier: webhookNotifier({ timeoutMs: config().NOTIFY_TIMEOUT_MS }), clock: { now: () => new Date() }, links: acceptLinkConfig(config()) };

async function notifyRecord(record: SQSRecord): Promise<void> {
  const { 'detail-type': detailType, detail } = JSON.parse(record.body) as { 'detail-type'?: string; detail: unknown };
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  const outcome = await notifyRep(ports, { detailType, detail, attempt, lastAttempt: attempt >= maxReceiveCount });
  if (outcome.outcome !== 'notified' && outcome.outcome !== 'told-taken-back') logger.info('notice not delivered', { ...outcome, attempt });
  if (outcome.outcome === 'retry') await delayRedelivery(record.eventSourceARN, record.receiptHandle, outcome.delaySeconds).catch((e: unknown) => logger.warn('could not delay the next attempt', { error: e as Error }));
  if (outcome.outcome === 'retry' || outcome.outcome === 'gave-up') throw outcome.error;
}

/** The notify queue → each rep told (shared/use-cases/notify-rep.ts); failed attempts come back later, then dead-letter. */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  // A processor per invocation: the local runtime runs several batches at once in one module instance.
  .handler((event, context) => processPartialResponse(event, notifyRecord, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false }));
