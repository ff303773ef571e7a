import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../aws/config.js';
import { table } from '../aws/runtime.js';
import { boundedPathParameters } from '../http/bounded-ids.js';
import { httpErrors } from '../http/errors.js';
import { logger } from '../observability/logger.js';
import { fetchSourceSecrets, secretsLocationFromEnv } from '../secrets/source-secrets.js';
import type { SourceAdapter } from '../sources/adapter.js';
import { readSourceNow } from '../store/directory-store.js';
import { readThroughCache } from '../store/read-through-cache.js';
import { handleHook } from './hook-intake.js';

/*
 * The source is read on every request (strongly consistent, never cached), so disabling it refuses its
 * next webhook. Its secrets are cached by the version the source item names: a version never changes,
 * so the cache is never stale, and a rotation (a new version on the item) is used at once. A source with
 * no version recorded (stored before versions were) is read through a short cache instead.
 */
const secretsByVersion = readThroughCache((versioned) => {
  const [sourceId, version] = versioned.split('\u0000') as [string, string];
  return fetchSourceSecrets(secretsLocationFromEnv(), sourceId, version ? Number(version) : undefined);
}, 3_600_000);
const unversionedSecrets = readThroughCache((sourceId) => fetchSourceSecrets(secretsLocationFromEnv(), sourceId), 2_000);

/**
 * The Lambda handler of an intake family: `POST` and `GET /v1/hooks/{provider}/{sourceId}` for the
 * providers whose adapters it is given.
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
          now: () => new Date(),
          contentWindowSeconds: config().DEDUPE_WINDOW_SECONDS,
          sourceOf: (sourceId) => readSourceNow(table, sourceId),
          secretsOf: (sourceId, version) =>
            version === undefined ? unversionedSecrets(sourceId) : secretsByVersion(`${sourceId}\u0000${version}`),
        },
        byProvider,
        event,
      ),
    );
}
