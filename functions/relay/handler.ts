import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { publisher } from '../../shared/aws/runtime.js';
import { relayStateChanges } from '../../shared/relay/relay-state-changes.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * The table's stream → the bus: every committed write that set a new outbox has its events published
 * (shared/store/outbox.ts). This is the only place leadflow publishes events; a failed publish is
 * reported per record, so the stream is retried from there and nothing announced is skipped.
 */
export const handler = middy<DynamoDBStreamEvent>()
  .use(injectLambdaContext(logger))
  .handler((event) => relayStateChanges(publisher, event.Records));
