import { callCounter } from '../../shared/observability/call-counter.js';

/**
 * The three DynamoDB Streams calls the local stream reader makes, over DynamoDB Local's JSON protocol,
 * returning records exactly as the service sends them (the shape Lambda hands a stream consumer).
 * Not the SDK's streams client: its deserializer turns an empty map attribute (`{"M": {}}`, as in a
 * lead's empty `answers`) into `{}`, which no unmarshaller reads back, and Lambda never does that.
 */

export interface StreamShard {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange?: { StartingSequenceNumber?: string; EndingSequenceNumber?: string };
}

export interface RawStreamRecord {
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb?: { SequenceNumber?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** An error the Streams API answered, named as the SDK would name it (`ExpiredIteratorException`). */
export class StreamApiError extends Error {
  constructor(override readonly name: string, message: string) {
    super(message);
  }
}

export interface StreamApi {
  describeStream(streamArn: string, exclusiveStartShardId?: string): Promise<{ Shards: StreamShard[]; LastEvaluatedShardId?: string }>;
  getShardIterator(input: { StreamArn: string; ShardId: string; ShardIteratorType: 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER'; SequenceNumber?: string }): Promise<string | undefined>;
  getRecords(iterator: string, limit: number): Promise<{ Records: RawStreamRecord[]; NextShardIterator?: string }>;
}

/** A Streams API client for DynamoDB Local at `endpoint` (it accepts any credentials); its calls are counted. */
export function localStreamApi(endpoint: string, region = 'us-east-1'): StreamApi {
  const authorization = `AWS4-HMAC-SHA256 Credential=local/20200101/${region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`;
  async function call<T>(operation: string, body: unknown): Promise<T> {
    const started = performance.now();
    let failed = true;
    try {
      const answer = await send<T>(operation, body);
      failed = false;
      return answer;
    } finally {
      callCounter.record('DynamoDBStreams', operation, { attempts: 1, failed, items: 0, ms: performance.now() - started });
    }
  }
  async function send<T>(operation: string, body: unknown): Promise<T> {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDBStreams_20120810.${operation}`, authorization },
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const type = String(answer.__type ?? `HTTP ${response.status}`);
      throw new StreamApiError(type.slice(type.lastIndexOf('#') + 1), String(answer.message ?? answer.Message ?? type));
    }
    return answer as T;
  }
  return {
    async describeStream(streamArn, exclusiveStartShardId) {
      const out = await call<{ StreamDescription?: { Shards?: StreamShard[]; LastEvaluatedShardId?: string } }>('DescribeStream', {
        StreamArn: streamArn,
        ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
      });
      return { Shards: out.StreamDescription?.Shards ?? [], LastEvaluatedShardId: out.StreamDescription?.LastEvaluatedShardId };
    },
    async getShardIterator(input) {
      return (await call<{ ShardIterator?: string }>('GetShardIterator', input)).ShardIterator;
    },
    async getRecords(iterator, limit) {
      const out = await call<{ Records?: RawStreamRecord[]; NextShardIterator?: string }>('GetRecords', { ShardIterator: iterator, Limit: limit });
      return { Records: out.Records ?? [], NextShardIterator: out.NextShardIterator };
    },
  };
}
