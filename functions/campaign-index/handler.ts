import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_CAPTURED, leadCapturedSchema } from '../../events/lead-captured.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { leadCampaignKeys } from '../../shared/domain/campaign-match.js';
import { recordLeadCampaigns } from '../../shared/store/campaign-store.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * Lead Captured → the campaign ids and names the lead came from, noted so a spend import can tell which
 * of its campaigns brought no lead. Test leads are left out; a redelivered event writes the same items.
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const lead = parseDetail(leadCapturedSchema, LEAD_CAPTURED, event.detail);
    if (lead.isTest) return;
    await recordLeadCampaigns(table, leadCampaignKeys(lead.attribution), lead.capturedAt);
  });
