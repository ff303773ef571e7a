import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../../../shared/observability/logger.js';

/**
 * A handler that waits as long as its event says and then logs a WARN line, as notify does after a
 * webhook times out: another function's invocation may have started on the shared logger meanwhile.
 */
export const handler = middy<{ waitMs: number; label: string }>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    await new Promise((r) => setTimeout(r, event.waitMs));
    logger.warn('fake handler warns', { label: event.label });
    return event.label;
  });
