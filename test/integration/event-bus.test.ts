import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { LocalEventBus, type BusEvent } from '../../infra/local/event-bus.js';
import { freePort } from '../../infra/local/ports.js';
import { queueNames } from '../../infra/local/sqs-server.js';
import type { QueueName } from '../../infra/topology.js';
import { startTestQueues } from '../support/local-services.js';
import { eventually } from '../support/platform-process.js';

let queues: Awaited<ReturnType<typeof startTestQueues>>;
let bus: LocalEventBus;
let client: EventBridgeClient;
const invocations: Array<{ fn: string; event: BusEvent }> = [];
const failing = new Set<string>();

beforeAll(async () => {
  queues = await startTestQueues();
  bus = new LocalEventBus({
    busName: 'leadflow',
    port: await freePort(),
    sqs: queues.sqs,
    queueUrl: (q) => queues.server.queueUrl(queueNames.of(q as QueueName)),
    deadLetterQueueUrl: queues.server.queueUrl(queueNames.eventsDeadLetter),
    // The bus is under test; the functions it targets are recorded, and fail on request.
    invokeFunction: async (target, event) => {
      invocations.push({ fn: target.function, event });
      if (failing.has(target.function)) throw new Error(`${target.function} failed on purpose`);
    },
    retryDelayMs: () => 10,
    onDeliveryFailure: () => undefined,
  });
  await bus.start();
  client = new EventBridgeClient({ endpoint: bus.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
});

afterAll(async () => {
  client?.destroy();
  await bus?.stop();
  await queues?.stop();
});

beforeEach(() => {
  invocations.length = 0;
  failing.clear();
});

const entry = (detailType: string, detail: object, bus = 'leadflow') => ({
  EventBusName: bus,
  Source: 'leadflow',
  DetailType: detailType,
  Detail: JSON.stringify(detail),
});

describe('the local EventBridge bus', () => {
  it('accepts PutEvents from the AWS SDK and delivers Lead Captured to qualify and to the metrics queue', async () => {
    const metricsUrl = queues.server.queueUrl(queueNames.of('metrics'));
    await queues.sqs.send(new PurgeQueueCommand({ QueueUrl: metricsUrl })).catch(() => undefined);
    const out = await client.send(new PutEventsCommand({ Entries: [entry('Lead Captured', { leadId: 'x' })] }));
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    await bus.drain();
    // Every function rule on Lead Captured gets it once: qualify, and the campaign index of the spend import.
    expect(invocations.map((i) => i.fn).sort()).toEqual(['campaign-index', 'qualify']);
    const event = invocations.find((i) => i.fn === 'qualify')!.event;
    expect(event).toMatchObject({ version: '0', source: 'leadflow', 'detail-type': 'Lead Captured', detail: { leadId: 'x' } });
    expect(event.id).toBe(out.Entries?.[0]?.EventId);
    const queued = await eventually(
      async () => (await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: metricsUrl, MaxNumberOfMessages: 10 }))).Messages ?? [],
      (m) => m.length > 0,
    );
    expect(JSON.parse(queued[0]!.Body!).id).toBe(event.id);
  });

  it('sends Lead Assigned to the notify queue as the full event envelope', async () => {
    const notifyUrl = queues.server.queueUrl(queueNames.of('notify'));
    await queues.sqs.send(new PurgeQueueCommand({ QueueUrl: notifyUrl })).catch(() => undefined);
    await client.send(new PutEventsCommand({ Entries: [entry('Lead Assigned', { leadId: 'y' })] }));
    await bus.drain();
    const received = await eventually(
      async () => (await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: notifyUrl, MaxNumberOfMessages: 10 }))).Messages ?? [],
      (m) => m.length > 0,
    );
    expect(JSON.parse(received[0]!.Body!)).toMatchObject({ 'detail-type': 'Lead Assigned', detail: { leadId: 'y' } });
  });

  it('delivers nothing for an event no rule matches', async () => {
    await client.send(new PutEventsCommand({ Entries: [entry('Something Else', { a: 1 })] }));
    await bus.drain();
    expect(invocations).toEqual([]);
  });

  it('retries a failing function target as configured, then dead-letters the event with its rule and error', async () => {
    failing.add('qualify');
    await client.send(new PutEventsCommand({ Entries: [entry('Lead Captured', { leadId: 'doomed' })] }));
    await bus.drain();
    // The topology gives qualify 2 retries: 3 attempts in all.
    expect(invocations.filter((i) => i.fn === 'qualify')).toHaveLength(3);
    const dlqUrl = queues.server.queueUrl(queueNames.eventsDeadLetter);
    const dead = await eventually(
      async () =>
        (await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] })))
          .Messages ?? [],
      (m) => m.length > 0,
    );
    expect(JSON.parse(dead[0]!.Body!).detail).toEqual({ leadId: 'doomed' });
    expect(dead[0]!.MessageAttributes?.RULE_ARN?.StringValue).toContain('rule/leadflow/qualify-captured-leads');
    expect(dead[0]!.MessageAttributes?.ERROR_MESSAGE?.StringValue).toBe('qualify failed on purpose');
  });

  it('rejects the bad entries of a batch and still delivers the good ones', async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry('Lead Captured', { leadId: 'good' }),
          entry('Lead Captured', { leadId: 'elsewhere' }, 'other-bus'),
          { EventBusName: 'leadflow', Source: 'leadflow', DetailType: 'Lead Captured', Detail: '{not json' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['ok', 'ResourceNotFoundException', 'MalformedDetail']);
    await bus.drain();
    expect(invocations.filter((i) => i.fn === 'qualify').map((i) => (i.event.detail as { leadId: string }).leadId)).toEqual(['good']);
  });
});
