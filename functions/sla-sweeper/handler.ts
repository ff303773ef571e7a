import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { config } from '../../shared/aws/config.js';
import { table } from '../../shared/aws/runtime.js';
import { postWebhook } from '../../shared/notify/webhook.js';
import { sweepSla } from '../../shared/use-cases/sweep-sla.js';
import { activeRoutingConfig } from '../../shared/store/config-store.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * Every minute (schedule `sweep-sla`): re-assigns leads whose acceptance deadline passed, escalates
 * repeated misses to the team's manager, and assigns waiting leads a rep can now take.
 */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const report = await sweepSla({
      table,
      routingConfig: () => activeRoutingConfig(table),
      tellManager: (url, payload, idempotencyKey) => postWebhook(url, payload, { timeoutMs: config().NOTIFY_TIMEOUT_MS, idempotencyKey }),
      log: (message, detail) => logger.warn(message, detail),
    });
    logger.info('SLA sweep done', { ...report });
    return report;
  });
