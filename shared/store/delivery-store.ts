import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { OutgoingEvent } from '../aws/event-publisher.js';
import { keys } from './keys.js';
import { OUTBOX_ATTRIBUTE, outboxOf } from './outbox.js';
import type { Table } from './table.js';

/** A delivery's item outlives its relaying by far; the stream keeps records for a day too. */
const DELIVERY_SECONDS = 86_400;

/**
 * Makes what a webhook announces durable in one write, before its sender is answered: an item whose
 * outbox holds the events (lead references, call events, withdrawals), which the stream relays to the
 * bus. One PutItem instead of a PutEvents call, and a crash after it loses nothing.
 */
export async function recordDelivery(table: Table, input: { sourceId: string; events: OutgoingEvent[]; at: Date }): Promise<string> {
  const deliveryId = ulid(input.at.getTime());
  await table.client.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        ...keys.delivery(deliveryId),
        sourceId: input.sourceId,
        receivedAt: input.at.toISOString(),
        expiresAt: Math.floor(input.at.getTime() / 1000) + DELIVERY_SECONDS,
        [OUTBOX_ATTRIBUTE]: outboxOf(input.events),
      },
    }),
  );
  return deliveryId;
}
