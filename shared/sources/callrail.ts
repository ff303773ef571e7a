import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { extractAttribution, isAttributionKey } from '../domain/attribution.js';
import type { CallEvent, CallState } from '../domain/call-event.js';
import { UnauthorizedError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { InboundRequest, SourceAdapter, SourceContext } from './adapter.js';
import { callPhone, isHttpUrl, problemsFromIssues, readJson, readSeconds } from './call-fields.js';
import { constantTimeEqual, hmacSha1Base64, requireSecret } from './signatures.js';
import { providerCatalog } from './catalog.js';

const PROVIDER = 'callrail';

const text = z.optional(z.nullable(z.string({ error: 'must be a string' })));

/**
 * The fields leadflow reads from CallRail's pre-call, post-call and call-modified webhooks (they share
 * one shape; pre-call has no duration yet). Other fields are kept out of the schema, not refused.
 */
export const callRailCallSchema = z.looseObject({
  resource_id: text,
  /** The numeric id calls had before CallRail moved to `resource_id` (September 2021). */
  id: z.optional(z.nullable(z.union([z.string(), z.number()], { error: 'must be a string or a number' }))),
  direction: z.optional(z.nullable(z.enum(['inbound', 'outbound'], { error: 'must be inbound or outbound' }))),
  answered: z.optional(z.nullable(z.boolean({ error: 'must be true or false' }))),
  duration: z.optional(z.nullable(z.union([z.number(), z.string()], { error: 'must be a number of seconds' }))),
  start_time: text,
  customer_phone_number: text,
  tracking_phone_number: text,
  business_phone_number: text,
  recording: text,
  agent_email: text,
  landing_page_url: text,
  referring_url: text,
});

/** Verifies CallRail's `Signature` header: base64 HMAC-SHA1 of the raw body under the company's signing token. */
function verify(request: InboundRequest, source: SourceContext): void {
  const token = requireSecret(source.secrets, 'signingToken', PROVIDER);
  const signature = request.headers['signature'];
  if (!signature) throw new UnauthorizedError('the CallRail Signature header is missing');
  if (!constantTimeEqual(hmacSha1Base64(token, request.raw), signature.trim())) {
    throw new UnauthorizedError('the CallRail Signature does not match the raw body');
  }
}

function readTime(raw: string | null | undefined, field: string, problems: FieldProblem[]): number | undefined {
  if (!raw) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) problems.push({ field, problem: 'is not a date' });
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Reads one CallRail call webhook. CallRail's body does not say which webhook it is, so the state comes
 * from what it holds: a duration means the call is over (answered → completed, else missed, which
 * includes voicemail); without one it is ringing, or answered when CallRail already says so.
 */
function parse(request: InboundRequest, source: SourceContext): { kind: 'calls'; calls: CallEvent[]; rejected: FieldProblem[] } {
  const body = readJson(request, PROVIDER);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('the CallRail body must be a JSON object describing one call');
  }
  const result = callRailCallSchema.safeParse(body);
  const raw = body as Record<string, unknown>;
  const rawId = typeof raw['resource_id'] === 'string' && raw['resource_id'].trim() ? raw['resource_id'] : raw['id'];
  if (!result.success) {
    const problems = problemsFromIssues(result.error.issues);
    if (rawId === undefined || rawId === null || rawId === '') problems.push({ field: 'resource_id', problem: 'is required (or the older id)' });
    throw new ValidationError('the CallRail call has invalid fields', problems);
  }
  const call = result.data;
  const problems: FieldProblem[] = [];
  const callId = call.resource_id?.trim() || (call.id === undefined || call.id === null ? '' : String(call.id).trim());
  if (!callId) problems.push({ field: 'resource_id', problem: 'is required (or the older id)' });
  else if (callId.length > 100) problems.push({ field: 'resource_id', problem: 'is longer than 100 characters' });
  const durationSeconds = readSeconds(call.duration, 'duration', problems);
  const startedMs = readTime(call.start_time, 'start_time', problems);
  if (call.recording && !isHttpUrl(call.recording)) problems.push({ field: 'recording', problem: 'must be an http or https URL' });
  if (problems.length) throw new ValidationError('the CallRail call has invalid or missing fields', problems);

  const over = durationSeconds !== undefined;
  const state: CallState = over ? (call.answered ? 'completed' : 'missed') : call.answered ? 'answered' : 'ringing';
  const endedMs = startedMs !== undefined && over ? startedMs + durationSeconds * 1000 : startedMs;
  // A start at the edge of what a Date holds plus a duration is past it.
  if (endedMs !== undefined && Number.isNaN(new Date(endedMs).getTime())) {
    throw new ValidationError('the CallRail call has invalid fields', [{ field: 'start_time', problem: 'is out of range' }]);
  }
  const direction = call.direction ?? 'inbound';
  const customer = callPhone(call.customer_phone_number, source.defaultCountry);
  const tracking = callPhone(call.tracking_phone_number, source.defaultCountry);

  const tracked: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(call)) {
    if (typeof value === 'string' && isAttributionKey(key)) tracked.push([key, value]);
  }
  const landingPage = call.landing_page_url && isHttpUrl(call.landing_page_url) ? call.landing_page_url : undefined;
  const referrer = call.referring_url && isHttpUrl(call.referring_url) ? call.referring_url : undefined;

  // Post-call and call-modified bodies of one call differ when something changed (a recording, a tag)
  // and are identical on a retry, so the body's hash tells a change from a repeat.
  const bodyHash = createHash('sha256').update(request.raw).digest('hex').slice(0, 16);
  const event: CallEvent = {
    provider: PROVIDER,
    callId,
    eventId: `${callId}:${state}:${bodyHash}`,
    direction,
    state,
    occurredAt: new Date(endedMs ?? request.receivedAt.getTime()).toISOString(),
    attribution: extractAttribution(tracked, landingPage, referrer),
    isTest: false,
  };
  const outside = customer;
  if (direction === 'inbound') {
    if (outside) event.from = outside;
    if (tracking) event.to = tracking;
  } else {
    if (tracking) event.from = tracking;
    if (outside) event.to = outside;
  }
  if (tracking) event.trackingNumber = tracking;
  if (call.agent_email?.trim()) event.agent = call.agent_email.trim().slice(0, 200);
  if (durationSeconds !== undefined) event.durationSeconds = durationSeconds;
  if (call.recording) event.recordingUrl = call.recording;
  return { kind: 'calls', calls: [event], rejected: [] };
}

/** CallRail call tracking: pre-call, post-call and call-modified webhooks. */
export const callRailAdapter: SourceAdapter = {
  provider: PROVIDER,
  ...providerCatalog.callrail,
  accepts: ['application/json'],
  verify,
  parse,
};
