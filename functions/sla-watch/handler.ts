import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_ASSIGNED, leadAssignedSchema } from '../../events/lead-assigned.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { getLead } from '../../shared/store/lead-store.js';
import { assignmentOf, putSlaWatch, type SlaLead } from '../../shared/store/sla-store.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * Lead Assigned with an SLA deadline → a watch filed under the deadline's minute, for the sweeper. The
 * assignment number is read from the lead; an event about an owner the lead no longer has is stale and
 * files nothing. Filing the same watch again changes nothing.
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const assigned = parseDetail(leadAssignedSchema, LEAD_ASSIGNED, event.detail);
    if (!assigned.slaDeadline) return;
    const lead = (await getLead(table, assigned.lead.leadId)) as SlaLead | undefined;
    if (!lead || lead.ownerId !== assigned.repId || lead.slaDeadline !== assigned.slaDeadline) {
      logger.info('assignment is no longer current; no SLA watch', { leadId: assigned.lead.leadId, repId: assigned.repId });
      return;
    }
    await putSlaWatch(table, {
      leadId: lead.leadId,
      repId: assigned.repId,
      teamId: assigned.teamId,
      assignment: assignmentOf(lead),
      deadline: assigned.slaDeadline,
    });
  });
