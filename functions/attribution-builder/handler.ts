import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { logger } from '../../shared/observability/logger.js';
import { runScheduledAttributionBuild } from '../../shared/reports/build-attribution-reports.js';

/** On schedule (hourly): rebuilds today's and yesterday's attribution rows, and once a day the last 31 days. */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const result = await runScheduledAttributionBuild(table, new Date());
    logger.info('attribution report built', result);
    return result;
  });
