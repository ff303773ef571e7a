import type { DynamoDBRecord } from 'aws-lambda';
import { localStreamApi, type RawStreamRecord } from '../../infra/local/stream-api.js';
import type { OutgoingEvent } from '../../shared/aws/event-publisher.js';
import { announcementsOf } from '../../shared/relay/announcements.js';
import { OUTBOX_ATTRIBUTE, type Outbox } from '../../shared/store/outbox.js';

/** The key of one item of the single table. */
export interface ItemKey {
  PK: string;
  SK: string;
}

/** A place in the table's stream: whatever is written after it was taken is "since" it. */
export interface StreamMark {
  readonly position: number;
}

/**
 * What the table's committed writes announced, read from DynamoDB Local's stream exactly as the relay
 * gets it (plain JSON records, `announcementsOf`), so a test proves what would reach the bus.
 */
export interface TableStream {
  /** The stream's end now. */
  mark(): Promise<StreamMark>;
  /** The events the writes since `mark` announced, in stream order; only those of `item` when given. */
  announcementsSince(mark: StreamMark, options?: { item?: ItemKey }): Promise<OutgoingEvent[]>;
  /** The writes since `mark` that changed an item (every stream record); only those of `item` when given. */
  changesSince(mark: StreamMark, options?: { item?: ItemKey }): Promise<DynamoDBRecord[]>;
}

const bySequence = (a: RawStreamRecord, b: RawStreamRecord) => {
  const x = BigInt(a.dynamodb?.SequenceNumber ?? '0');
  const y = BigInt(b.dynamodb?.SequenceNumber ?? '0');
  return x < y ? -1 : x > y ? 1 : 0;
};

function isOf(record: DynamoDBRecord, item: ItemKey | undefined): boolean {
  if (!item) return true;
  const keys = record.dynamodb?.Keys;
  return keys?.PK?.S === item.PK && keys?.SK?.S === item.SK;
}

/**
 * The stream of the table DynamoDB Local at `endpoint` keeps under `streamArn`. Not the SDK's streams
 * client: it reads an empty map back as `{}`, which the relay never sees on AWS.
 */
export function tableStream(endpoint: string, streamArn: string): TableStream {
  const api = localStreamApi(endpoint);
  const seen: RawStreamRecord[] = [];
  /** Per shard, the last record read; a shard read to its end (closed) is not read again. */
  const readUpTo = new Map<string, string>();
  const finished = new Set<string>();
  let reading: Promise<void> = Promise.resolve();

  async function readShard(shardId: string): Promise<RawStreamRecord[]> {
    const after = readUpTo.get(shardId);
    let iterator = await api.getShardIterator({
      StreamArn: streamArn,
      ShardId: shardId,
      ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
    });
    const records: RawStreamRecord[] = [];
    while (iterator) {
      const page = await api.getRecords(iterator, 1000);
      records.push(...page.Records);
      const last = page.Records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) readUpTo.set(shardId, last);
      if (!page.NextShardIterator) finished.add(shardId);
      // An open shard answers an empty page once it has nothing newer.
      if (!page.Records.length) break;
      iterator = page.NextShardIterator;
    }
    return records;
  }

  /** Reads every shard to its current end; DynamoDB Local has a write's record in the stream when the write returns. */
  function catchUp(): Promise<void> {
    reading = reading.then(async () => {
      const shards = [];
      let start: string | undefined;
      do {
        const out = await api.describeStream(streamArn, start);
        shards.push(...out.Shards);
        start = out.LastEvaluatedShardId;
      } while (start);
      const fresh: RawStreamRecord[] = [];
      for (const shard of shards) if (!finished.has(shard.ShardId)) fresh.push(...(await readShard(shard.ShardId)));
      seen.push(...fresh.sort(bySequence));
    });
    return reading;
  }

  async function since(mark: StreamMark, item: ItemKey | undefined): Promise<DynamoDBRecord[]> {
    await catchUp();
    return (seen.slice(mark.position) as unknown as DynamoDBRecord[]).filter((r) => isOf(r, item));
  }

  return {
    async mark() {
      await catchUp();
      return { position: seen.length };
    },
    async announcementsSince(mark, options) {
      return (await since(mark, options?.item)).flatMap((record) => announcementsOf(record));
    },
    async changesSince(mark, options) {
      return since(mark, options?.item);
    },
  };
}

/**
 * The events a stored item's outbox holds (as read with GetItem, or as a fake table was asked to
 * write it), a detail named by `detailFrom` taken from the item. For tests with no stream.
 */
export function outboxEventsOf(item: Record<string, unknown> | undefined): OutgoingEvent[] {
  const outbox = item?.[OUTBOX_ATTRIBUTE] as Outbox | undefined;
  return (outbox?.events ?? []).map((e) => ({
    detailType: e.detailType,
    detail: (e.detail ?? (e.detailFrom ? item![e.detailFrom] : undefined)) as object,
  }));
}
