import { patterns } from '../events/patterns.js';

/**
 * The one list of what leadflow is made of: functions, HTTP routes, event rules, queues and schedules.
 * `infra/aws` builds the CDK stack from it and `infra/local` builds the embedded runtime from it; neither
 * keeps a list of its own, so a route or rule cannot exist in one place and not the other.
 */

export interface FunctionSpec {
  /** Path of the handler module from the project root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway route path; `{name}` is a path parameter. */
  path: string;
  function: FunctionName;
}

export interface QueueSpec {
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
  consumer: { function: FunctionName; batchSize: number; maxBatchingWindowSeconds: number };
}

export type RuleTarget =
  | {
      kind: 'function';
      function: FunctionName;
      /** Retries after the first failed invocation, then the event goes to the rule's dead-letter queue. */
      retryAttempts: number;
      maxEventAgeSeconds: number;
    }
  | { kind: 'queue'; queue: QueueName };

export interface RuleSpec {
  description: string;
  pattern: Record<string, unknown>;
  target: RuleTarget;
}

export interface ScheduleSpec {
  description: string;
  /** An EventBridge Scheduler `rate(...)` expression. */
  expression: `rate(${number} ${'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days'})`;
  function: FunctionName;
}

const functions = {
  'intake-web': {
    entry: 'functions/intake-web/handler.ts',
    description: 'Accepts web-form leads, makes them durable and publishes Lead Captured.',
    memoryMb: 1024,
    timeoutSeconds: 10,
  },
  qualify: {
    entry: 'functions/qualify/handler.ts',
    description: 'Scores a captured lead and publishes Lead Qualified or Lead Disqualified.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  assign: {
    entry: 'functions/assign/handler.ts',
    description: 'Routes a qualified lead to a rep and publishes Lead Assigned.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  notify: {
    entry: 'functions/notify/handler.ts',
    description: 'Tells the assigned rep about the lead and publishes Rep Notified.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  metrics: {
    entry: 'functions/metrics/handler.ts',
    description: 'Records each lead\'s funnel steps, in batches, for the reports.',
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  'report-builder': {
    entry: 'functions/report-builder/handler.ts',
    description: 'Builds the per-source daily report from the aggregates.',
    memoryMb: 512,
    timeoutSeconds: 300,
  },
  'leads-api': {
    entry: 'functions/leads-api/handler.ts',
    description: 'Reads a lead with its timeline.',
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  'reports-api': {
    entry: 'functions/reports-api/handler.ts',
    description: 'Serves reports as JSON or CSV and builds them on demand.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

const queues = {
  notify: {
    // Six times the function timeout, as AWS advises for queues that feed Lambda.
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    consumer: { function: 'notify', batchSize: 10, maxBatchingWindowSeconds: 0 },
  },
  metrics: {
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    // Reports are rebuilt every 15 minutes: waiting a second to fill a batch costs nothing and turns
    // up to ten events into one invocation and one BatchWriteItem.
    consumer: { function: 'metrics', batchSize: 10, maxBatchingWindowSeconds: 1 },
  },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = keyof typeof queues;

const rules = {
  'qualify-captured-leads': {
    description: 'Every captured lead is scored.',
    pattern: patterns.leadCaptured,
    target: { kind: 'function', function: 'qualify', retryAttempts: 2, maxEventAgeSeconds: 3600 },
  },
  'assign-qualified-leads': {
    description: 'Every qualified lead is routed to a rep.',
    pattern: patterns.leadQualified,
    target: { kind: 'function', function: 'assign', retryAttempts: 2, maxEventAgeSeconds: 3600 },
  },
  'notify-assigned-reps': {
    description: 'Every assignment is queued for notification, so retries and the DLQ are the queue\'s.',
    pattern: patterns.leadAssigned,
    target: { kind: 'queue', queue: 'notify' },
  },
  'count-funnel-progress': {
    description: 'Every step of the funnel is queued to be recorded for reports.',
    pattern: patterns.funnelProgress,
    target: { kind: 'queue', queue: 'metrics' },
  },
} as const satisfies Record<string, RuleSpec>;

const routes = [
  { method: 'POST', path: '/v1/leads', function: 'intake-web' },
  { method: 'GET', path: '/v1/leads/{id}', function: 'leads-api' },
  { method: 'GET', path: '/v1/reports/sources', function: 'reports-api' },
  { method: 'POST', path: '/v1/reports/sources/build', function: 'reports-api' },
] as const satisfies readonly RouteSpec[];

const schedules = {
  'build-reports': {
    description: 'Rebuilds today\'s and yesterday\'s per-source report.',
    expression: 'rate(15 minutes)',
    function: 'report-builder',
  },
} as const satisfies Record<string, ScheduleSpec>;

export const topology = { functions, queues, rules, routes, schedules };
export type Topology = typeof topology;

/** Environment every function receives; values differ between AWS and the local runtime. */
export const FUNCTION_ENV_KEYS = ['TABLE_NAME', 'EVENT_BUS_NAME'] as const;
