import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../events/detail-types.js';

/** One event to publish: its detail-type and its detail, already valid against its contract. */
export interface OutgoingEvent {
  detailType: string;
  detail: object;
}

/** Publishes leadflow events; the port the domain and handlers depend on. */
export interface EventPublisher {
  publish(...events: OutgoingEvent[]): Promise<void>;
}

export class PublishError extends Error {
  override readonly name = 'PublishError';
}

/** An `EventPublisher` on an EventBridge bus; throws unless every entry was accepted. */
export function eventBridgePublisher(client: EventBridgeClient, busName: string): EventPublisher {
  return {
    async publish(...events) {
      // PutEvents takes at most 10 entries per call.
      for (let i = 0; i < events.length; i += 10) {
        const batch = events.slice(i, i + 10);
        const out = await client.send(
          new PutEventsCommand({
            Entries: batch.map((e) => ({
              EventBusName: busName,
              Source: EVENT_SOURCE,
              DetailType: e.detailType,
              Detail: JSON.stringify(e.detail),
            })),
          }),
        );
        if (out.FailedEntryCount) {
          const failed = out.Entries?.find((x) => x.ErrorCode);
          throw new PublishError(
            `EventBridge rejected ${out.FailedEntryCount} event(s): ${failed?.ErrorCode} ${failed?.ErrorMessage}`,
          );
        }
      }
    },
  };
}
