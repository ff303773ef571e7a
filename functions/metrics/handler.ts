import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LEAD_CAPTURED, leadCapturedSchema } from '../../events/lead-captured.js';
import { LEAD_QUALIFIED, leadQualifiedSchema } from '../../events/lead-qualified.js';
import { LEAD_ASSIGNED, leadAssignedSchema } from '../../events/lead-assigned.js';
import { REP_NOTIFIED, repNotifiedSchema } from '../../events/rep-notified.js';
import { LEAD_STATUS_CHANGED, leadStatusChangedSchema } from '../../events/lead-status-changed.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { leadRefOf } from '../../shared/domain/lead.js';
import { statusMarksOf } from '../../shared/domain/status-marks.js';
import { recordFunnelSteps, type FunnelStep } from '../../shared/store/metrics-store.js';
import { logger } from '../../shared/observability/logger.js';

/** Reads which lead and funnel steps an event is about: one step, or for a rep's status change up to two. */
function stepsOf(detailType: string, detail: unknown): FunnelStep[] {
  switch (detailType) {
    case LEAD_CAPTURED:
      return [{ lead: leadRefOf(parseDetail(leadCapturedSchema, detailType, detail)), stage: 'leads' }];
    case LEAD_QUALIFIED:
      return [{ lead: parseDetail(leadQualifiedSchema, detailType, detail).lead, stage: 'qualified' }];
    case LEAD_ASSIGNED:
      return [{ lead: parseDetail(leadAssignedSchema, detailType, detail).lead, stage: 'assigned' }];
    case REP_NOTIFIED: {
      const notified = parseDetail(repNotifiedSchema, detailType, detail);
      return [{ lead: notified.lead, stage: 'notified', latencyMs: notified.latencyMs }];
    }
    case LEAD_STATUS_CHANGED: {
      const change = parseDetail(leadStatusChangedSchema, detailType, detail);
      return statusMarksOf(change).map((mark) => ({ lead: change.lead, ...mark }));
    }
    default:
      throw new Error(`metrics does not count "${detailType}" events; the rule's pattern and this handler disagree`);
  }
}

/**
 * Funnel events (batched through the metrics queue) → one record per lead and step on the lead's
 * capture day (a rep's status change can mark two: accepted and contacted), written in one
 * BatchWriteItem per 25. A record that breaks its contract is reported as failed (and ends in the DLQ)
 * without holding back the rest; if the write fails, the whole batch is retried, which is harmless
 * because writing a step again changes nothing. Test leads are not counted: reports are about real demand.
 */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const steps: FunnelStep[] = [];
    for (const record of event.Records) {
      try {
        const envelope = JSON.parse(record.body) as { 'detail-type': string; detail: unknown };
        for (const step of stepsOf(envelope['detail-type'], envelope.detail)) if (!step.lead.isTest) steps.push(step);
      } catch (error) {
        logger.error('funnel event cannot be read', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    await recordFunnelSteps(table, steps);
    return { batchItemFailures: failures };
  });
