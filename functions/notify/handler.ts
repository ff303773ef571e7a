import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { LEAD_ASSIGNED, leadAssignedSchema, type LeadAssigned } from '../../events/lead-assigned.js';
import { NOTIFICATION_FAILED, REP_NOTIFIED, type NotificationFailed, type RepNotified } from '../../events/rep-notified.js';
import { LEAD_TAKEN_BACK, leadTakenBackSchema } from '../../events/lead-taken-back.js';
import { topology } from '../../infra/topology.js';
import { acceptLinkConfig, config } from '../../shared/aws/config.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { delayRedelivery } from '../../shared/aws/queue-backoff.js';
import { table } from '../../shared/aws/runtime.js';
import { ACCEPT_LINK_TTL_MS, acceptUrlOf, signAcceptToken } from '../../shared/domain/accept-link.js';
import { backoffSeconds } from '../../shared/domain/backoff.js';
import { DeliveryError, postWebhook } from '../../shared/notify/webhook.js';
import { appendTimeline, getLeadAndRep } from '../../shared/store/lead-store.js';
import { assignmentOf, recordAssignmentNotified, recordTakenBackNotice, type SlaLead } from '../../shared/store/sla-store.js';
import { logger } from '../../shared/observability/logger.js';

const { maxReceiveCount } = topology.queues.notify;
const links = acceptLinkConfig(config());

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
  await appendTimeline(table, assigned.lead.leadId, { at: failed.failedAt, type: NOTIFICATION_FAILED, detail: { ...failed } }, [
    { detailType: NOTIFICATION_FAILED, detail: failed },
  ]);
}

/**
 * Lead Taken Back → the rep who missed the deadline is told the lead is no longer theirs. Once per missed
 * assignment; a rep without a webhook has nothing to tell, and that is recorded as a failed notification.
 */
async function tellTakenBack(detail: unknown, attempt: number): Promise<void> {
  const back = parseDetail(leadTakenBackSchema, LEAD_TAKEN_BACK, detail);
  const { rep } = await getLeadAndRep(table, back.lead.leadId, back.repId);
  if (!rep?.webhookUrl) throw new DeliveryError(`rep ${back.repId} has no notification channel`, false);
  await postWebhook(
    rep.webhookUrl,
    {
      type: 'lead.taken_back',
      leadId: back.lead.leadId,
      repId: back.repId,
      assignment: back.assignment,
      deadline: back.deadline,
      misses: back.misses,
      reassignedTo: back.toRepId ?? null,
      takenBackAt: back.takenBackAt,
    },
    { timeoutMs: config().NOTIFY_TIMEOUT_MS, idempotencyKey: `${back.lead.leadId}:taken-back:${back.assignment}` },
  );
  await recordTakenBackNotice(table, back.lead.leadId, back.repId, back.assignment, new Date().toISOString());
  logger.info('rep told the lead was taken back', { leadId: back.lead.leadId, repId: back.repId, attempt });
}

async function notifyRep(record: SQSRecord): Promise<void> {
  const envelope = JSON.parse(record.body) as { 'detail-type'?: string; detail: unknown };
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  if (envelope['detail-type'] === LEAD_TAKEN_BACK) {
    try {
      await tellTakenBack(envelope.detail, attempt);
    } catch (error) {
      if (error instanceof DeliveryError && !error.retryable) {
        logger.warn('could not tell a rep their lead was taken back', { error });
        return;
      }
      await delayRedelivery(record.eventSourceARN, record.receiptHandle, backoffSeconds(attempt)).catch(() => undefined);
      throw error;
    }
    return;
  }
  const assigned = parseDetail(leadAssignedSchema, LEAD_ASSIGNED, envelope.detail);
  const { leadId } = assigned.lead;
  try {
    const { lead: stored, rep } = await getLeadAndRep(table, leadId, assigned.repId);
    if (!stored) throw new DeliveryError(`lead ${leadId} is not stored`, false);
    const lead = stored as SlaLead;
    if (lead.ownerId && lead.ownerId !== assigned.repId) {
      // The lead moved on to another rep (a missed deadline) before this notification went out.
      logger.info('lead has another owner by now; not notifying the previous one', { leadId, repId: assigned.repId });
      return;
    }
    const assignment = assignmentOf(lead);
    // An earlier attempt got through and recorded it, with its announcement.
    if (lead.notifiedAt && (lead.notifiedAssignment ?? 1) >= assignment) return;
    if (!rep?.webhookUrl) throw new DeliveryError(`rep ${assigned.repId} has no notification channel`, false);
    const expiresAt = new Date(Date.now() + ACCEPT_LINK_TTL_MS).toISOString();
    const token = signAcceptToken({ leadId, repId: rep.repId, assignment, expiresAt }, links.secret);
    await postWebhook(
      rep.webhookUrl,
      {
        type: 'lead.assigned',
        leadId,
        repId: rep.repId,
        assignedAt: assigned.assignedAt,
        assignment,
        acceptUrl: acceptUrlOf(links.publicApiUrl, token),
        acceptBy: lead.slaDeadline ?? null,
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
      { timeoutMs: config().NOTIFY_TIMEOUT_MS, idempotencyKey: `${leadId}:${assigned.repId}:${assignment}` },
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
    await recordAssignmentNotified(table, {
      ...notified,
      leadId,
      assignment,
      at: notified.notifiedAt,
      type: REP_NOTIFIED,
      announce: [{ detailType: REP_NOTIFIED, detail: notified }],
    });
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
