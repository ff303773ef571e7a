import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { CALL_TRACKED, callTrackedSchema } from '../../events/call-tracked.js';
import { config } from '../../shared/aws/config.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { trackCall } from '../../shared/use-cases/track-call.js';
import { logger } from '../../shared/observability/logger.js';
import { getSource } from '../../shared/store/directory-store.js';

/** Call Tracked → the event is merged into its call, and the call becomes a lead, a touchpoint or a contact. */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const tracked = parseDetail(callTrackedSchema, CALL_TRACKED, event.detail);
    await trackCall(
      { table, now: () => new Date(), contentWindowSeconds: config().DEDUPE_WINDOW_SECONDS, sourceOf: (id) => getSource(table, id) },
      tracked,
    );
  });
