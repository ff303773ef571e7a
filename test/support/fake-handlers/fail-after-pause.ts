import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent } from 'aws-lambda';

/**
 * A queue consumer whose records fail after a pause, as notify's do when a rep's webhook answers 503:
 * another invocation may start meanwhile, and each must still report its own failed records.
 */
export const handler = (event: SQSEvent & { waitMs: number }) =>
  processPartialResponse(
    event,
    async () => {
      await new Promise((r) => setTimeout(r, event.waitMs));
      throw new Error('the webhook answered 503');
    },
    new BatchProcessor(EventType.SQS),
    { throwOnFullBatchFailure: false },
  );
