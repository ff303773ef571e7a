import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamSpec } from '../topology.js';
import { compileEventPattern } from './event-pattern.js';
import type { RawStreamRecord as StreamRecord, StreamApi, StreamShard as Shard } from './stream-api.js';

/**
 * Where the reader stands in the stream, on disk: per shard the sequence number of the last record
 * that is done with (its relay invocation succeeded and every event it published has settled), and the
 * shards read to their end. A restart resumes after those records.
 */
interface Checkpoint {
  streamArn: string;
  shards: Record<string, string>;
  finished: string[];
}

export interface StreamReaderOptions {
  streams: StreamApi;
  streamArn: string;
  spec: StreamSpec;
  checkpointFile: string;
  /** Invokes the stream's consumer with a Lambda-shaped batch. */
  invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** What the consumer's publishes started: a mark now, and whether everything up to a mark has settled. */
  settlement: { mark(): number; hasSettled(mark: number): boolean };
  onError: (error: unknown) => void;
}

export interface StreamReader {
  /** Stops reading, waits for the batch under way, and saves the position reached. */
  stop(): Promise<void>;
  /**
   * Resolves after every shard has twice come back empty from a read started after the call, with
   * everything relayed settled: records written before the call have been relayed by then.
   */
  caughtUp(): Promise<void>;
}

/** Pauses between reads of a shard with nothing new: short while traffic flows, longer when quiet. */
const PAUSE_MS = { busy: 15, quiet: 100, quietAfterMs: 5_000 };
/** Waits after a failed invocation, doubling up to the cap: a bus refusing publishes is waited out. */
const RETRY_MS = { first: 100, max: 2_000 };
const SAVE_EVERY_MS = 100;

function readCheckpoint(file: string, streamArn: string): Checkpoint {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
    // A new table (a deleted data directory's table re-created) has a new stream: start from its beginning.
    if (saved.streamArn === streamArn && saved.shards && Array.isArray(saved.finished)) return saved;
  } catch {
    // no checkpoint yet
  }
  return { streamArn, shards: {}, finished: [] };
}

function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(checkpoint), { mode: 0o600 });
  // A rename is atomic: a crash leaves the old position or the new one, never half of either.
  renameSync(temporary, file);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads DynamoDB Local's stream as Lambda's event source mapping reads DynamoDB Streams: shard by shard
 * in order, a parent before its children, records filtered by the mapping's filter, batches of at most
 * `batchSize` handed to the consumer, a reported failure retried from that record (later records wait),
 * and the position kept durably. The position moves past a record only once everything its relay
 * published has been delivered and consumed, so a crash (kill -9) or a stop loses nothing: the records
 * after the saved position are relayed again, which consumers take as one.
 */
export function startStreamReader(options: StreamReaderOptions): StreamReader {
  const { streams, streamArn, spec } = options;
  const checkpoint = readCheckpoint(options.checkpointFile, streamArn);
  const matches = compileEventPattern(spec.filter);
  const stopping = new AbortController();
  /** Per shard, records relayed but not yet settled: the last sequence number of each batch and its mark. */
  const pending = new Map<string, Array<{ seq: string; mark: number }>>();
  /** Per shard, the last record handed on (relayed or filtered out). */
  const readUpTo = new Map<string, string>();
  let lastActivity = 0;
  let dirty = false;
  let emptyReads = 0;
  let handled = 0;

  const save = () => {
    for (const [shard, list] of pending) {
      while (list.length && options.settlement.hasSettled(list[0]!.mark)) {
        checkpoint.shards[shard] = list.shift()!.seq;
        dirty = true;
      }
    }
    if (!dirty) return;
    dirty = false;
    try {
      writeCheckpoint(options.checkpointFile, checkpoint);
    } catch (error) {
      options.onError(error);
    }
  };
  const saver = setInterval(save, SAVE_EVERY_MS);

  async function listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await streams.describeStream(streamArn, start);
      shards.push(...out.Shards);
      start = out.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  async function iteratorFor(shardId: string): Promise<string | undefined> {
    const after = readUpTo.get(shardId) ?? checkpoint.shards[shardId];
    try {
      return await streams.getShardIterator({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      });
    } catch (error) {
      // The saved record was trimmed (older than the stream keeps): read what is left.
      if (after && (error as Error).name === 'TrimmedDataAccessException') {
        return streams.getShardIterator({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' });
      }
      throw error;
    }
  }

  /** Hands a batch to the consumer until it succeeds, retrying from the record it reports failed. */
  async function relay(records: StreamRecord[]): Promise<void> {
    let rest = records;
    let wait = RETRY_MS.first;
    while (rest.length) {
      let failedAt: string | undefined;
      try {
        const result = (await options.invoke({ Records: rest as unknown as DynamoDBRecord[] })) as DynamoDBBatchResponse | undefined;
        failedAt = result?.batchItemFailures?.[0]?.itemIdentifier;
        if (failedAt === undefined) return;
      } catch (error) {
        options.onError(error);
      }
      const from = failedAt === undefined ? 0 : rest.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt);
      rest = rest.slice(Math.max(0, from));
      if (stopping.signal.aborted) throw new Error('stopped while relaying');
      await sleep(wait);
      wait = Math.min(RETRY_MS.max, wait * 2);
    }
  }

  async function handle(shardId: string, records: StreamRecord[]): Promise<void> {
    const selected = records.filter((r) => matches(r));
    for (let i = 0; i < selected.length; i += spec.batchSize) await relay(selected.slice(i, i + spec.batchSize));
    handled += records.length;
    const last = records.at(-1)!.dynamodb!.SequenceNumber!;
    readUpTo.set(shardId, last);
    let list = pending.get(shardId);
    if (!list) pending.set(shardId, (list = []));
    list.push({ seq: last, mark: options.settlement.mark() });
  }

  /** Reads one shard to its end (a closed shard) or until the reader stops. */
  async function readShard(shardId: string): Promise<void> {
    let iterator = await iteratorFor(shardId);
    while (iterator && !stopping.signal.aborted) {
      let out;
      try {
        out = await streams.getRecords(iterator, 1000);
      } catch (error) {
        if (stopping.signal.aborted) return;
        // An expired iterator, or DynamoDB Local restarting: start again after the last record handed on.
        if ((error as Error).name !== 'ExpiredIteratorException') options.onError(error);
        await sleep(500);
        iterator = await iteratorFor(shardId).catch(() => iterator);
        continue;
      }
      const records = out.Records;
      if (records.length) {
        lastActivity = Date.now();
        await handle(shardId, records);
      } else {
        emptyReads++;
        await sleep(Date.now() - lastActivity < PAUSE_MS.quietAfterMs ? PAUSE_MS.busy : PAUSE_MS.quiet);
      }
      iterator = out.NextShardIterator;
    }
    if (!iterator && !stopping.signal.aborted) {
      checkpoint.finished.push(shardId);
      dirty = true;
    }
  }

  const run = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const shards = await listShards();
        const finished = new Set(checkpoint.finished);
        const known = new Set(shards.map((s) => s.ShardId));
        // A shard is read once its parent is done with (or gone from the stream).
        const ready = shards.filter((s) => !finished.has(s.ShardId) && (!s.ParentShardId || finished.has(s.ParentShardId) || !known.has(s.ParentShardId)));
        if (!ready.length) {
          await sleep(PAUSE_MS.quiet);
          continue;
        }
        await Promise.all(ready.map((s) => readShard(s.ShardId)));
      } catch (error) {
        if (stopping.signal.aborted) break;
        options.onError(error);
        await sleep(500);
      }
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await run.catch(() => undefined);
      clearInterval(saver);
      save();
    },
    async caughtUp() {
      const settled = () => [...pending.values()].every((list) => list.every((p) => options.settlement.hasSettled(p.mark)));
      while (!stopping.signal.aborted) {
        while (!settled() && !stopping.signal.aborted) await sleep(10);
        // Everything relayed is done with, so every write it caused is in the stream by now: two empty
        // reads with nothing handled in between mean there is nothing left.
        const handledBefore = handled;
        const from = emptyReads;
        while (emptyReads < from + 2 && !stopping.signal.aborted) await sleep(5);
        if (handled === handledBefore && settled()) return;
      }
    },
  };
}
