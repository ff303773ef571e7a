import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { logger } from '../../shared/observability/logger.js';
import { buildSegmentReport } from '../../shared/reports/build-segment-report.js';

/**
 * On schedule (daily): recomputes every customer's value and segment for today (segments change with
 * time alone: a new customer stops being new) and rebuilds the segment report from them.
 */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const result = await buildSegmentReport(table, new Date(), { refresh: true });
    logger.info('segments refreshed', result);
    return result;
  });
