import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalAdmin } from '../../infra/local/local-admin.js';
import { createPlatformStats, type PlatformStats } from '../../infra/local/platform-stats.js';
import { perLeadBetween } from '../bench/platform-stats.js';

const servers: Server[] = [];

async function listen(): Promise<string> {
  const server = createServer((_req, res) => res.end('{}'));
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function post(endpoint: string, target: string): Promise<void> {
  return new Promise((ok, fail) => {
    const req = request(`${endpoint}/`, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' } }, (res) => {
      res.resume();
      res.on('end', () => ok());
    });
    req.on('error', fail);
    req.end('{}');
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((ok) => s.close(() => ok()))));
});

describe('createPlatformStats', () => {
  it('counts the requests sent to DynamoDB Local by the service and operation of their X-Amz-Target, and no others', async () => {
    const [dynamo, elsewhere] = await Promise.all([listen(), listen()]);
    const stats = createPlatformStats({ dynamodbEndpoint: dynamo, dynamodbDataDir: '/nonexistent/leadflow-test/dynamodb' });
    try {
      await post(dynamo, 'DynamoDB_20120810.PutItem');
      await post(dynamo, 'DynamoDB_20120810.PutItem');
      await post(dynamo, 'DynamoDBStreams_20120810.GetRecords');
      await post(elsewhere, 'DynamoDB_20120810.PutItem');
      await post(dynamo, 'AmazonSQS.SendMessage');
      expect(stats.read().dynamodbLocalRequests).toEqual({ DynamoDB: { PutItem: 2 }, DynamoDBStreams: { GetRecords: 1 } });
    } finally {
      stats.stop();
    }
    await post(dynamo, 'DynamoDB_20120810.GetItem');
    expect(stats.read().dynamodbLocalRequests.DynamoDB).toEqual({ PutItem: 2 });
  });

  it('tallies invocations and notifications, and reads this process\'s CPU', () => {
    const stats = createPlatformStats({ dynamodbEndpoint: 'http://127.0.0.1:1', dynamodbDataDir: '/nonexistent/leadflow-test/dynamodb' });
    try {
      stats.invoked('qualify', 12, false);
      stats.invoked('qualify', 8, true);
      stats.notified();
      const read = stats.read();
      expect(read.invocations).toEqual({ qualify: { count: 2, errors: 1, ms: 20 } });
      expect(read.notifications).toBe(1);
      expect(read.cpu.node.pid).toBe(process.pid);
      expect(read.cpu.node.userMs).toBeGreaterThan(0);
      expect(read.cpu.dynamodbLocal).toBeNull();
    } finally {
      stats.stop();
    }
  });
});

const tally = (calls: number, items = calls) => ({ calls, attempts: calls, errors: 0, items, ms: calls });

function snapshot(at: number, scale: number, extra: Partial<PlatformStats> = {}): PlatformStats {
  return {
    at: new Date(at * 1000).toISOString(),
    uptimeSeconds: at,
    sdkCalls: {
      DynamoDB: { PutItem: tally(3 * scale), TransactWriteItems: tally(2 * scale, 6 * scale) },
      DynamoDBStreams: { GetRecords: tally(scale) },
      EventBridge: { PutEvents: tally(4 * scale) },
    },
    dynamodbLocalRequests: { DynamoDB: { PutItem: 3 * scale, TransactWriteItems: 2 * scale, DescribeTable: scale }, DynamoDBStreams: { GetRecords: scale } },
    invocations: { 'intake-web': { count: scale, errors: 0, ms: 20 * scale }, 'sla-sweeper': { count: scale / 10, errors: 0, ms: scale } },
    notifications: scale,
    cpu: {
      clockTicksPerSecond: 100,
      node: { pid: 1, userMs: 15 * scale, systemMs: 5 * scale },
      dynamodbLocal: { pid: 2, userMs: 25 * scale, systemMs: 5 * scale, processes: 1 },
    },
    ...extra,
  };
}

describe('perLeadBetween', () => {
  it('divides what happened between two readings by the leads notified in between', () => {
    const window = perLeadBetween(snapshot(100, 10), snapshot(110, 30));
    expect(window).toMatchObject({ seconds: 10, leads: 20, captured: 20, notified: 20, streamCallsPerLead: 1 });
    expect(window.table).toMatchObject({ PutItem: { calls: 3, attempts: 3, items: 3, errors: 0 }, TransactWriteItems: { calls: 2, attempts: 2, items: 6, errors: 0 } });
    expect(window.table.PutItem!.uncounted).toBeUndefined();
    expect(window.other).toEqual({ EventBridge: { PutEvents: { calls: 4, attempts: 4, items: 4, errors: 0 } } });
    expect(window.cpuMsPerLead).toEqual({ node: 20, dynamodbLocal: 30, total: 50 });
    expect(window.cores).toEqual({ node: 0.04, dynamodbLocal: 0.06 });
  });

  it('adds the requests DynamoDB Local got that no SDK counter saw to the calls, and says how many', () => {
    const before = snapshot(100, 10);
    const after = snapshot(110, 30);
    after.dynamodbLocalRequests.DynamoDBStreams!.GetRecords = 50;
    after.dynamodbLocalRequests.DynamoDBStreams!.GetShardIterator = 20;
    const window = perLeadBetween(before, after);
    expect(window.table.DescribeTable).toEqual({ calls: 1, attempts: 1, items: 1, errors: 0, uncounted: 1 });
    expect(window.streams).toEqual({
      GetRecords: { calls: 2, attempts: 2, items: 2, errors: 0, uncounted: 1 },
      GetShardIterator: { calls: 1, attempts: 1, items: 1, errors: 0, uncounted: 1 },
    });
    expect(window.tableCallsPerLead).toBe(6);
    expect(window.streamCallsPerLead).toBe(3);
    expect(window.uncountedDynamoRequestsPerLead).toBe(3);
  });

  it('takes a couple of requests more on the wire than counted for calls that ended just before the reading', () => {
    const after = snapshot(110, 30);
    after.dynamodbLocalRequests.DynamoDB!.PutItem = 3 * 30 + 2;
    const window = perLeadBetween(snapshot(100, 10), after);
    expect(window.table.PutItem).toEqual({ calls: 3, attempts: 3, items: 3, errors: 0 });
  });

  it('leaves scheduled functions out of the invocations per lead and lists them apart', () => {
    const window = perLeadBetween(snapshot(100, 10), snapshot(110, 30));
    expect(window.invocations).toEqual({ 'intake-web': 1 });
    expect(window.scheduled).toEqual({ 'sla-sweeper': 2 });
    expect(window.invocationMs['intake-web']).toBe(20);
  });

  it('says so when DynamoDB Local was replaced during the window', () => {
    const after = snapshot(110, 30);
    after.cpu.dynamodbLocal!.processes = 2;
    expect(perLeadBetween(snapshot(100, 10), after).dynamodbLocalRestarted).toBe(true);
  });
});

describe('GET /_local/stats', () => {
  const stats = snapshot(1, 1);
  const admin = createLocalAdmin(async () => undefined, () => stats);
  const req = (method: string, remoteAddress = '127.0.0.1') => ({ method, socket: { remoteAddress } }) as unknown as IncomingMessage;
  const url = new URL('http://127.0.0.1/_local/stats');

  it('answers the platform\'s stats to this machine', async () => {
    const res = await admin(req('GET'), Buffer.alloc(0), url);
    expect(res?.statusCode).toBe(200);
    expect(JSON.parse(String(res?.body))).toEqual(stats);
  });

  it('answers 405 to anything but GET and 403 to another machine', async () => {
    expect((await admin(req('POST'), Buffer.alloc(0), url))?.statusCode).toBe(405);
    expect((await admin(req('GET', '10.0.0.7'), Buffer.alloc(0), url))?.statusCode).toBe(403);
  });
});
