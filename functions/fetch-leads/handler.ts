import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { config } from '../../shared/aws/config.js';
import { table } from '../../shared/aws/runtime.js';
import { logger } from '../../shared/observability/logger.js';
import { cachedSourceSecrets } from '../../shared/secrets/cached-source-secrets.js';
import { getSource } from '../../shared/store/directory-store.js';
import { fetchReferencedLead, providerApisFromEnv } from '../../shared/use-cases/fetch-referenced-lead.js';

const deps = { table, now: () => new Date(), contentWindowSeconds: config().DEDUPE_WINDOW_SECONDS, apis: providerApisFromEnv(), sourceOf: (id: string) => getSource(table, id), secretsOf: cachedSourceSecrets };

async function fetchRecord(record: SQSRecord): Promise<void> {
  const { 'detail-type': detailType, detail } = JSON.parse(record.body) as { 'detail-type'?: string; detail: unknown };
  const outcome = await fetchReferencedLead(deps, { detailType, detail });
  if (outcome.skipped) logger.warn('referenced lead not captured', { why: outcome.skipped });
}

/**
 * The lead-fetch queue: leads that Meta Lead Ads and LinkedIn only named are read from their APIs and
 * captured; withdrawals are recorded. A failed read comes back after the queue's visibility timeout
 * (5 minutes) and is dead-lettered after an hour of tries; short throttles are waited out inside the read.
 */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler((event, context) => processPartialResponse(event, fetchRecord, new BatchProcessor(EventType.SQS), { context }));
