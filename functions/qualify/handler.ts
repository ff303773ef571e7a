import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_CAPTURED, leadCapturedSchema } from '../../events/lead-captured.js';
import { config } from '../../shared/aws/config.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { logger } from '../../shared/observability/logger.js';
import { dynamoConfigStore, dynamoContactStore, dynamoLeadStore } from '../../shared/store/adapters.js';
import { qualifyLead, type QualifyPorts } from '../../shared/use-cases/qualify-lead.js';

const ports: QualifyPorts = {
  leads: dynamoLeadStore(table),
  contacts: dynamoContactStore(table),
  configs: dynamoConfigStore(table),
  clock: { now: () => new Date() },
  mergeWindowSeconds: config().MERGE_WINDOW_SECONDS,
};

/**
 * Lead Captured → the lead scored and stored as qualified, disqualified or merged into the person's
 * open lead, with its announcement in the same write (shared/use-cases/qualify-lead.ts).
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const outcome = await qualifyLead(ports, parseDetail(leadCapturedSchema, LEAD_CAPTURED, event.detail));
    if (outcome.outcome === 'already-stored') logger.info('lead was qualified before; nothing changed', { ...outcome });
  });
