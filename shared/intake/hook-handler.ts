import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../aws/config.js';
import { publisher, table } from '../aws/runtime.js';
import { boundedPathParameters } from '../http/bounded-ids.js';
import { httpErrors } from '../http/errors.js';
import { logger } from '../observability/logger.js';
import { fetchSourceSecrets, secretsLocationFromEnv } from '../secrets/source-secrets.js';
import type { SourceAdapter } from '../sources/adapter.js';
import { getSource } from '../store/directory-store.js';
import { readThroughCache, readThroughCachePerTable } from '../store/read-through-cache.js';
import { handleHook } from './hook-intake.js';

// A source not found is not remembered: one created a moment ago answers its provider's handshake at once.
const sourceLookup = readThroughCachePerTable(getSource, 30_000, { cacheUndefined: false });
const secretsLookup = readThroughCache((sourceId) => fetchSourceSecrets(secretsLocationFromEnv(), sourceId), 30_000);

/**
 * The Lambda handler of an intake family: `POST` and `GET /v1/hooks/{provider}/{sourceId}` for the
 * providers whose adapters it is given. Sources and their secrets are read at most every 30 s per
 * process, so a burst of webhooks costs one read of each.
 */
export function hookHandler(adapters: readonly SourceAdapter[]) {
  const byProvider = new Map(adapters.map((a) => [a.provider, a]));
  return middy<APIGatewayProxyEventV2>()
    .use(injectLambdaContext(logger))
    .use(httpErrors())
    .use(boundedPathParameters())
    .handler((event) =>
      handleHook(
        {
          table,
          publisher,
          now: () => new Date(),
          contentWindowSeconds: config().DEDUPE_WINDOW_SECONDS,
          sourceOf: (sourceId) => sourceLookup(table, sourceId),
          secretsOf: secretsLookup,
        },
        byProvider,
        event,
      ),
    );
}
