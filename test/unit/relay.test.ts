import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { EventPublisher, OutgoingEvent } from '../../shared/aws/event-publisher.js';
import { announcementsOf } from '../../shared/relay/announcements.js';
import { relayStateChanges } from '../../shared/relay/relay-state-changes.js';
import type { StoredAnnouncement } from '../../shared/store/outbox.js';

type Image = Record<string, AttributeValue>;

/** An item as the stream carries it (DynamoDB's attribute values). */
const image = (item: Record<string, unknown>): Image => marshall(item, { removeUndefinedValues: true }) as unknown as Image;

const KEY = { PK: 'LEAD#L1', SK: 'A' };

/** An item whose outbox has `id` and `events`. */
const withOutbox = (id: string, events: StoredAnnouncement[], rest: Record<string, unknown> = {}) => ({ ...KEY, ...rest, outbox: { id, events } });

let sequence = 100;
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', images: { old?: Record<string, unknown>; new?: Record<string, unknown> }, raw?: { old?: Image; new?: Image }): DynamoDBRecord {
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(sequence++),
      Keys: image(KEY),
      ...(images.old || raw?.old ? { OldImage: raw?.old ?? image(images.old!) } : {}),
      ...(images.new || raw?.new ? { NewImage: raw?.new ?? image(images.new!) } : {}),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** A record of a write that set a new outbox announcing `count` events of type `type`. */
function announcing(type: string, count = 1): DynamoDBRecord {
  const events = Array.from({ length: count }, (_, i) => ({ detailType: type, detail: { n: i } }));
  return record('MODIFY', { old: withOutbox(`before-${sequence}`, []), new: withOutbox(`after-${sequence}`, events) });
}

/** A publisher that records each call's events, and fails the calls `fails` picks (by their 1-based number). */
function recordingPublisher(fails: (call: number) => boolean = () => false) {
  const calls: OutgoingEvent[][] = [];
  const publisher: EventPublisher = {
    publish: async (...events) => {
      calls.push(events);
      if (fails(calls.length)) throw new Error('EventBridge rejected 1 event(s): ThrottlingException');
    },
  };
  return { publisher, calls };
}

describe('what a stream record announces', () => {
  it('is the events of the outbox an insert set: inline details, and details taken from an attribute of the item', () => {
    const captured = { leadId: 'L1', person: { email: 'a@example.org' }, score: 3 };
    const inserted = record('INSERT', {
      new: withOutbox('o1', [{ detailType: 'Lead Captured', detailFrom: 'captured' }, { detailType: 'Lead Noted', detail: { note: 'x', tags: ['a'] } }], { captured }),
    });
    expect(announcementsOf(inserted)).toEqual([
      { detailType: 'Lead Captured', detail: captured },
      { detailType: 'Lead Noted', detail: { note: 'x', tags: ['a'] } },
    ]);
  });

  it('is the events of a modify whose outbox id differs from the old image’s', () => {
    const modified = record('MODIFY', {
      old: withOutbox('o1', [{ detailType: 'Lead Assigned', detail: { repId: 'a' } }]),
      new: withOutbox('o2', [{ detailType: 'Lead Status Changed', detail: { to: 'accepted' } }]),
    });
    expect(announcementsOf(modified)).toEqual([{ detailType: 'Lead Status Changed', detail: { to: 'accepted' } }]);
  });

  it('is nothing when the write kept the outbox the item had (the same id in the old and the new image)', () => {
    const outbox = withOutbox('o1', [{ detailType: 'Lead Assigned', detail: { repId: 'a' } }]);
    expect(announcementsOf(record('MODIFY', { old: { ...outbox, n: 1 }, new: { ...outbox, n: 2 } }))).toEqual([]);
  });

  it('is nothing for a removal (a delete, a TTL expiry), whatever the images hold', () => {
    const outbox = withOutbox('o1', [{ detailType: 'Call Tracked', detail: { callId: 'c1' } }]);
    expect(announcementsOf(record('REMOVE', { old: outbox }))).toEqual([]);
    expect(announcementsOf(record('REMOVE', { new: outbox }))).toEqual([]);
  });

  it('is nothing for a write of an item without an outbox', () => {
    expect(announcementsOf(record('INSERT', { new: { ...KEY, n: 1 } }))).toEqual([]);
    expect(announcementsOf(record('MODIFY', { old: withOutbox('o1', [{ detailType: 'X', detail: {} }]), new: { ...KEY } }))).toEqual([]);
  });

  it('reads DynamoDB Local’s `{}` for an empty map as an empty map, in a detail and in an attribute a detail is taken from', () => {
    // What DynamoDB Local's stream sends for `answers: {}` and `detail.extra: {}`, where DynamoDB sends `{"M": {}}`.
    const quirk = {} as AttributeValue;
    const raw: Image = {
      PK: { S: KEY.PK },
      SK: { S: KEY.SK },
      captured: { M: { leadId: { S: 'L1' }, answers: quirk, tags: { L: [quirk] } } },
      outbox: {
        M: {
          id: { S: 'o1' },
          events: {
            L: [
              { M: { detailType: { S: 'Lead Captured' }, detailFrom: { S: 'captured' } } },
              { M: { detailType: { S: 'Lead Noted' }, detail: { M: { extra: quirk, n: { N: '2' } } } } },
              { M: { detailType: { S: 'Lead Pinged' }, detail: quirk } },
            ],
          },
        },
      },
    };
    expect(announcementsOf(record('INSERT', {}, { new: raw }))).toEqual([
      { detailType: 'Lead Captured', detail: { leadId: 'L1', answers: {}, tags: [{}] } },
      { detailType: 'Lead Noted', detail: { extra: {}, n: 2 } },
      { detailType: 'Lead Pinged', detail: {} },
    ]);
  });
});

describe('relaying a batch of stream records', () => {
  it('publishes what the records announce, in stream order, skipping records that announce nothing, and reports no failure', async () => {
    const { publisher, calls } = recordingPublisher();
    const outbox = withOutbox('kept', [{ detailType: 'Old', detail: {} }]);
    const records = [
      announcing('First'),
      record('MODIFY', { old: outbox, new: { ...outbox, n: 1 } }),
      record('REMOVE', { old: outbox }),
      announcing('Second', 2),
    ];
    expect(await relayStateChanges(publisher, records)).toEqual({ batchItemFailures: [] });
    expect(calls.flat().map((e) => e.detailType)).toEqual(['First', 'Second', 'Second']);
  });

  it('makes no publish call for a batch that announces nothing', async () => {
    const { publisher, calls } = recordingPublisher();
    expect(await relayStateChanges(publisher, [record('INSERT', { new: { ...KEY } })])).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([]);
  });

  it('publishes groups of at most 10 events, never splitting a record’s events between two calls', async () => {
    const ones = recordingPublisher();
    await relayStateChanges(ones.publisher, Array.from({ length: 25 }, () => announcing('One')));
    expect(ones.calls.map((c) => c.length)).toEqual([10, 10, 5]);

    const threes = recordingPublisher();
    await relayStateChanges(threes.publisher, Array.from({ length: 5 }, () => announcing('Three', 3)));
    expect(threes.calls.map((c) => c.length)).toEqual([9, 6]);
    expect(threes.calls.flat().map((e) => (e.detail as { n: number }).n)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it('reports a failing publish with the sequence number of its group’s first record, and publishes nothing after it', async () => {
    const { publisher, calls } = recordingPublisher((call) => call === 2);
    const records = Array.from({ length: 25 }, () => announcing('One'));
    const result = await relayStateChanges(publisher, records);
    // The second group began with the eleventh record: it and all after come again.
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: records[10]!.dynamodb!.SequenceNumber }] });
    expect(calls.map((c) => c.length)).toEqual([10, 10]);
  });

  it('reports a failure of the last group, naming the first record that announced something in it', async () => {
    const { publisher, calls } = recordingPublisher(() => true);
    const quiet = record('INSERT', { new: { ...KEY } });
    const loud = announcing('Only');
    expect(await relayStateChanges(publisher, [quiet, loud])).toEqual({ batchItemFailures: [{ itemIdentifier: loud.dynamodb!.SequenceNumber }] });
    expect(calls).toHaveLength(1);
  });
});
