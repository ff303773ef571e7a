import { compileEventPattern } from '../../infra/local/event-pattern.js';
import { topology, type FunctionName, type QueueName, type RuleSpec } from '../../infra/topology.js';
import type { FunctionProbe } from './function-probe.js';

/**
 * Public on-demand list prices in us-east-1, in USD, written down on 2026-11-22 from the AWS pricing
 * pages as last known (there is no network here to re-read them). They are list prices without free
 * tiers, savings plans or volume discounts, and must be checked against aws.amazon.com/pricing before
 * anyone quotes a number. DynamoDB's figures are after the November 2024 on-demand price cut.
 */
export const PRICES_US_EAST_1 = {
  /** API Gateway HTTP API, first 300 million requests a month; each 512 KB of a request counts as one. */
  httpApiRequest: 1.0 / 1e6,
  /** Lambda requests, any architecture. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda duration on arm64 (the stack's architecture), first 7.5 billion GB-seconds a month. */
  lambdaArmGbSecond: 0.0000133334,
  /** EventBridge custom events published to a bus; each 64 KB of an entry counts as one. */
  eventBridgeCustomEvent: 1.0 / 1e6,
  /** SQS standard queue requests; each 64 KB of a payload counts as one. */
  sqsRequest: 0.4 / 1e6,
  /** DynamoDB on-demand, standard table class. */
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
} as const;

/** One piece of a DynamoDB call a lead causes, with the request units AWS bills for it. */
export interface DynamoOp {
  fn: FunctionName;
  /** Invocations of the function per lead. */
  times: number;
  call: string;
  action: string;
  item: string;
  bytes: number;
  wru: number;
  rru: number;
}

export interface CostLine {
  service: string;
  item: string;
  perLead: number;
  unit: string;
  usdPer1000Leads: number;
}

/** How one lead travels: invocations per function, events published, messages queued. */
export interface LeadFlow {
  invocations: Partial<Record<FunctionName, number>>;
  events: string[];
  queueMessages: number;
  messagesByQueue: Partial<Record<QueueName, number>>;
}

export interface CostEstimate {
  flow: LeadFlow;
  lines: CostLine[];
  usdPer1000Leads: number;
  /** The total if every function ran three times as long as measured. */
  usdPer1000LeadsAtTripleDuration: number;
  /** The total if queue consumers always got full batches (fewer invocations, receives and deletes). */
  usdPer1000LeadsWithFullBatches: number;
  dynamoOps: DynamoOp[];
  perLead: { wru: number; rru: number; lambdaInvocations: number; lambdaGbSeconds: number; events: number; sqsRequests: number; httpRequests: number };
  assumptions: string[];
}

/** Without a probe of a function: an assumed warm duration per invocation. */
const ASSUMED_DURATION_MS = 50;
/** Send (by the rule), receive and delete (by the event source mapping), one message per batch at worst. */
const SQS_REQUESTS_PER_MESSAGE = 3;

/**
 * Follows one web-form lead through the topology: the POST invokes its route's function, and every event
 * a function published in the probe is matched against the rules (with the local runtime's EventBridge
 * pattern matcher) to find the next invocations and queue messages.
 */
export function traceLeadFlow(probes: FunctionProbe[]): LeadFlow {
  const rules = Object.values(topology.rules as Record<string, RuleSpec>).map((rule) => ({ rule, matches: compileEventPattern(rule.pattern) }));
  const flow: LeadFlow = { invocations: {}, events: [], queueMessages: 0, messagesByQueue: {} };
  const pending: FunctionName[] = [topology.routes.find((r) => r.method === 'POST' && r.path === '/v1/leads')!.function];
  // A lead's flow is a short chain; the bound only guards against a rule that feeds itself.
  for (let step = 0; pending.length && step < 100; step++) {
    const fn = pending.shift()!;
    flow.invocations[fn] = (flow.invocations[fn] ?? 0) + 1;
    for (const event of probes.find((p) => p.name === fn)?.published ?? []) {
      flow.events.push(event['detail-type']);
      for (const { rule, matches } of rules) {
        if (!matches(event)) continue;
        if (rule.target.kind === 'function') pending.push(rule.target.function);
        else {
          const queue = rule.target.queue as QueueName;
          flow.queueMessages++;
          flow.messagesByQueue[queue] = (flow.messagesByQueue[queue] ?? 0) + 1;
          pending.push(topology.queues[queue].consumer.function);
        }
      }
    }
  }
  return flow;
}

/**
 * Estimates the AWS bill of 1,000 leads from what one lead causes, counted in the function probe and the
 * topology, × list prices: API Gateway requests, Lambda requests and GB-seconds (topology memory × probed
 * warm duration), EventBridge events, SQS requests, and DynamoDB request units billed call by call.
 */
export function estimateCost(probes: FunctionProbe[]): CostEstimate {
  const p = PRICES_US_EAST_1;
  const flow = traceLeadFlow(probes);
  const assumptions: string[] = [];
  const functions = Object.entries(flow.invocations) as Array<[FunctionName, number]>;
  const probeOf = (fn: FunctionName) => probes.find((x) => x.name === fn);
  for (const [fn] of functions) {
    if (!probeOf(fn)) assumptions.push(`${fn} was not probed: it is assumed to take ${ASSUMED_DURATION_MS} ms and make no DynamoDB calls`);
  }
  const lambda = (durationFactor: number) =>
    functions.map(([fn, invocations]) => {
      const billedMs = Math.ceil((probeOf(fn)?.duration.mean ?? ASSUMED_DURATION_MS) * durationFactor);
      const memoryMb = topology.functions[fn].memoryMb;
      return { fn, invocations, memoryMb, billedMs, gbSeconds: invocations * (memoryMb / 1024) * (billedMs / 1000) };
    });
  const durations = lambda(1);
  const invocations = durations.reduce((s, f) => s + f.invocations, 0);
  const gbSeconds = durations.reduce((s, f) => s + f.gbSeconds, 0);

  const dynamoOps: DynamoOp[] = functions.flatMap(([fn, times]) =>
    (probeOf(fn)?.billedCalls ?? []).flatMap((call) => call.parts.map((part) => ({ fn, times, call: call.command, ...part }))),
  );
  const wru = functions.reduce((s, [fn, times]) => s + times * (probeOf(fn)?.wru ?? 0), 0);
  const rru = functions.reduce((s, [fn, times]) => s + times * (probeOf(fn)?.rru ?? 0), 0);
  const events = flow.events.length;
  const sqsRequests = SQS_REQUESTS_PER_MESSAGE * flow.queueMessages;
  const httpRequests = 1;

  const lines: CostLine[] = [
    { service: 'API Gateway', item: 'HTTP API request: POST /v1/leads', perLead: httpRequests, unit: 'requests', usdPer1000Leads: 1000 * httpRequests * p.httpApiRequest },
    { service: 'Lambda', item: `requests: ${durations.map((f) => `${f.fn} ${f.invocations}`).join(', ')}`, perLead: invocations, unit: 'invocations', usdPer1000Leads: 1000 * invocations * p.lambdaRequest },
    ...durations.map((f) => ({
      service: 'Lambda',
      item: `duration ${f.fn}: ${f.invocations} × ${f.memoryMb} MB × ${f.billedMs} ms`,
      perLead: f.gbSeconds,
      unit: 'GB-s arm64',
      usdPer1000Leads: 1000 * f.gbSeconds * p.lambdaArmGbSecond,
    })),
    { service: 'EventBridge', item: `custom events: ${flow.events.join(', ')}`, perLead: events, unit: 'events', usdPer1000Leads: 1000 * events * p.eventBridgeCustomEvent },
    { service: 'SQS', item: `${flow.queueMessages} message(s): send by the rule, receive, delete (unbatched)`, perLead: sqsRequests, unit: 'requests', usdPer1000Leads: 1000 * sqsRequests * p.sqsRequest },
    { service: 'DynamoDB', item: 'on-demand write request units', perLead: wru, unit: 'WRU', usdPer1000Leads: 1000 * wru * p.dynamoWriteRequestUnit },
    { service: 'DynamoDB', item: 'on-demand read request units', perLead: rru, unit: 'RRU', usdPer1000Leads: 1000 * rru * p.dynamoReadRequestUnit },
  ];
  const total = lines.reduce((s, l) => s + l.usdPer1000Leads, 0);
  const tripleGbSeconds = lambda(3).reduce((s, f) => s + f.gbSeconds, 0);
  // Full batches: each queue's messages arrive in batches of its batch size, received and deleted together.
  let batchingSaving = 0;
  for (const [queue, messages] of Object.entries(flow.messagesByQueue) as Array<[QueueName, number]>) {
    const { batchSize } = topology.queues[queue].consumer;
    const fewer = messages - messages / batchSize;
    batchingSaving += 1000 * (fewer * p.lambdaRequest + 2 * fewer * p.sqsRequest);
  }
  assumptions.push(
    'Durations are warm, one-at-a-time local runs against DynamoDB Local with a stub bus: DynamoDB Local is slower per call than DynamoDB, the stub faster than PutEvents; cold starts are not included. Lambda bills each invocation rounded up to 1 ms.',
    'Queue consumers are counted once per message (batches of one, the worst case); with full batches they cost less (see the total with full batches).',
    'The API key and source lookups are cached for 30 s per container, so they do not appear per lead.',
    'Index writes caused by a transactional write are billed at the transactional rate (2 WRU per KB), as DynamoDB Local counts them; if AWS bills them at 1 WRU per KB, the write units are a little lower.',
    'Not included: CloudWatch Logs, X-Ray, data transfer, DynamoDB storage and backups, the SQS event source mapping\'s idle polling (a fixed monthly cost), the schedules, report reads, retries.',
  );
  return {
    flow,
    lines,
    usdPer1000Leads: total,
    usdPer1000LeadsAtTripleDuration: total + 1000 * (tripleGbSeconds - gbSeconds) * p.lambdaArmGbSecond,
    usdPer1000LeadsWithFullBatches: total - batchingSaving,
    dynamoOps,
    perLead: { wru, rru, lambdaInvocations: invocations, lambdaGbSeconds: gbSeconds, events, sqsRequests, httpRequests },
    assumptions,
  };
}
