import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_QUALIFIED, leadQualifiedSchema } from '../../events/lead-qualified.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { publisher, table } from '../../shared/aws/runtime.js';
import { activeRoutingConfig } from '../../shared/store/config-store.js';
import { assignQualifiedLead, type AssignDeps } from '../../shared/routing/assign-lead.js';
import { logger } from '../../shared/observability/logger.js';

const NO_CONFIG = /^no routing config is active/;

const deps: AssignDeps = {
  table,
  publisher,
  // An installation that never wrote a routing config still routes leads whose source names a team.
  routingConfig: () =>
    activeRoutingConfig(table).catch((error: unknown) => {
      if (NO_CONFIG.test((error as Error).message)) return undefined;
      throw error;
    }),
};

/**
 * Lead Qualified → the lead's owner, chosen by the routing rules, the team's strategy, caps, working
 * hours and availability (shared/routing/assign-lead.ts), or a place in the team's queue; then Lead
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
