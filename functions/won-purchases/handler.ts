import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_STATUS_CHANGED, leadStatusChangedSchema } from '../../events/lead-status-changed.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { logger } from '../../shared/observability/logger.js';
import { recordWonLead } from '../../shared/value/record-purchase.js';

/**
 * Lead Status Changed to won → the revenue becomes a purchase of the lead's contact (order
 * `lead:<leadId>`, so a redelivered event records nothing new), and the contact's value and segment are
 * brought up to date.
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const change = parseDetail(leadStatusChangedSchema, LEAD_STATUS_CHANGED, event.detail);
    const purchase = await recordWonLead(table, change, new Date());
    if (!purchase) logger.info('won lead recorded no purchase (test lead, or no contact)', { leadId: change.lead.leadId });
  });
