import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { LEAD_ASSIGNED, leadAssignedSchema } from '../../events/lead-assigned.js';
import { NOTIFICATION_FAILED, REP_NOTIFIED, type NotificationFailed, type RepNotified } from '../../events/rep-notified.js';
import { topology } from '../../infra/topology.js';
import { config } from '../../shared/aws/config.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { delayRedelivery } from '../../shared/aws/queue-backoff.js';
import { publisher, table } from '../../shared/aws/runtime.js';
import { backoffSeconds } from '../../shared/domain/backoff.js';
import { DeliveryError, postWebhook } from '../../shared/notify/webhook.js';
import { appendTimeline, getLeadAndRep, recordNotified } from '../../shared/store/lead-store.js';
import { logger } from '../../shared/observability/logger.js';

const processor = new BatchProcessor(EventType.SQS);
const { maxReceiveCount } = topology.queues.notify;

async function notifyRep(record: SQSRecord): Promise<void> {
  const envelope = JSON.parse(record.body) as { detail: unknown };
  const assigned = parseDetail(leadAssignedSchema, LEAD_ASSIGNED, envelope.detail);
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  const { leadId } = assigned.lead;
  try {
    const { lead, rep } = await getLeadAndRep(table, leadId, assigned.repId);
    if (!lead) throw new DeliveryError(`lead ${leadId} is not stored`, false);
    if (lead.notifiedAt) return;
    if (!rep?.webhookUrl) throw new DeliveryError(`rep ${assigned.repId} has no notification channel`, false);
    await postWebhook(
      rep.webhookUrl,
      {
        type: 'lead.assigned',
        leadId,
        repId: rep.repId,
        assignedAt: assigned.assignedAt,
        lead: {
          name: lead.person.name,
          email: lead.person.email,
          phone: lead.person.phone,
          message: lead.message,
          score: lead.score,
          grade: lead.grade,
          sourceId: lead.sourceId,
          channel: lead.channel,
          capturedAt: lead.capturedAt,
          attribution: lead.attribution,
        },
      },
      { timeoutMs: config().NOTIFY_TIMEOUT_MS, idempotencyKey: `${leadId}:${assigned.repId}` },
    );
    const notifiedAt = new Date();
    const notified: RepNotified = {
      version: 1,
      lead: assigned.lead,
      repId: assigned.repId,
      channel: 'webhook',
      attempt,
      notifiedAt: notifiedAt.toISOString(),
      latencyMs: Math.max(0, notifiedAt.getTime() - Date.parse(assigned.lead.capturedAt)),
    };
    const first = await recordNotified(table, { ...notified, leadId, at: notified.notifiedAt });
    if (first) await publisher.publish({ detailType: REP_NOTIFIED, detail: notified });
  } catch (error) {
    const final = !(error instanceof DeliveryError && error.retryable) || attempt >= maxReceiveCount;
    if (error instanceof DeliveryError && final) {
      const failed: NotificationFailed = {
        version: 1,
        lead: assigned.lead,
        repId: assigned.repId,
        channel: 'webhook',
        attempt,
        failedAt: new Date().toISOString(),
        error: error.message,
      };
      await appendTimeline(table, leadId, { at: failed.failedAt, type: NOTIFICATION_FAILED, detail: { ...failed } });
      await publisher.publish({ detailType: NOTIFICATION_FAILED, detail: failed });
      if (!error.retryable) return;
    } else if (!final) {
      await delayRedelivery(record.eventSourceARN, record.receiptHandle, backoffSeconds(attempt));
    }
    logger.warn('notification attempt failed', { leadId, attempt, error: error as Error });
    throw error;
  }
}

/**
 * Lead Assigned (from the notify queue) → the rep's webhook is called. A failed attempt comes back with
 * growing delays; after the queue's last attempt the failure is recorded and the message goes to the DLQ.
 */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler((event, context) =>
    processPartialResponse(event, notifyRep, processor, { context, throwOnFullBatchFailure: false }),
  );
