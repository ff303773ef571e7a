import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { dayOf, daysBefore, daysBetween } from '../../shared/domain/days.js';
import { buildReports } from '../../shared/reports/build-reports.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * On schedule: rebuilds yesterday's and today's source, channel and rep reports, so late events for
 * yesterday (a notification retried past midnight) still land in its report.
 */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const now = new Date();
    const today = dayOf(now.toISOString());
    const result = await buildReports(table, daysBetween(daysBefore(today, 1), today), now);
    logger.info('reports built', { ...result });
    return result;
  });
