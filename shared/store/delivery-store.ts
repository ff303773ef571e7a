import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { OutgoingEvent } from '../aws/event-publisher.js';
import { keys } from './keys.js';
import { OUTBOX_ATTRIBUTE, outboxOf } from './outbox.js';
import type { Table } from './table.js';

/** A delivery's item outlives its relaying by far; the stream keeps records for a day too. */
const DELIVERY_SECONDS = 86_400;
/** A webhook may carry up to 1 MB of events; an item stops at 400 KB, so they are split below that. */
const ITEM_EVENT_BYTES = 300_000;

/** `events` in runs of at most ITEM_EVENT_BYTES of JSON (an event larger than that alone in its run). */
function chunksOf(events: OutgoingEvent[]): OutgoingEvent[][] {
  const chunks: OutgoingEvent[][] = [];
  let current: OutgoingEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (current.length && bytes + size > ITEM_EVENT_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Makes what a webhook announces durable in one write, before its sender is answered: an item whose
 * outbox holds the events (lead references, call events, withdrawals), which the stream relays to the
 * bus. One PutItem instead of a PutEvents call (one per 300 KB of events), and a crash after it loses
 * nothing; a sender whose request failed half-way retries, and consumers take repeated events as one.
 */
export async function recordDelivery(table: Table, input: { sourceId: string; events: OutgoingEvent[]; at: Date }): Promise<string[]> {
  // Usually one item; a big delivery (thousands of call events) becomes several, each with its outbox.
  return Promise.all(
    chunksOf(input.events).map(async (events) => {
      const deliveryId = ulid(input.at.getTime());
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            ...keys.delivery(deliveryId),
            sourceId: input.sourceId,
            receivedAt: input.at.toISOString(),
            expiresAt: Math.floor(input.at.getTime() / 1000) + DELIVERY_SECONDS,
            [OUTBOX_ATTRIBUTE]: outboxOf(events),
          },
        }),
      );
      return deliveryId;
    }),
  );
}
