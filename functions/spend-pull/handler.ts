import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { table } from '../../shared/aws/runtime.js';
import { logger } from '../../shared/observability/logger.js';
import { fetchSourceSecrets, secretsLocationFromEnv } from '../../shared/secrets/source-secrets.js';
import { spendApisFromEnv } from '../../shared/spend/platform-pulls.js';
import { connectionSecretsName, pullSpend } from '../../shared/spend/pull-spend.js';

const location = secretsLocationFromEnv();
const apis = spendApisFromEnv();

/** On schedule: pulls the last 7 days of spend of every enabled connection (Meta, Google Ads, Yandex Direct). */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const results = await pullSpend({ table, apis, now: () => new Date(), secrets: (id) => fetchSourceSecrets(location, connectionSecretsName(id)) });
    for (const r of results) {
      if (r.ok) logger.info('spend pulled', { ...r });
      else logger.warn('spend pull failed', { ...r });
    }
    return results;
  });
