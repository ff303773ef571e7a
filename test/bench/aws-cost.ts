import { compileEventPattern } from '../../infra/local/event-pattern.js';
import { topology, type FunctionName, type QueueName, type RuleSpec } from '../../infra/topology.js';
import type { FunctionProbe } from './function-probe.js';
import type { PerLeadWindow } from './platform-stats.js';

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

/** One DynamoDB operation of a lead: counted calls and items × request units per item. */
export interface DynamoOperationCost {
  operation: string;
  callsPerLead: number;
  itemsPerLead: number;
  wruPerItem: number;
  rruPerItem: number;
  wru: number;
  rru: number;
  /** Where the units per item come from: the probe's billed calls, or an assumption for an operation it did not see. */
  unitsFrom: 'probe' | 'assumed';
}

export interface CostEstimate {
  /**
   * Where the per-lead counts come from: the platform's own counters under load (invocations, table calls
   * by operation, PutEvents entries, queue sends), or, without them, the probe's events traced through
   * the topology's rules.
   */
  basis: 'counted' | 'traced';
  flow: LeadFlow;
  /** With counted calls: each table operation and what it bills. */
  dynamoByOperation?: DynamoOperationCost[];
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

/**
 * Request units per item of an operation the probe did not see: a write of up to 1 KB, a strongly
 * consistent read of up to 4 KB, twice that in a transaction; describing a table or a stream costs nothing.
 */
function assumedUnitsPerItem(operation: string): { wru: number; rru: number } {
  if (operation === 'TransactWriteItems') return { wru: 2, rru: 0 };
  if (operation === 'TransactGetItems') return { wru: 0, rru: 2 };
  if (/^(Put|Update|Delete)Item$|^BatchWriteItem$/.test(operation)) return { wru: 1, rru: 0 };
  if (/^(GetItem|Query|Scan|BatchGetItem)$/.test(operation)) return { wru: 0, rru: 1 };
  return { wru: 0, rru: 0 };
}

/**
 * Request units per item of each operation, from the calls the probe billed item by item, each function's
 * calls weighted by how often it runs per lead: the probe knows what an item weighs, the platform's
 * counters how many items a lead moves.
 */
function unitsPerItem(probes: FunctionProbe[], invocations: Partial<Record<string, number>>): Map<string, { wru: number; rru: number }> {
  const sums = new Map<string, { wru: number; rru: number; items: number }>();
  for (const probe of probes) {
    const weight = invocations[probe.name] ?? 0;
    if (!weight) continue;
    for (const call of probe.billedCalls) {
      const sum = sums.get(call.command) ?? { wru: 0, rru: 0, items: 0 };
      sum.wru += weight * call.wru;
      sum.rru += weight * call.rru;
      sum.items += weight * call.items;
      sums.set(call.command, sum);
    }
  }
  return new Map([...sums].filter(([, s]) => s.items > 0).map(([op, s]) => [op, { wru: s.wru / s.items, rru: s.rru / s.items }]));
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
export function estimateCost(probes: FunctionProbe[], counted?: PerLeadWindow): CostEstimate {
  const p = PRICES_US_EAST_1;
  const flow = traceLeadFlow(probes);
  const assumptions: string[] = [];
  const invocationsPerLead = (counted?.invocations ?? flow.invocations) as Partial<Record<FunctionName, number>>;
  const functions = Object.entries(invocationsPerLead) as Array<[FunctionName, number]>;
  const probeOf = (fn: FunctionName) => probes.find((x) => x.name === fn);
  const durationOf = (fn: FunctionName) => probeOf(fn)?.duration.mean ?? counted?.invocationMs[fn] ?? ASSUMED_DURATION_MS;
  for (const [fn] of functions) {
    if (probeOf(fn)) continue;
    assumptions.push(
      counted?.invocationMs[fn] !== undefined
        ? `${fn} was not probed: its duration is its mean in the platform under the load (${Math.round(counted.invocationMs[fn])} ms), which includes waiting on a busy DynamoDB Local`
        : `${fn} was not probed: it is assumed to take ${ASSUMED_DURATION_MS} ms${counted ? '' : ' and make no DynamoDB calls'}`,
    );
  }
  const lambda = (durationFactor: number) =>
    functions.map(([fn, invocations]) => {
      const billedMs = Math.ceil(durationOf(fn) * durationFactor);
      const memoryMb = topology.functions[fn].memoryMb;
      return { fn, invocations, memoryMb, billedMs, gbSeconds: invocations * (memoryMb / 1024) * (billedMs / 1000) };
    });
  const durations = lambda(1);
  const invocations = durations.reduce((s, f) => s + f.invocations, 0);
  const gbSeconds = durations.reduce((s, f) => s + f.gbSeconds, 0);

  const dynamoOps: DynamoOp[] = functions.flatMap(([fn, times]) =>
    (probeOf(fn)?.billedCalls ?? []).flatMap((call) => call.parts.map((part) => ({ fn, times, call: call.command, ...part }))),
  );
  let wru = functions.reduce((s, [fn, times]) => s + times * (probeOf(fn)?.wru ?? 0), 0);
  let rru = functions.reduce((s, [fn, times]) => s + times * (probeOf(fn)?.rru ?? 0), 0);
  let dynamoByOperation: DynamoOperationCost[] | undefined;
  if (counted) {
    const units = unitsPerItem(probes, invocationsPerLead);
    dynamoByOperation = Object.entries(counted.table).map(([operation, c]) => {
      const known = units.get(operation);
      const perItem = known ?? assumedUnitsPerItem(operation);
      return { operation, callsPerLead: c.calls, itemsPerLead: c.items, wruPerItem: perItem.wru, rruPerItem: perItem.rru, wru: c.items * perItem.wru, rru: c.items * perItem.rru, unitsFrom: known ? 'probe' : 'assumed' };
    });
    wru = dynamoByOperation.reduce((s, o) => s + o.wru, 0);
    rru = dynamoByOperation.reduce((s, o) => s + o.rru, 0);
    const assumed = dynamoByOperation.filter((o) => o.unitsFrom === 'assumed' && o.wru + o.rru > 0).map((o) => o.operation);
    if (assumed.length) assumptions.push(`The probe made no ${assumed.join(', ')} calls to weigh, so each item is assumed to be one unit (two in a transaction): up to 1 KB written or 4 KB read strongly consistently.`);
    if (counted.streamCallsPerLead > 0) {
      assumptions.push(`DynamoDB Streams calls (${Math.round(counted.streamCallsPerLead * 10) / 10} per lead locally) are not billed when a Lambda event source mapping or a Pipe reads the stream; they are left out.`);
    }
  }
  const countedItems = (service: string, operations: string[]) =>
    operations.reduce((s, op) => s + (counted?.other[service]?.[op]?.items ?? 0), 0);
  const events = counted ? countedItems('EventBridge', ['PutEvents']) : flow.events.length;
  const queueMessages = counted ? countedItems('SQS', ['SendMessage', 'SendMessageBatch']) : flow.queueMessages;
  const sqsRequests = SQS_REQUESTS_PER_MESSAGE * queueMessages;
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
    { service: 'EventBridge', item: counted ? 'custom events: PutEvents entries counted in the platform' : `custom events: ${flow.events.join(', ')}`, perLead: events, unit: 'events', usdPer1000Leads: 1000 * events * p.eventBridgeCustomEvent },
    { service: 'SQS', item: `${Math.round(queueMessages * 100) / 100} message(s): send by the rule, receive, delete (unbatched)`, perLead: sqsRequests, unit: 'requests', usdPer1000Leads: 1000 * sqsRequests * p.sqsRequest },
    { service: 'DynamoDB', item: counted ? 'on-demand write request units: counted items by operation × WRU per item' : 'on-demand write request units', perLead: wru, unit: 'WRU', usdPer1000Leads: 1000 * wru * p.dynamoWriteRequestUnit },
    { service: 'DynamoDB', item: counted ? 'on-demand read request units: counted items by operation × RRU per item' : 'on-demand read request units', perLead: rru, unit: 'RRU', usdPer1000Leads: 1000 * rru * p.dynamoReadRequestUnit },
  ];
  const total = lines.reduce((s, l) => s + l.usdPer1000Leads, 0);
  const tripleGbSeconds = lambda(3).reduce((s, f) => s + f.gbSeconds, 0);
  // Full batches: each queue's messages arrive in batches of its batch size, received and deleted together.
  // The queues' mix of messages is the traced flow's; with counted messages it is scaled to their number.
  let batchingSaving = 0;
  const scale = counted && flow.queueMessages ? queueMessages / flow.queueMessages : 1;
  for (const [queue, traced] of Object.entries(flow.messagesByQueue) as Array<[QueueName, number]>) {
    const messages = traced * scale;
    const { batchSize } = topology.queues[queue].consumer;
    const fewer = messages - messages / batchSize;
    batchingSaving += 1000 * (fewer * p.lambdaRequest + 2 * fewer * p.sqsRequest);
  }
  assumptions.push(
    'Durations are warm, one-at-a-time local runs against DynamoDB Local with a stub bus: DynamoDB Local is slower per call than DynamoDB, the stub faster than PutEvents; cold starts are not included. Lambda bills each invocation rounded up to 1 ms.',
    counted
      ? 'Invocations, table calls by operation, PutEvents entries and queue sends are counted in the local platform under the sustained load and divided by the leads notified; request units per item come from the probe (test/bench/dynamo-billing.ts).'
      : 'Invocations, events and queue messages are traced from what the probed functions published through the topology\'s rules (no counted calls were available).',
    'Queue consumers are counted once per message (batches of one, the worst case); with full batches they cost less (see the total with full batches).',
    'The API key and source lookups are cached for 30 s per container, so they do not appear per lead.',
    'Index writes caused by a transactional write are billed at the transactional rate (2 WRU per KB), as DynamoDB Local counts them; if AWS bills them at 1 WRU per KB, the write units are a little lower.',
    'Not included: CloudWatch Logs, X-Ray, data transfer, DynamoDB storage and backups, the SQS event source mapping\'s idle polling (a fixed monthly cost), the schedules, report reads, retries.',
  );
  return {
    basis: counted ? 'counted' : 'traced',
    flow,
    dynamoByOperation,
    lines,
    usdPer1000Leads: total,
    usdPer1000LeadsAtTripleDuration: total + 1000 * (tripleGbSeconds - gbSeconds) * p.lambdaArmGbSecond,
    usdPer1000LeadsWithFullBatches: total - batchingSaving,
    dynamoOps,
    perLead: { wru, rru, lambdaInvocations: invocations, lambdaGbSeconds: gbSeconds, events, sqsRequests, httpRequests },
    assumptions,
  };
}
