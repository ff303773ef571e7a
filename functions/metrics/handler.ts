import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { marksOfEvent } from '../../shared/reports/funnel-steps.js';
import { recordFunnelSteps, type CallMark, type FunnelStep } from '../../shared/store/metrics-store.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * Funnel events (batched through the metrics queue) → one record per lead and step on the lead's
 * capture day (a rep's status change can mark two: accepted and contacted), and one per call event on
 * its day, written in one BatchWriteItem per 25. A record that breaks its contract is reported as
 * failed (and ends in the DLQ) without holding back the rest; if the write fails, the whole batch is
 * retried, which is harmless because writing a mark again changes nothing. Test leads are not
 * counted: reports are about real demand.
 */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const steps: FunnelStep[] = [];
    const calls: CallMark[] = [];
    for (const record of event.Records) {
      try {
        const envelope = JSON.parse(record.body) as { 'detail-type': string; detail: unknown };
        const marks = await marksOfEvent(table, envelope['detail-type'], envelope.detail);
        for (const step of marks.steps) if (!step.lead.isTest) steps.push(step);
        calls.push(...marks.calls);
      } catch (error) {
        logger.error('funnel event cannot be read', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    await recordFunnelSteps(table, steps, calls);
    return { batchItemFailures: failures };
  });
