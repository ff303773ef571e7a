import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { topology, type RuleSpec, type RuleTarget } from '../topology.js';
import { compileEventPattern } from './event-pattern.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './sqs-server.js';

/** An event as EventBridge hands it to targets. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface EventBusOptions {
  busName: string;
  port: number;
  sqs: SQSClient;
  queueUrl: (queue: string) => string;
  deadLetterQueueUrl: string;
  /** Called after a message is sent to a topology queue, so its pollers can pick it up at once. */
  onQueued?: (queue: string) => void;
  invokeFunction: (name: RuleTarget & { kind: 'function' }, event: BusEvent) => Promise<unknown>;
  /** How long to wait between retries of a failed function target; short locally, minutes on AWS. */
  retryDelayMs: (attempt: number) => number;
  onDeliveryFailure: (rule: string, event: BusEvent, error: unknown) => void;
}

const MAX_ENTRY_BYTES = 256 * 1024;

type PutEventsEntry = {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
};

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}

function eventTime(time: PutEventsEntry['Time']): string {
  if (time === undefined) return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  // The SDK sends timestamps as epoch seconds.
  const date = typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A local EventBridge bus: serves `PutEvents` over the AWS JSON protocol, matches each accepted event
 * against the topology's rules with EventBridge's pattern semantics, and delivers it to every matching
 * target. Function targets are retried as configured and then sent to the dead-letter queue; queue
 * targets are sent to the local SQS server.
 */
export class LocalEventBus {
  private server?: Server;
  private readonly inFlight = new Set<Promise<void>>();
  /** Events accepted so far; an event's number is its place in that count. */
  private accepted = 0;
  /** Accepted events some of whose deliveries have not finished, by number, with how many are open. */
  private readonly unsettled = new Map<number, number>();
  /** Every event numbered below this has settled. */
  private settledFloor = 1;
  /** Queue messages sent for events, until their consumer is done with them. */
  private readonly messagesInQueues = new Map<string, number>();
  private readonly rules = Object.entries(topology.rules).map(
    ([name, rule]: [string, RuleSpec]) => ({ name, rule, matches: compileEventPattern(rule.pattern) }),
  );

  constructor(private readonly options: EventBusOptions) {}

  /** The rules this bus evaluates, for comparison with the deployed stack. */
  get ruleSpecs(): Array<{ name: string; pattern: Record<string, unknown>; target: RuleTarget }> {
    return this.rules.map(({ name, rule }) => ({ name, pattern: rule.pattern, target: rule.target }));
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, '127.0.0.1', () => resolve());
    });
  }

  /** Stops accepting events and waits (up to `graceMs`) for deliveries under way. */
  async stop(graceMs = 5000): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, graceMs))]);
  }

  /**
   * A mark of the events accepted up to now. `hasSettled(mark)` tells when every one of them is done
   * with: each function target returned (or gave up, to the dead-letter queue), and each queue message
   * was consumed or dead-lettered. The local stream reader moves its saved position only past records
   * whose events have settled, so work in flight when the process dies is done again after a restart.
   */
  mark(): number {
    return this.accepted;
  }

  hasSettled(mark: number): boolean {
    while (this.settledFloor <= this.accepted && !this.unsettled.has(this.settledFloor)) this.settledFloor++;
    return this.settledFloor > mark;
  }

  /** A queue consumer finished with these messages (deleted them, or moved them to a dead-letter queue). */
  messagesSettled(messageIds: Iterable<string>): void {
    for (const id of messageIds) {
      const event = this.messagesInQueues.get(id);
      if (event === undefined) continue;
      this.messagesInQueues.delete(id);
      this.settleOne(event);
    }
  }

  private settleOne(event: number): void {
    const open = (this.unsettled.get(event) ?? 1) - 1;
    if (open > 0) this.unsettled.set(event, open);
    else this.unsettled.delete(event);
  }

  private refusingUntil = 0;

  /**
   * Refuses every PutEvents for `ms` from now (0 ends a refusal), as an EventBridge outage would: lets
   * a user, and the fault tests, see that what is stored meanwhile is relayed once the bus is back.
   */
  refusePublishes(ms: number): { until: string | null } {
    this.refusingUntil = ms > 0 ? Date.now() + ms : 0;
    return { until: ms > 0 ? new Date(this.refusingUntil).toISOString() : null };
  }

  /** Resolves once every delivery accepted so far has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith('AWSEvents.')) {
      return send(res, 400, { __type: 'UnknownOperationException', message: 'only AWSEvents.PutEvents is served locally' });
    }
    if (target !== 'AWSEvents.PutEvents') {
      return send(res, 400, { __type: 'UnknownOperationException', message: `${target} is not served by the local bus` });
    }
    if (Date.now() < this.refusingUntil) {
      // What EventBridge answers when it cannot take events; the SDK retries it, then the caller fails.
      return send(res, 500, { __type: 'InternalException', message: 'the local bus refuses publishes for now (POST /_local/outages/bus)' });
    }
    let body: { Entries?: PutEventsEntry[] };
    try {
      body = (await readJson(req)) as { Entries?: PutEventsEntry[] };
    } catch {
      return send(res, 400, { __type: 'SerializationException', message: 'the request body is not JSON' });
    }
    const entries = body.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) {
      return send(res, 400, { __type: 'ValidationException', message: 'Entries must hold between 1 and 10 events' });
    }
    const results = entries.map((e) => this.accept(e));
    send(res, 200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
  }

  private accept(entry: PutEventsEntry): EntryResult {
    const bus = entry.EventBusName ?? 'default';
    if (bus !== this.options.busName && !bus.endsWith(`:event-bus/${this.options.busName}`)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
    }
    if (!entry.Source || !entry.DetailType || !entry.Detail) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
    }
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) {
      return { ErrorCode: 'EntryTooLarge', ErrorMessage: 'An entry may be at most 256 KB' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
    }
    if (!detail || typeof detail !== 'object' || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object' };
    }
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: eventTime(entry.Time),
      region: LOCAL_REGION,
      resources: entry.Resources ?? [],
      detail: detail as Record<string, unknown>,
    };
    const number = ++this.accepted;
    const matching = this.rules.filter(({ matches }) => matches(event));
    if (matching.length) this.unsettled.set(number, matching.length);
    for (const { name, rule } of matching) this.track(this.deliver(name, rule, event, number));
    return { EventId: event.id };
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(ruleName: string, rule: RuleSpec, event: BusEvent, number: number): Promise<void> {
    const { target } = rule;
    const attempts = target.kind === 'function' ? 1 + target.retryAttempts : 3;
    const maxAgeMs = target.kind === 'function' ? target.maxEventAgeSeconds * 1000 : 86_400_000;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, this.options.retryDelayMs(attempt - 1)));
      if (Date.now() - Date.parse(event.time) > maxAgeMs) break;
      try {
        if (target.kind === 'function') {
          await this.options.invokeFunction(target, event);
          this.settleOne(number);
        } else {
          const sent = await this.options.sqs.send(
            new SendMessageCommand({ QueueUrl: this.options.queueUrl(target.queue), MessageBody: JSON.stringify(event) }),
          );
          // Settled when the queue's consumer is done with the message (see messagesSettled).
          if (sent.MessageId) this.messagesInQueues.set(sent.MessageId, number);
          else this.settleOne(number);
          this.options.onQueued?.(target.queue);
        }
        return;
      } catch (error) {
        lastError = error;
      }
    }
    this.options.onDeliveryFailure(ruleName, event, lastError);
    this.settleOne(number);
    await this.options.sqs
      .send(
        new SendMessageCommand({
          QueueUrl: this.options.deadLetterQueueUrl,
          MessageBody: JSON.stringify(event),
          // The attributes EventBridge sets on events it dead-letters.
          MessageAttributes: {
            RULE_ARN: { DataType: 'String', StringValue: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${this.options.busName}/${ruleName}` },
            ERROR_MESSAGE: { DataType: 'String', StringValue: String((lastError as Error)?.message ?? lastError).slice(0, 1000) },
          },
        }),
      )
      .catch((error: unknown) => this.options.onDeliveryFailure(ruleName, event, error));
  }
}
