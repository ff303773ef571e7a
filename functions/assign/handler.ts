import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_QUALIFIED, leadQualifiedSchema } from '../../events/lead-qualified.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { activeRoutingConfig } from '../../shared/store/config-store.js';
import { assignQualifiedLead, type AssignDeps } from '../../shared/use-cases/assign-lead.js';
import { logger } from '../../shared/observability/logger.js';

const deps: AssignDeps = { table, routingConfig: () => activeRoutingConfig(table) };

/**
 * Lead Qualified → the lead's owner, chosen by the routing rules, the team's strategy, caps, working
 * hours and availability (shared/use-cases/assign-lead.ts), or a place in the team's queue; then Lead
 * Assigned. A redelivered event announces the owner the first delivery chose.
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const qualified = parseDetail(leadQualifiedSchema, LEAD_QUALIFIED, event.detail);
    const outcome = await assignQualifiedLead(deps, qualified);
    if (outcome.outcome !== 'assigned' && outcome.outcome !== 'already-assigned') {
      logger.info('lead not assigned', { leadId: qualified.lead.leadId, ...outcome });
    }
  });
