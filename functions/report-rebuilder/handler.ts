import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { dayOf, daysBefore, daysBetween } from '../../shared/domain/days.js';
import { buildReports } from '../../shared/reports/build-reports.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * How far back the daily rebuild goes: ad platforms revise a day's spend for weeks (invalid-click
 * credits), and a lead captured months ago can still be won; its mark lands on its capture day.
 */
const REBUILD_DAYS = 92;

/** Once a day: rebuilds the last `REBUILD_DAYS` days of every report from their marks and spend. */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const now = new Date();
    const today = dayOf(now.toISOString());
    const result = await buildReports(table, daysBetween(daysBefore(today, REBUILD_DAYS - 1), today), now);
    logger.info('reports rebuilt', { ...result });
    return result;
  });
