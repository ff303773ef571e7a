import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../aws/config.js';
import { table } from '../aws/runtime.js';
import { boundedPathParameters } from '../http/bounded-ids.js';
import { httpErrors } from '../http/errors.js';
import { logger } from '../observability/logger.js';
import { cachedSourceSecrets } from '../secrets/cached-source-secrets.js';
import type { SourceAdapter } from '../sources/adapter.js';
import { readSourceNow } from '../store/directory-store.js';
import { handleHook } from './hook-intake.js';

/*
 * The source is read on every request (strongly consistent, never cached), so disabling it refuses its
 * next webhook; its secrets come from the one cache keyed by secrets version.
 */
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
          secretsOf: cachedSourceSecrets,
        },
        byProvider,
        event,
      ),
    );
}
