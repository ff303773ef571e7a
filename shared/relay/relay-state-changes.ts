import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { EventPublisher, OutgoingEvent } from '../aws/event-publisher.js';
import { announcementsOf } from './announcements.js';
import { logger } from '../observability/logger.js';

/** PutEvents takes at most 10 entries per call: records are grouped up to that many events. */
const ENTRIES_PER_CALL = 10;

/**
 * Publishes what a batch of the table's stream records announce, in stream order. The first group whose
 * publish fails is reported with the sequence number of its first record (the Lambda contract for
 * stream batch failures): that record and all after it come again, so nothing is skipped; records
 * published before it may be published again, which every consumer takes as one.
 */
export async function relayStateChanges(publisher: EventPublisher, records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  let group: OutgoingEvent[] = [];
  let groupStart: string | undefined;
  const flush = async (): Promise<string | undefined> => {
    if (!group.length) return undefined;
    try {
      await publisher.publish(...group);
      return undefined;
    } catch (error) {
      // Retried from this record by the event source mapping (locally, the stream reader).
      logger.warn('could not publish announcements; the batch is retried from this record', {
        fromSequenceNumber: groupStart,
        events: group.length,
        error: error as Error,
      });
      return groupStart;
    } finally {
      group = [];
      groupStart = undefined;
    }
  };
  for (const record of records) {
    const events = announcementsOf(record);
    if (!events.length) continue;
    if (group.length && group.length + events.length > ENTRIES_PER_CALL) {
      const failed = await flush();
      if (failed !== undefined) return { batchItemFailures: [{ itemIdentifier: failed }] };
    }
    groupStart ??= record.dynamodb?.SequenceNumber ?? '';
    group.push(...events);
  }
  const failed = await flush();
  return { batchItemFailures: failed !== undefined ? [{ itemIdentifier: failed }] : [] };
}
