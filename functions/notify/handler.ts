import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { LEAD_ASSIGNED, leadAssignedSchema, type LeadAssigned } from '../../events/lead-assigned.js';
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

const { maxReceiveCount } = topology.queues.notify;

/** Records on the lead's timeline, and announces, that its rep could not be told. */
async function recordFailure(assigned: LeadAssigned, attempt: number, error: unknown): Promise<void> {
  const failed: NotificationFailed = {
    version: 1,
    lead: assigned.lead,
    repId: assigned.repId,
    channel: 'webhook',
    attempt,
    failedAt: new Date().toISOString(),
    error: (error as Error)?.message ?? String(error),
  };
  await appendTimeline(table, assigned.lead.leadId, { at: failed.failedAt, type: NOTIFICATION_FAILED, detail: { ...failed } });
  await publisher.publish({ detailType: NOTIFICATION_FAILED, detail: failed });
}

async function notifyRep(record: SQSRecord): Promise<void> {
  const envelope = JSON.parse(record.body) as { detail: unknown };
  const assigned = parseDetail(leadAssignedSchema, LEAD_ASSIGNED, envelope.detail);
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  const { leadId } = assigned.lead;
  try {
    const { lead, rep } = await getLeadAndRep(table, leadId, assigned.repId);
    if (!lead) throw new DeliveryError(`lead ${leadId} is not stored`, false);
    if (lead.notifiedAt) {
      // An earlier attempt got through and recorded it; announce it again in case its publish failed.
      const again: RepNotified = {
        version: 1,
        lead: assigned.lead,
        repId: lead.ownerId ?? assigned.repId,
        channel: 'webhook',
        attempt,
        notifiedAt: lead.notifiedAt,
        latencyMs: lead.captureToNotifyMs ?? 0,
      };
      await publisher.publish({ detailType: REP_NOTIFIED, detail: again });
      return;
    }
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
    // Anything but a refusal the rep's endpoint made final (a 4xx, no channel) may succeed later.
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    const lastAttempt = attempt >= maxReceiveCount;
    if (!retryable || lastAttempt) {
      await recordFailure(assigned, attempt, error).catch((e: unknown) =>
        logger.error('could not record a failed notification', { leadId, error: e as Error }),
      );
      // A final refusal is done with; a last failed attempt is thrown so the message moves to the DLQ.
      if (!retryable) return;
    } else {
      await delayRedelivery(record.eventSourceARN, record.receiptHandle, backoffSeconds(attempt)).catch((e: unknown) =>
        logger.warn('could not delay the next attempt; the queue visibility timeout applies', { leadId, error: e as Error }),
      );
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
  // A processor per invocation: its state is per batch, and the local runtime runs several batches
  // at once in one module instance (on Lambda a container takes one event at a time).
  .handler((event, context) =>
    processPartialResponse(event, notifyRep, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false }),
  );
