import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { LEAD_REFERENCED, LEAD_WITHDRAWN, leadReferencedSchema, leadWithdrawnSchema } from '../../events/lead-referenced.js';
import { config } from '../../shared/aws/config.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { captureReferencedLead, providerApisFromEnv, withdrawReferencedLead } from '../../shared/use-cases/fetch-referenced-lead.js';
import { logger } from '../../shared/observability/logger.js';
import { fetchSourceSecrets, secretsLocationFromEnv } from '../../shared/secrets/source-secrets.js';
import { getSource } from '../../shared/store/directory-store.js';
import { readThroughCache } from '../../shared/store/read-through-cache.js';

const secretsOf = readThroughCache((sourceId) => fetchSourceSecrets(secretsLocationFromEnv(), sourceId), 30_000);
const deps = {
  table,
  now: () => new Date(),
  contentWindowSeconds: config().DEDUPE_WINDOW_SECONDS,
  apis: providerApisFromEnv(),
  sourceOf: (sourceId: string) => getSource(table, sourceId),
  secretsOf,
};

async function handleRecord(record: SQSRecord): Promise<void> {
  const envelope = JSON.parse(record.body) as { 'detail-type': string; detail: unknown };
  if (envelope['detail-type'] === LEAD_WITHDRAWN) {
    await withdrawReferencedLead(deps, parseDetail(leadWithdrawnSchema, LEAD_WITHDRAWN, envelope.detail));
    return;
  }
  const referenced = parseDetail(leadReferencedSchema, LEAD_REFERENCED, envelope.detail);
  // A failed read throws: the message comes back after the queue's visibility timeout (5 minutes) and
  // is dead-lettered after an hour of tries. Short throttles were already waited out inside the read.
  const outcome = await captureReferencedLead(deps, referenced);
  if (outcome.skipped) logger.warn('referenced lead not captured', { provider: referenced.provider, externalId: referenced.externalId, why: outcome.skipped });
}

/**
 * The lead-fetch queue: leads that Meta Lead Ads and LinkedIn only named are read from their APIs and
 * captured; withdrawals are recorded. Failed records come back every 5 minutes for an hour, then dead-letter.
 */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler((event, context) => processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context }));
