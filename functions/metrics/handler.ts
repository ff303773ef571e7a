import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSEvent } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { recordFunnelEvents } from '../../shared/reports/funnel-steps.js';
import { logger } from '../../shared/observability/logger.js';

/** Funnel events from the metrics queue → funnel and call marks; unreadable records are reported failed. */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler((event) => recordFunnelEvents(table, event.Records));
