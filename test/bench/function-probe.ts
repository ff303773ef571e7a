import { randomUUID } from 'node:crypto';
import { contextFor } from '../../infra/local/lambda-invoker.js';
import { localLinkSecret } from '../../infra/local/link-secret.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2, Context, EventBridgeEvent, SQSEvent } from 'aws-lambda';
import type { RunningPlatform } from '../support/platform-process.js';
import type { FunctionName } from '../../infra/topology.js';
import { billCall, type BilledCall } from './dynamo-billing.js';
import { leadBody, leadPhone, type LeadApi } from './lead-api.js';
import { summarize, type Summary } from './stats.js';

/** One DynamoDB call made during an invocation, as the document client saw it. */
interface DynamoCall {
  command: string;
  start: number;
  end: number;
  input: Record<string, any>;
  output: Record<string, any>;
}

/** One event an invocation published. */
export interface PublishedEvent {
  source: string;
  'detail-type': string;
  detail: unknown;
}

interface Invocation {
  ms: number;
  dynamo: DynamoCall[];
  putEvents: Array<{ ms: number; events: PublishedEvent[] }>;
  billed: BilledCall[];
}

/** How one function behaves when invoked alone, as Lambda runs it (one event per container at a time). */
export interface FunctionProbe {
  name: FunctionName;
  memoryMb: number;
  duration: Summary;
  /**
   * Mean milliseconds per invocation spent waiting on DynamoDB (overlapping calls counted once), on
   * PutEvents, and on everything else (parsing, validation, middlewares, the webhook call of notify).
   */
  dynamoMs: number;
  putEventsMs: number;
  otherMs: number;
  /** Mean DynamoDB calls per invocation, by command. */
  calls: Record<string, number>;
  /** Mean request units per invocation that AWS would bill for its DynamoDB calls (see dynamo-billing.ts). */
  wru: number;
  rru: number;
  /** The DynamoDB calls of the last timed invocation, billed item by item. */
  billedCalls: BilledCall[];
  /** What the last timed invocation published, to follow a lead's flow through the topology's rules. */
  published: PublishedEvent[];
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

function busEvent<D>(detailType: string, detail: D): EventBridgeEvent<string, D> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'leadflow',
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** Wall time covered by calls that may overlap (a handler awaiting two reads at once counts once). */
function coveredMs(calls: DynamoCall[]): number {
  let total = 0;
  let reach = -Infinity;
  for (const c of [...calls].sort((a, b) => a.start - b.start)) {
    if (c.end <= reach) continue;
    total += c.end - Math.max(c.start, reach);
    reach = c.end;
  }
  return total;
}

/**
 * Invokes the lead-flow handlers one at a time in this process, against the running platform's DynamoDB
 * Local and a stub event bus, and times each: the duration Lambda would bill (warm, no cold start), where
 * that time goes (DynamoDB, PutEvents, the rest), what its DynamoDB calls would cost on AWS (billed after
 * each invocation, outside the timing), and which events it publishes.
 *
 * Each function gets inputs prepared for it outside the timed part, so every timed run takes the path a
 * new lead takes: qualify gets a Lead Captured of a lead not stored yet, assign a qualified lead without an
 * owner, notify an assigned lead not yet notified (its webhook is the platform's demo receiver).
 */
export async function probeFunctions(
  platform: RunningPlatform,
  api: LeadApi,
  options: { runId: string; sampleLeadId: string; iterations: number; warmups: number },
): Promise<FunctionProbe[]> {
  const bus = await startStubBus();
  try {
    return await probe(platform, api, options, bus.endpoint);
  } finally {
    await bus.close();
  }
}

/**
 * A PutEvents endpoint that accepts every event and delivers none. The probe's functions publish here
 * rather than to the platform's bus, so nothing runs in the background while they are timed: on Lambda
 * each invocation has its container to itself, and DynamoDB does not slow down because other leads move.
 */
async function startStubBus(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let entries = 1;
      try {
        entries = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: unknown[] }).Entries?.length ?? 1;
      } catch {
        // an unreadable request still gets a well-formed answer
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: Array.from({ length: entries }, () => ({ EventId: randomUUID() })) }));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

async function probe(
  platform: RunningPlatform,
  api: LeadApi,
  options: { runId: string; sampleLeadId: string; iterations: number; warmups: number },
  busEndpoint: string,
): Promise<FunctionProbe[]> {
  const { endpoints } = platform.credentials;
  // The handlers read their configuration and build their SDK clients at import, so the environment the
  // platform gives them must be in place first.
  Object.assign(process.env, {
    TABLE_NAME: 'leadflow',
    EVENT_BUS_NAME: 'leadflow',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_EVENTBRIDGE: busEndpoint,
    POWERTOOLS_SERVICE_NAME: 'leadflow',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    // notify signs accept links as the platform does: with the secret it keeps in its data directory.
    LINK_SIGNING_SECRET: localLinkSecret(platform.dataDir),
    PUBLIC_API_URL: platform.apiUrl,
  });
  const [{ dynamo, eventBridge }, { topology }, store, { GetCommand }, { ulid }] = await Promise.all([
    import('../../shared/aws/clients.js'),
    import('../../infra/topology.js'),
    import('../../shared/store/lead-store.js'),
    import('@aws-sdk/lib-dynamodb'),
    import('ulid'),
  ]);
  const names = ['intake-web', 'qualify', 'assign', 'notify', 'metrics'] as const satisfies readonly FunctionName[];
  const handlers = Object.fromEntries(
    await Promise.all(
      names.map(async (n) => [n, ((await import(`../../functions/${n}/handler.js`)) as { handler: Handler }).handler] as const),
    ),
  ) as Record<(typeof names)[number], Handler>;

  let current: Invocation | undefined;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const invocation = current;
      if (!invocation) return next(args);
      const start = performance.now();
      const out = await next(args);
      invocation.dynamo.push({
        command: String(context.commandName ?? 'unknown').replace(/Command$/, ''),
        start,
        end: performance.now(),
        input: args.input as Record<string, any>,
        output: out.output as Record<string, any>,
      });
      return out;
    },
    { step: 'initialize', name: 'benchDynamoProbe', override: true },
  );
  eventBridge.middlewareStack.add(
    (next) => async (args) => {
      const invocation = current;
      if (!invocation) return next(args);
      const t0 = performance.now();
      const out = await next(args);
      const entries = (args.input as { Entries?: Array<{ Source?: string; DetailType?: string; Detail?: string }> }).Entries ?? [];
      invocation.putEvents.push({
        ms: performance.now() - t0,
        events: entries.map((e) => ({ source: e.Source ?? '', 'detail-type': e.DetailType ?? '', detail: JSON.parse(e.Detail ?? '{}') })),
      });
      return out;
    },
    { step: 'initialize', name: 'benchEventsProbe', override: true },
  );

  const table = { client: dynamo, name: 'leadflow' };
  const readItem = async (Key: Record<string, unknown>) =>
    (await dynamo.send(new GetCommand({ TableName: 'leadflow', Key, ConsistentRead: true }))).Item;
  // A lead of the burst, as intake archived it and as it ended up, is the model for every probe input, so
  // items have the sizes real leads have.
  const sampleCapture = (await readItem({ PK: `LEAD#${options.sampleLeadId}`, SK: 'RAW' }))?.captured as Record<string, any> | undefined;
  const sampleLead = await readItem({ PK: `LEAD#${options.sampleLeadId}`, SK: 'A' });
  if (!sampleCapture || !sampleLead) throw new Error(`lead ${options.sampleLeadId} is not stored with its capture to model probe inputs on`);
  const sampleTrace = sampleLead.routingTrace as Record<string, unknown>;

  /**
   * A Lead Captured detail for a lead no one has seen yet, from a person no one has seen yet: the sample's
   * own person would be a returning contact, merged into the sample lead instead of qualified and routed.
   */
  let people = 0;
  const newCapture = (): Record<string, any> => {
    const leadId = ulid();
    const n = people++;
    const person = { ...sampleCapture.person, email: `bench-${options.runId}-probe-person-${n}@example.org`, phone: leadPhone('probe-person', n).replaceAll(' ', '') };
    return { ...sampleCapture, leadId, person, capturedAt: new Date().toISOString(), rawRef: { pk: `LEAD#${leadId}`, sk: 'RAW' } };
  };
  const leadRef = (c: Record<string, any>) => ({ leadId: c.leadId, sourceId: c.sourceId, channel: c.channel, capturedAt: c.capturedAt, isTest: c.isTest });
  /**
   * Stores a lead as qualify leaves it, without publishing anything, and returns it with its Lead Qualified
   * detail. What assignment and notification added to the sample goes: a lead that looks notified already
   * makes notify call the webhook but record and announce nothing.
   */
  const storeQualifiedLead = async () => {
    const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, ownerId: _o, teamId: _t, assignedAt: _a, routingTrace: _r, notifiedAt: _n, captureToNotifyMs: _m, notifiedAssignment: _na, slaDeadline: _sd, ...rest } = sampleLead;
    const leadId = ulid();
    const capturedAt = new Date().toISOString();
    const lead = { ...rest, leadId, capturedAt, qualifiedAt: capturedAt, status: 'qualified' } as any;
    await store.createLead(table, lead, [
      { at: capturedAt, type: 'Lead Captured', detail: { sourceId: lead.sourceId, channel: lead.channel, provider: lead.provider } },
      { at: capturedAt, type: 'Lead Qualified', detail: { score: lead.score, grade: lead.grade, reasons: lead.reasons } },
    ]);
    const qualified = { version: 1, lead: leadRef(lead), score: lead.score, grade: lead.grade, reasons: lead.reasons, teamHint: sampleCapture.teamHint, qualifiedAt: capturedAt };
    return { lead, qualified };
  };
  const trace = (repId: string) => ({ ...sampleTrace, winner: repId }) as any;
  /** Stores a lead assigned to a demo rep but not yet notified, and returns its Lead Assigned detail. */
  const storeAssignedLead = async () => {
    const { lead } = await storeQualifiedLead();
    const at = new Date().toISOString();
    await store.assignLead(table, { leadId: lead.leadId, repId: 'alice', teamId: 'demo', at, trace: trace('alice') });
    return { version: 1, lead: leadRef(lead), repId: 'alice', teamId: 'demo', strategy: 'round_robin', assignedAt: at, trace: trace('alice') };
  };

  /**
   * Events as the function receives them, per the topology: as they are when a rule invokes it, or in an
   * SQS batch of one when it consumes a queue the rule feeds (the smallest batch, one per lead at worst).
   */
  const delivered = (name: FunctionName, events: Array<EventBridgeEvent<string, unknown>>): unknown[] => {
    const queue = (Object.entries(topology.queues) as Array<[string, { consumer: { function: string } }]>).find(([, q]) => q.consumer.function === name)?.[0];
    if (!queue) return events;
    return events.map((event) => {
      const record = {
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body: JSON.stringify(event),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'bench', ApproximateFirstReceiveTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:leadflow-${queue}`,
        awsRegion: 'us-east-1',
      };
      return { Records: [record] } satisfies SQSEvent;
    });
  };

  /** Inputs for the timed invocations of each function; metrics takes the four funnel events of one lead. */
  const inputs: Record<(typeof names)[number], (i: number) => Promise<unknown[]>> = {
    'intake-web': async (i) => {
      const body = leadBody(options.runId, 'probe', i);
      const event: Partial<APIGatewayProxyEventV2> = {
        version: '2.0',
        routeKey: 'POST /v1/leads',
        rawPath: '/v1/leads',
        rawQueryString: '',
        headers: { authorization: `Bearer ${api.sourceKey}`, 'content-type': 'application/json', 'user-agent': 'leadflow-bench' },
        requestContext: {
          accountId: '000000000000',
          apiId: 'bench',
          domainName: 'localhost',
          domainPrefix: 'localhost',
          http: { method: 'POST', path: '/v1/leads', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'leadflow-bench' },
          requestId: randomUUID(),
          routeKey: 'POST /v1/leads',
          stage: '$default',
          time: new Date().toUTCString(),
          timeEpoch: Date.now(),
        },
        body,
        isBase64Encoded: false,
      };
      return [event];
    },
    qualify: async () => delivered('qualify', [busEvent('Lead Captured', newCapture())]),
    assign: async () => delivered('assign', [busEvent('Lead Qualified', (await storeQualifiedLead()).qualified)]),
    notify: async () => delivered('notify', [busEvent('Lead Assigned', await storeAssignedLead())]),
    metrics: async () => {
      const captured = newCapture();
      const ref = leadRef(captured);
      const now = new Date().toISOString();
      return delivered('metrics', [
        busEvent('Lead Captured', captured),
        busEvent('Lead Qualified', { version: 1, lead: ref, score: 65, grade: 'hot', reasons: [], qualifiedAt: now }),
        busEvent('Lead Assigned', { version: 1, lead: ref, repId: 'alice', teamId: 'demo', strategy: 'round_robin', assignedAt: now, trace: trace('alice') }),
        busEvent('Rep Notified', { version: 1, lead: ref, repId: 'alice', channel: 'webhook', attempt: 1, notifiedAt: now, latencyMs: 120 }),
      ]);
    },
  };

  const probes: FunctionProbe[] = [];
  for (const name of names) {
    const spec = topology.functions[name];
    const timed: Invocation[] = [];
    for (let i = 0; i < options.warmups + options.iterations; i++) {
      for (const event of await inputs[name](i)) {
        const invocation: Invocation = { ms: 0, dynamo: [], putEvents: [], billed: [] };
        current = invocation;
        const t0 = performance.now();
        try {
          const result = (await handlers[name](event, contextFor(name, Date.now() + spec.timeoutSeconds * 1000))) as
            | { statusCode?: number; batchItemFailures?: unknown[] }
            | undefined;
          invocation.ms = performance.now() - t0;
          if (result?.statusCode && result.statusCode >= 300) throw new Error(`${name} answered ${result.statusCode}`);
          if (result?.batchItemFailures?.length) throw new Error(`${name} reported a failed batch item`);
        } finally {
          current = undefined;
        }
        if (i < options.warmups) continue;
        for (const call of invocation.dynamo) invocation.billed.push(await billCall(call.command, call.input, call.output, readItem));
        timed.push(invocation);
      }
    }
    const perInvocation = (f: (x: Invocation) => number) => timed.reduce((s, x) => s + f(x), 0) / timed.length;
    const calls: Record<string, number> = {};
    for (const x of timed) for (const c of x.dynamo) calls[c.command] = (calls[c.command] ?? 0) + 1 / timed.length;
    const dynamoMs = perInvocation((x) => coveredMs(x.dynamo));
    const putEventsMs = perInvocation((x) => x.putEvents.reduce((s, c) => s + c.ms, 0));
    const last = timed.at(-1)!;
    probes.push({
      name,
      memoryMb: spec.memoryMb,
      duration: summarize(timed.map((x) => x.ms)),
      dynamoMs,
      putEventsMs,
      otherMs: perInvocation((x) => x.ms) - dynamoMs - putEventsMs,
      calls,
      wru: perInvocation((x) => x.billed.reduce((s, c) => s + c.wru, 0)),
      rru: perInvocation((x) => x.billed.reduce((s, c) => s + c.rru, 0)),
      billedCalls: last.billed,
      published: last.putEvents.flatMap((p) => p.events),
    });
  }
  return probes;
}
