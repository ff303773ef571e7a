import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_ASSIGNED, leadAssignedSchema } from '../../events/lead-assigned.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { logger } from '../../shared/observability/logger.js';
import { dynamoLeadStore, dynamoSlaStore } from '../../shared/store/adapters.js';
import { watchSlaDeadline } from '../../shared/use-cases/watch-sla-deadline.js';

const ports = { leads: dynamoLeadStore(table), sla: dynamoSlaStore(table) };

/** Lead Assigned with an SLA deadline → a watch for the sweeper (shared/use-cases/watch-sla-deadline.ts). */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const assigned = parseDetail(leadAssignedSchema, LEAD_ASSIGNED, event.detail);
    const { watched } = await watchSlaDeadline(ports, assigned);
    if (!watched && assigned.slaDeadline) {
      logger.info('assignment is no longer current; no SLA watch', { leadId: assigned.lead.leadId, repId: assigned.repId });
    }
  });
