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
  /** Whether the function reads source secrets (through the Parameters and Secrets extension) or manages them. */
  sourceSecrets?: 'read' | 'write';
  /** Whether the function signs or verifies accept links: it gets `LINK_SIGNING_SECRET` and `PUBLIC_API_URL`. */
  acceptLinks?: boolean;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

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

/**
 * A consumer of the table's change stream (on AWS a Lambda event source mapping on DynamoDB Streams;
 * locally the runtime reads DynamoDB Local's stream and keeps its position on disk).
 */
export interface StreamSpec {
  function: FunctionName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Tries of a failing batch before its records go to the stream's dead-letter queue. */
  retryAttempts: number;
  maxRecordAgeSeconds: number;
  /** A Lambda event filter (EventBridge pattern syntax) on the stream record; others are skipped. */
  filter: Record<string, unknown>;
}

export interface ScheduleSpec {
  description: string;
  /** An EventBridge Scheduler `rate(...)` expression. */
  expression: `rate(${number} ${'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days'})`;
  function: FunctionName;
}

const functions = {
  relay: {
    entry: 'functions/relay/handler.ts',
    description: 'Publishes what each committed write announces (its outbox), read from the table\'s stream.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  'intake-web': {
    entry: 'functions/intake-web/handler.ts',
    description: 'Accepts web-form leads, makes each durable with its Lead Captured in one write.',
    memoryMb: 1024,
    timeoutSeconds: 10,
  },
  qualify: {
    entry: 'functions/qualify/handler.ts',
    description: 'Scores a captured lead and stores it as qualified or disqualified.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  assign: {
    entry: 'functions/assign/handler.ts',
    description: 'Routes a qualified lead to a rep and stores the assignment.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  notify: {
    entry: 'functions/notify/handler.ts',
    description: 'Tells the assigned rep about the lead and records it.',
    memoryMb: 512,
    timeoutSeconds: 30,
    acceptLinks: true,
  },
  'rep-api': {
    entry: 'functions/rep-api/handler.ts',
    description: 'The rep API: accept a lead (by link or token), change its status, set availability, list leads.',
    memoryMb: 512,
    timeoutSeconds: 10,
    acceptLinks: true,
  },
  'admin-directory': {
    entry: 'functions/admin-directory/handler.ts',
    description: 'Creates, lists and updates reps and teams, and issues, lists and revokes rep tokens; every change is audited.',
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  'sla-watch': {
    entry: 'functions/sla-watch/handler.ts',
    description: 'Files an SLA watch for each assignment with an acceptance deadline.',
    memoryMb: 256,
    timeoutSeconds: 10,
  },
  'sla-sweeper': {
    entry: 'functions/sla-sweeper/handler.ts',
    description: 'Re-assigns leads not accepted by their deadline, escalates repeated misses, drains team queues.',
    memoryMb: 512,
    timeoutSeconds: 50,
  },
  metrics: {
    entry: 'functions/metrics/handler.ts',
    description: 'Records each lead\'s funnel steps, in batches, for the reports.',
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  'report-builder': {
    entry: 'functions/report-builder/handler.ts',
    description: 'Builds today\'s and yesterday\'s source, channel and rep reports from the funnel marks and spend.',
    memoryMb: 512,
    timeoutSeconds: 300,
  },
  'report-rebuilder': {
    entry: 'functions/report-rebuilder/handler.ts',
    description: 'Rebuilds the last 92 days of every report, for late spend corrections and late wins.',
    memoryMb: 1024,
    timeoutSeconds: 900,
  },
  'admin-rates': {
    entry: 'functions/admin-rates/handler.ts',
    description: 'Stores exchange rates (JSON, ECB CSV, Bank of Russia XML) and the report currency.',
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'leads-api': {
    entry: 'functions/leads-api/handler.ts',
    description: 'Reads a lead with its timeline.',
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  'admin-config': {
    entry: 'functions/admin-config/handler.ts',
    description: 'Versioned routing and scoring configs (draft, validate, activate), the audit log, and routing simulation.',
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
  'intake-forms': {
    entry: 'functions/intake-forms/handler.ts',
    description: 'Takes web-form webhooks (HTML forms, Tilda, Typeform, Webflow, signed JSON), verified and made durable.',
    memoryMb: 1024,
    timeoutSeconds: 10,
    sourceSecrets: 'read',
  },
  'intake-ads': {
    entry: 'functions/intake-ads/handler.ts',
    description: 'Takes ad-platform lead-form webhooks (Meta, Google Ads, TikTok, LinkedIn), verified and made durable.',
    memoryMb: 1024,
    timeoutSeconds: 10,
    sourceSecrets: 'read',
  },
  'intake-calls': {
    entry: 'functions/intake-calls/handler.ts',
    description: 'Takes telephony and call-tracking webhooks (Twilio, CallRail, Mango Office, Zadarma, generic), verified.',
    memoryMb: 1024,
    timeoutSeconds: 10,
    sourceSecrets: 'read',
  },
  'fetch-leads': {
    entry: 'functions/fetch-leads/handler.ts',
    description: 'Reads referenced leads from the provider API (Meta Graph, LinkedIn) and captures them.',
    memoryMb: 512,
    timeoutSeconds: 30,
    sourceSecrets: 'read',
  },
  'track-calls': {
    entry: 'functions/track-calls/handler.ts',
    description: 'Correlates call events by call id: new callers become leads, known ones touchpoints, rep calls contact.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  'admin-sources': {
    entry: 'functions/admin-sources/handler.ts',
    description: 'Creates, lists, updates and disables lead sources and stores their secrets.',
    memoryMb: 512,
    timeoutSeconds: 10,
    sourceSecrets: 'write',
  },
  'reports-api': {
    entry: 'functions/reports-api/handler.ts',
    description: 'Serves reports as JSON or CSV and builds them on demand.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  'purchases-api': {
    entry: 'functions/purchases-api/handler.ts',
    description: 'Records purchases and refunds (idempotent by order id), shows a contact with its value and segment, keeps the value settings.',
    memoryMb: 512,
    // A batch of 100 purchases is recorded one by one within the request; API Gateway waits 30 s.
    timeoutSeconds: 29,
  },
  'won-purchases': {
    entry: 'functions/won-purchases/handler.ts',
    description: 'Records each won lead\'s revenue as a purchase of its contact and updates the contact\'s value and segment.',
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  'value-reports': {
    entry: 'functions/value-reports/handler.ts',
    description: 'Serves the attribution and segment reports from their built rows and builds them on demand.',
    memoryMb: 512,
    timeoutSeconds: 30,
  },
  'attribution-builder': {
    entry: 'functions/attribution-builder/handler.ts',
    description: 'Builds the multi-model attribution rows: hourly for today and yesterday, daily for the last 31 days.',
    memoryMb: 512,
    timeoutSeconds: 300,
  },
  'segments-refresh': {
    entry: 'functions/segments-refresh/handler.ts',
    description: 'Recomputes every customer\'s value and segment daily and builds the segment report.',
    memoryMb: 512,
    timeoutSeconds: 300,
  },
  // Spend (money coming in).
  'spend-api': {
    entry: 'functions/spend-api/handler.ts',
    description: 'Takes ad spend as JSON rows or as ad-platform exports; re-sent days replace, keeping corrections.',
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
  'spend-connections': {
    entry: 'functions/spend-connections/handler.ts',
    description: 'Creates, lists and deletes the ad accounts whose spend is pulled daily, and stores their API credentials.',
    memoryMb: 512,
    timeoutSeconds: 29,
    sourceSecrets: 'write',
  },
  'spend-pull': {
    entry: 'functions/spend-pull/handler.ts',
    description: 'Pulls the last 7 days of spend from Meta, Google Ads and Yandex Direct for each spend connection.',
    memoryMb: 512,
    // Yandex Direct builds large reports offline and asks to be polled for up to a couple of minutes.
    timeoutSeconds: 600,
    sourceSecrets: 'read',
  },
  'campaign-index': {
    entry: 'functions/campaign-index/handler.ts',
    description: 'Notes the campaign ids and names leads arrive from, so spend imports can name campaigns without leads.',
    memoryMb: 256,
    timeoutSeconds: 10,
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
  'lead-fetch': {
    // A provider API that is down or rate-limiting is waited out: a failed read comes back after five
    // minutes, twelve times (an hour), before it is dead-lettered for an operator to redrive. Throttles
    // of up to ten seconds are waited out inside the read itself.
    visibilityTimeoutSeconds: 300,
    maxReceiveCount: 12,
    consumer: { function: 'fetch-leads', batchSize: 5, maxBatchingWindowSeconds: 0 },
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
  'watch-sla-deadlines': {
    description: 'Every assignment with an acceptance deadline gets an SLA watch.',
    pattern: patterns.leadAssignedWithDeadline,
    target: { kind: 'function', function: 'sla-watch', retryAttempts: 2, maxEventAgeSeconds: 3600 },
  },
  'notify-reps-of-taken-back-leads': {
    description: 'A rep whose lead was taken back for a missed deadline is told, through the notify queue.',
    pattern: patterns.leadTakenBack,
    target: { kind: 'queue', queue: 'notify' },
  },
  'fetch-referenced-leads': {
    description: 'Leads a provider only names (Meta, LinkedIn) are queued to be read from its API.',
    pattern: patterns.leadReferenced,
    target: { kind: 'queue', queue: 'lead-fetch' },
  },
  'correlate-call-events': {
    description: 'Every call event is correlated with its call, contact and lead.',
    pattern: patterns.callTracked,
    target: { kind: 'function', function: 'track-calls', retryAttempts: 2, maxEventAgeSeconds: 3600 },
  },
  'record-won-purchases': {
    description: 'Every won lead becomes a purchase of its contact.',
    pattern: patterns.leadWon,
    target: { kind: 'function', function: 'won-purchases', retryAttempts: 2, maxEventAgeSeconds: 3600 },
  },
  'index-lead-campaigns': {
    description: 'Every captured lead\'s campaigns are noted for matching ad spend to leads.',
    pattern: patterns.leadCaptured,
    target: { kind: 'function', function: 'campaign-index', retryAttempts: 2, maxEventAgeSeconds: 3600 },
  },
  'count-funnel-progress': {
    description: 'Every step of the funnel is queued to be recorded for reports.',
    pattern: patterns.funnelProgress,
    target: { kind: 'queue', queue: 'metrics' },
  },
} as const satisfies Record<string, RuleSpec>;

/**
 * Webhook providers by the intake function that reads them (`shared/sources/<family>.ts` registers their
 * adapters). Each gets `POST` and `GET` (handshakes) at `/v1/hooks/<provider>/{sourceId}`.
 */
export const hookProviders = {
  'intake-forms': ['html_form', 'tilda', 'typeform', 'webflow', 'signed_json'],
  'intake-ads': ['meta_lead_ads', 'google_ads', 'tiktok', 'linkedin'],
  'intake-calls': ['twilio', 'callrail', 'mango_office', 'zadarma', 'call_webhook'],
} as const satisfies Partial<Record<FunctionName, readonly string[]>>;

const hookRoutes = Object.entries(hookProviders).flatMap(([fn, providers]) =>
  providers.flatMap((provider) => [
    { method: 'POST', path: `/v1/hooks/${provider}/{sourceId}`, function: fn as FunctionName },
    { method: 'GET', path: `/v1/hooks/${provider}/{sourceId}`, function: fn as FunctionName },
  ]),
) satisfies RouteSpec[];

const routes = [
  ...hookRoutes,
  // Mango Office posts to paths it appends to the configured URL (`/events/call`, `/events/summary`).
  { method: 'POST', path: '/v1/hooks/mango_office/{sourceId}/{event+}', function: 'intake-calls' },
  { method: 'OPTIONS', path: '/v1/leads', function: 'intake-web' },
  { method: 'POST', path: '/v1/admin/sources', function: 'admin-sources' },
  { method: 'GET', path: '/v1/admin/sources', function: 'admin-sources' },
  { method: 'GET', path: '/v1/admin/sources/{sourceId}', function: 'admin-sources' },
  { method: 'PATCH', path: '/v1/admin/sources/{sourceId}', function: 'admin-sources' },
  { method: 'DELETE', path: '/v1/admin/sources/{sourceId}', function: 'admin-sources' },
  { method: 'POST', path: '/v1/leads', function: 'intake-web' },
  { method: 'GET', path: '/v1/leads/{id}', function: 'leads-api' },
  { method: 'POST', path: '/v1/admin/config/{kind}', function: 'admin-config' },
  { method: 'GET', path: '/v1/admin/config/{kind}', function: 'admin-config' },
  { method: 'GET', path: '/v1/admin/config/{kind}/{version}', function: 'admin-config' },
  { method: 'POST', path: '/v1/admin/config/{kind}/{version}/activate', function: 'admin-config' },
  { method: 'GET', path: '/v1/admin/audit', function: 'admin-config' },
  { method: 'POST', path: '/v1/routing/simulate', function: 'admin-config' },
  { method: 'GET', path: '/v1/accept/{token}', function: 'rep-api' },
  { method: 'POST', path: '/v1/accept/{token}', function: 'rep-api' },
  { method: 'GET', path: '/v1/rep/leads', function: 'rep-api' },
  { method: 'POST', path: '/v1/rep/leads/{id}/accept', function: 'rep-api' },
  { method: 'POST', path: '/v1/rep/leads/{id}/status', function: 'rep-api' },
  { method: 'POST', path: '/v1/rep/availability', function: 'rep-api' },
  { method: 'POST', path: '/v1/admin/reps', function: 'admin-directory' },
  { method: 'GET', path: '/v1/admin/reps', function: 'admin-directory' },
  { method: 'GET', path: '/v1/admin/reps/{id}', function: 'admin-directory' },
  { method: 'PATCH', path: '/v1/admin/reps/{id}', function: 'admin-directory' },
  { method: 'POST', path: '/v1/admin/reps/{id}/token', function: 'admin-directory' },
  { method: 'GET', path: '/v1/admin/reps/{id}/tokens', function: 'admin-directory' },
  { method: 'DELETE', path: '/v1/admin/reps/{id}/tokens', function: 'admin-directory' },
  { method: 'DELETE', path: '/v1/admin/reps/{id}/tokens/{tokenId}', function: 'admin-directory' },
  { method: 'POST', path: '/v1/admin/teams', function: 'admin-directory' },
  { method: 'GET', path: '/v1/admin/teams', function: 'admin-directory' },
  { method: 'GET', path: '/v1/admin/teams/{id}', function: 'admin-directory' },
  { method: 'PATCH', path: '/v1/admin/teams/{id}', function: 'admin-directory' },
  { method: 'GET', path: '/v1/reports/sources', function: 'reports-api' },
  { method: 'POST', path: '/v1/reports/sources/build', function: 'reports-api' },
  { method: 'POST', path: '/v1/purchases', function: 'purchases-api' },
  { method: 'GET', path: '/v1/contacts/{id}', function: 'purchases-api' },
  { method: 'GET', path: '/v1/admin/value-settings', function: 'purchases-api' },
  { method: 'PUT', path: '/v1/admin/value-settings', function: 'purchases-api' },
  { method: 'GET', path: '/v1/reports/attribution', function: 'value-reports' },
  { method: 'POST', path: '/v1/reports/attribution/build', function: 'value-reports' },
  { method: 'GET', path: '/v1/reports/segments', function: 'value-reports' },
  { method: 'POST', path: '/v1/reports/segments/build', function: 'value-reports' },
  { method: 'POST', path: '/v1/spend', function: 'spend-api' },
  { method: 'POST', path: '/v1/spend/import', function: 'spend-api' },
  { method: 'GET', path: '/v1/spend/connections', function: 'spend-connections' },
  { method: 'PUT', path: '/v1/spend/connections/{connectionId}', function: 'spend-connections' },
  { method: 'DELETE', path: '/v1/spend/connections/{connectionId}', function: 'spend-connections' },
  { method: 'GET', path: '/v1/reports/channels', function: 'reports-api' },
  { method: 'POST', path: '/v1/reports/channels/build', function: 'reports-api' },
  { method: 'GET', path: '/v1/reports/reps', function: 'reports-api' },
  { method: 'PUT', path: '/v1/admin/rates', function: 'admin-rates' },
  { method: 'GET', path: '/v1/admin/rates', function: 'admin-rates' },
  { method: 'POST', path: '/v1/admin/rates/import', function: 'admin-rates' },
  { method: 'GET', path: '/v1/admin/settings/reports', function: 'admin-rates' },
  { method: 'PUT', path: '/v1/admin/settings/reports', function: 'admin-rates' },
] as const satisfies readonly RouteSpec[] as readonly RouteSpec[];

const streams = {
  'relay-announcements': {
    function: 'relay',
    batchSize: 100,
    // A lead waits on every hop of the pipeline; batching happens anyway when records pile up.
    maxBatchingWindowSeconds: 0,
    // A bus that refuses publishes is waited out for a day; only then do records go to the DLQ.
    retryAttempts: 10_000,
    maxRecordAgeSeconds: 86_400,
    // Only writes that carry an outbox; the relay itself compares it with the old image's.
    filter: { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { outbox: { M: { id: { S: [{ exists: true }] } } } } } },
  },
} as const satisfies Record<string, StreamSpec>;

export type StreamName = keyof typeof streams;

const schedules = {
  'build-reports': {
    description: 'Rebuilds today\'s and yesterday\'s source, channel and rep reports.',
    expression: 'rate(15 minutes)',
    function: 'report-builder',
  },
  'build-attribution': {
    description: 'Rebuilds today\'s and yesterday\'s attribution rows; the first run of a UTC day rebuilds the last 31 days.',
    expression: 'rate(1 hour)',
    function: 'attribution-builder',
  },
  'refresh-segments': {
    description: 'Recomputes every customer\'s segment for the day and rebuilds the segment report.',
    expression: 'rate(1 day)',
    function: 'segments-refresh',
  },
  'pull-spend': {
    description: 'Pulls the last 7 days of ad spend of every spend connection; platforms revise recent days.',
    expression: 'rate(1 day)',
    function: 'spend-pull',
  },
  'rebuild-reports': {
    description: 'Rebuilds the last 92 days of every report in full.',
    expression: 'rate(1 day)',
    function: 'report-rebuilder',
  },
  'sweep-sla': {
    description: 'Re-assigns leads whose acceptance deadline passed and assigns waiting leads that can now go.',
    expression: 'rate(1 minute)',
    function: 'sla-sweeper',
  },
} as const satisfies Record<string, ScheduleSpec>;

export const topology = { functions, queues, rules, routes, schedules, streams };
export type Topology = typeof topology;

/** Environment every function receives; values differ between AWS and the local runtime. */
export const FUNCTION_ENV_KEYS = ['TABLE_NAME', 'EVENT_BUS_NAME'] as const;
