import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { CallCounter, countCalls, countsBetween, itemsOf, serviceOf } from '../../shared/observability/call-counter.js';

const config = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

/**
 * Answers every call in the initialize step, after the counter and before anything would reach the
 * network: with `attempts` as the SDK reports them, or with an error after that many attempts.
 */
function answerLocally<C extends { middlewareStack: { add: (...a: any[]) => void } }>(client: C, outcome: { attempts: number; fail?: boolean }): C {
  client.middlewareStack.add(
    () => async () => {
      if (outcome.fail) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException', $metadata: { attempts: outcome.attempts } });
      return { output: { $metadata: { attempts: outcome.attempts } }, response: {} };
    },
    { step: 'initialize', priority: 'low', name: 'answerLocally' },
  );
  return client;
}

describe('countCalls', () => {
  it('counts a document client\'s calls under DynamoDB by the operation they send', async () => {
    const counter = new CallCounter();
    const documents = DynamoDBDocumentClient.from(answerLocally(countCalls(new DynamoDBClient(config), { counter }), { attempts: 1 }));
    await documents.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } }));
    await documents.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'c' } }));
    await documents.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 't', Item: { PK: 'x', SK: 'A' } } }, { Put: { TableName: 't', Item: { PK: 'x', SK: 'B' } } }] }));
    const counts = counter.counts();
    expect(Object.keys(counts)).toEqual(['DynamoDB']);
    expect(counts.DynamoDB!.GetItem).toMatchObject({ calls: 2, attempts: 2, errors: 0, items: 2 });
    expect(counts.DynamoDB!.TransactWriteItems).toMatchObject({ calls: 1, attempts: 1, errors: 0, items: 2 });
  });

  it('counts the SDK\'s retries as attempts of one call, and a call that failed after them as an error', async () => {
    const counter = new CallCounter();
    const ok = answerLocally(countCalls(new DynamoDBClient(config), { counter }), { attempts: 3 });
    await ok.send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'a' } } }));
    const failing = answerLocally(countCalls(new DynamoDBClient(config), { counter }), { attempts: 2, fail: true });
    await expect(failing.send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'a' } } }))).rejects.toThrow('throttled');
    expect(counter.counts().DynamoDB!.GetItem).toMatchObject({ calls: 2, attempts: 5, errors: 1, items: 2 });
  });

  it('names the service after the client and counts the entries of a PutEvents', async () => {
    const counter = new CallCounter();
    const bus = answerLocally(countCalls(new EventBridgeClient(config), { counter }), { attempts: 1 });
    await bus.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'a', Detail: '{}' }, { Source: 's', DetailType: 'b', Detail: '{}' }] }));
    expect(counter.counts()).toEqual({ EventBridge: { PutEvents: { calls: 1, attempts: 1, errors: 0, items: 2, ms: expect.any(Number) } } });
  });

  it('counts a client once when it is counted twice', async () => {
    const counter = new CallCounter();
    const client = answerLocally(countCalls(countCalls(new DynamoDBClient(config), { counter }), { counter }), { attempts: 1 });
    await client.send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'a' } } }));
    expect(counter.counts().DynamoDB!.GetItem!.calls).toBe(1);
  });

  it('files calls under the service it is given', async () => {
    const counter = new CallCounter();
    const client = answerLocally(countCalls(new DynamoDBClient(config), { counter, service: 'seed' }), { attempts: 1 });
    await DynamoDBDocumentClient.from(client).send(new BatchWriteCommand({ RequestItems: { t: [{ PutRequest: { Item: { PK: 'a' } } }, { DeleteRequest: { Key: { PK: 'b' } } }] } }));
    expect(counter.counts().seed!.BatchWriteItem).toMatchObject({ calls: 1, items: 2 });
  });
});

describe('countsBetween', () => {
  it('keeps only what changed between two readings', () => {
    const tally = (calls: number) => ({ calls, attempts: calls, errors: 0, items: calls, ms: 2 * calls });
    const before = { DynamoDB: { GetItem: tally(3), PutItem: tally(1) } };
    const after = { DynamoDB: { GetItem: tally(5), PutItem: tally(1), Query: tally(2) }, DynamoDBStreams: { GetRecords: tally(4) } };
    expect(countsBetween(before, after)).toEqual({
      DynamoDB: { GetItem: tally(2), Query: tally(2) },
      DynamoDBStreams: { GetRecords: tally(4) },
    });
  });
});

describe('itemsOf', () => {
  it('counts batch keys per table, transaction items and entries, and 1 for anything else', () => {
    expect(itemsOf({ RequestItems: { a: { Keys: [{}, {}, {}] }, b: { Keys: [{}] } } })).toBe(4);
    expect(itemsOf({ RequestItems: { a: [{}, {}] } })).toBe(2);
    expect(itemsOf({ TransactItems: [{}, {}, {}] })).toBe(3);
    expect(itemsOf({ Entries: [{}] })).toBe(1);
    expect(itemsOf({ Key: {} })).toBe(1);
    expect(itemsOf(undefined)).toBe(1);
  });
});

describe('serviceOf', () => {
  it('drops the Client suffix of the SDK client\'s name', () => {
    expect(serviceOf('DynamoDBStreamsClient')).toBe('DynamoDBStreams');
    expect(serviceOf('SQSClient')).toBe('SQS');
    expect(serviceOf(undefined)).toBe('unknown');
  });
});
