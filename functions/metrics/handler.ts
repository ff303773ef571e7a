import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import type { LeadRef } from '../../events/common.js';
import { LEAD_CAPTURED, leadCapturedSchema } from '../../events/lead-captured.js';
import { LEAD_QUALIFIED, leadQualifiedSchema } from '../../events/lead-qualified.js';
import { LEAD_ASSIGNED, leadAssignedSchema } from '../../events/lead-assigned.js';
import { REP_NOTIFIED, repNotifiedSchema } from '../../events/rep-notified.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { leadRefOf } from '../../shared/domain/lead.js';
import { markFunnelStep, type FunnelStage } from '../../shared/store/metrics-store.js';
import { logger } from '../../shared/observability/logger.js';

/** Reads which lead and funnel step an event is about. */
function stepOf(detailType: string, detail: unknown): { lead: LeadRef; stage: FunnelStage; latencyMs?: number } {
  switch (detailType) {
    case LEAD_CAPTURED:
      return { lead: leadRefOf(parseDetail(leadCapturedSchema, detailType, detail)), stage: 'leads' };
    case LEAD_QUALIFIED:
      return { lead: parseDetail(leadQualifiedSchema, detailType, detail).lead, stage: 'qualified' };
    case LEAD_ASSIGNED:
      return { lead: parseDetail(leadAssignedSchema, detailType, detail).lead, stage: 'assigned' };
    case REP_NOTIFIED: {
      const notified = parseDetail(repNotifiedSchema, detailType, detail);
      return { lead: notified.lead, stage: 'notified', latencyMs: notified.latencyMs };
    }
    default:
      throw new Error(`metrics does not count "${detailType}" events; the rule's pattern and this handler disagree`);
  }
}

/**
 * Funnel events → one mark per lead and step on the lead's capture day, each recorded once however often
 * the event arrives. Test leads are not counted: reports are about real demand.
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const step = stepOf(event['detail-type'], event.detail);
    if (step.lead.isTest) return;
    await markFunnelStep(table, step);
  });
