import type { AttributeValue as StreamAttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { OutgoingEvent } from '../aws/event-publisher.js';
import { OUTBOX_ATTRIBUTE, type Outbox } from '../store/outbox.js';

type Image = Record<string, StreamAttributeValue>;

/**
 * DynamoDB Local's stream writes an empty map as `{}` rather than `{"M": {}}` (DynamoDB itself sends
 * the latter); an attribute value with no type can only be that, so it is read as an empty map.
 */
function withEmptyMaps(value: StreamAttributeValue): StreamAttributeValue {
  if (value.M) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, withEmptyMaps(v)])) };
  if (value.L) return { L: value.L.map(withEmptyMaps) };
  return Object.keys(value).length ? value : { M: {} };
}

function plain(image: Image, attribute: string): unknown {
  const stored = image[attribute];
  if (!stored) return undefined;
  const value = withEmptyMaps(stored);
  // The stream's attribute values and the SDK's have one wire shape; only their TypeScript types differ.
  return unmarshall({ value } as unknown as Record<string, AttributeValue>).value;
}

/**
 * What a change of an item announces: the events of its outbox when the write set a new one (its id
 * differs from the old image's), else nothing. A removal announces nothing (TTL expiry, deletes).
 * Only the outbox, and any attribute an announcement takes its detail from, are unmarshalled.
 */
export function announcementsOf(record: DynamoDBRecord): OutgoingEvent[] {
  if (record.eventName === 'REMOVE') return [];
  const next = record.dynamodb?.NewImage;
  const id = next?.[OUTBOX_ATTRIBUTE]?.M?.id?.S;
  if (!next || !id) return [];
  if (record.dynamodb?.OldImage?.[OUTBOX_ATTRIBUTE]?.M?.id?.S === id) return [];
  const outbox = plain(next, OUTBOX_ATTRIBUTE) as Outbox;
  const events: OutgoingEvent[] = [];
  for (const e of outbox.events ?? []) {
    const detail = e.detail ?? (e.detailFrom ? plain(next, e.detailFrom) : undefined);
    if (detail && typeof detail === 'object') events.push({ detailType: e.detailType, detail });
  }
  return events;
}
