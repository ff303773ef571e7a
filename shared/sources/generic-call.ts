import * as z from 'zod/mini';
import { extractAttribution } from '../domain/attribution.js';
import { CALL_STATES, type CallEvent } from '../domain/call-event.js';
import { UnauthorizedError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { InboundRequest, SourceAdapter, SourceContext } from './adapter.js';
import { callPhone, isHttpUrl, problemsFromIssues, readJson } from './call-fields.js';
import { assertFresh, constantTimeEqual, hmacHex, prefixed, requireSecret } from './signatures.js';
import { providerCatalog } from './catalog.js';

const PROVIDER = 'call_webhook';
const REPLAY_WINDOW_MS = 300_000;

const id = (max: number) =>
  z.string({ error: 'must be a string' }).check(
    z.minLength(1, { error: 'must not be empty' }),
    z.maxLength(max, { error: `must be at most ${max} characters` }),
  );
const optionalText = (max: number) => z.optional(id(max));

/**
 * The documented call event any telephony system can send to a `call_webhook` source. One POST is one
 * event of one call, JSON, signed:
 *
 * - `X-Leadflow-Timestamp`: unix seconds when it was sent; refused when more than 300 s from now.
 * - `X-Leadflow-Signature`: `sha256=` + lowercase hex HMAC-SHA256(source secret, timestamp + "." + raw body).
 *
 * Fields: `callId` (the same on every event of a call), `eventId` (optional; the same on a retry),
 * `direction` (inbound, outbound, internal), `state` (ringing, answered, completed, missed, failed),
 * `seq` (optional ordering of a call's events), `occurredAt` (ISO 8601 with a zone; the receive time
 * when absent), `from`, `to`, `trackingNumber` (phone numbers, E.164 or in the source's country),
 * `agent`, `durationSeconds`, `recordingUrl`, `isTest`, and attribution: `utm_source`, `utm_medium`,
 * `utm_campaign`, `utm_term`, `utm_content`, `gclid`, `gbraid`, `wbraid`, `fbclid`, `yclid`, `msclkid`,
 * `ttclid`, `landingPage`, `referrer`. Any other field is refused, so a misspelled one is not lost
 * silently.
 */
export const genericCallSchema = z.strictObject({
  callId: id(200),
  eventId: optionalText(200),
  direction: z.enum(['inbound', 'outbound', 'internal'], { error: 'must be inbound, outbound or internal' }),
  state: z.enum(CALL_STATES, { error: `must be one of ${CALL_STATES.join(', ')}` }),
  seq: z.optional(z.int({ error: 'must be a whole number' }).check(z.minimum(0, { error: 'must be 0 or more' }))),
  occurredAt: z.optional(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone, e.g. 2026-03-02T13:04:05Z' })),
  from: optionalText(40),
  to: optionalText(40),
  trackingNumber: optionalText(40),
  agent: optionalText(200),
  durationSeconds: z.optional(z.int({ error: 'must be a whole number of seconds' }).check(z.minimum(0, { error: 'must be 0 or more' }))),
  recordingUrl: optionalText(2000),
  isTest: z.optional(z.boolean({ error: 'must be true or false' })),
  utm_source: optionalText(500),
  utm_medium: optionalText(500),
  utm_campaign: optionalText(500),
  utm_term: optionalText(500),
  utm_content: optionalText(500),
  gclid: optionalText(500),
  gbraid: optionalText(500),
  wbraid: optionalText(500),
  fbclid: optionalText(500),
  yclid: optionalText(500),
  msclkid: optionalText(500),
  ttclid: optionalText(500),
  landingPage: optionalText(2000),
  referrer: optionalText(2000),
});

const ATTRIBUTION_FIELDS = [
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
  'gclid', 'gbraid', 'wbraid', 'fbclid', 'yclid', 'msclkid', 'ttclid',
] as const;

/** Verifies the timestamp and `sha256=` signature headers of a generic call webhook over the raw body. */
function verify(request: InboundRequest, source: SourceContext): void {
  const secret = requireSecret(source.secrets, 'signingSecret', PROVIDER);
  const timestamp = request.headers['x-leadflow-timestamp']?.trim();
  const signature = request.headers['x-leadflow-signature']?.trim();
  if (!timestamp) throw new UnauthorizedError('the X-Leadflow-Timestamp header is missing');
  if (!signature) throw new UnauthorizedError('the X-Leadflow-Signature header is missing');
  if (!/^\d{1,12}$/.test(timestamp)) throw new UnauthorizedError('the X-Leadflow-Timestamp header must be unix seconds');
  assertFresh(Number(timestamp) * 1000, request.receivedAt, REPLAY_WINDOW_MS, PROVIDER);
  const expected = `sha256=${hmacHex(secret, prefixed(`${timestamp}.`, request.raw))}`;
  if (!constantTimeEqual(expected, signature.toLowerCase())) {
    throw new UnauthorizedError('the X-Leadflow-Signature does not match the timestamp and raw body');
  }
}

/** Reads one documented call event, naming every bad field in one 400. */
function parse(request: InboundRequest, source: SourceContext): { kind: 'calls'; calls: CallEvent[]; rejected: FieldProblem[] } {
  const body = readJson(request, PROVIDER);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object describing one call event');
  }
  const result = genericCallSchema.safeParse(body);
  if (!result.success) {
    throw new ValidationError('the call event has invalid or missing fields', problemsFromIssues(result.error.issues));
  }
  const call = result.data;
  const problems: FieldProblem[] = [];
  const phones: Partial<Record<'from' | 'to' | 'trackingNumber', string>> = {};
  for (const field of ['from', 'to', 'trackingNumber'] as const) {
    const raw = call[field];
    if (raw === undefined) continue;
    const phone = callPhone(raw, source.defaultCountry);
    if (phone) phones[field] = phone;
    else problems.push({ field, problem: `"${raw}" is not a valid phone number` });
  }
  for (const field of ['recordingUrl', 'landingPage', 'referrer'] as const) {
    const value = call[field];
    if (value !== undefined && !isHttpUrl(value)) problems.push({ field, problem: 'must be an http or https URL' });
  }
  if (problems.length) throw new ValidationError('the call event has invalid fields', problems);

  const tracked: Array<[string, string]> = [];
  for (const key of ATTRIBUTION_FIELDS) {
    const value = call[key];
    if (value !== undefined) tracked.push([key, value]);
  }
  const event: CallEvent = {
    provider: PROVIDER,
    callId: call.callId,
    eventId: call.eventId ?? `${call.callId}:${call.state}:${call.seq ?? '-'}`,
    direction: call.direction,
    state: call.state,
    occurredAt: new Date(call.occurredAt ?? request.receivedAt.toISOString()).toISOString(),
    attribution: extractAttribution(tracked, call.landingPage, call.referrer),
    isTest: call.isTest ?? false,
  };
  if (call.seq !== undefined) event.seq = call.seq;
  if (phones.from) event.from = phones.from;
  if (phones.to) event.to = phones.to;
  if (phones.trackingNumber) event.trackingNumber = phones.trackingNumber;
  if (call.agent) event.agent = call.agent;
  if (call.durationSeconds !== undefined) event.durationSeconds = call.durationSeconds;
  if (call.recordingUrl) event.recordingUrl = call.recordingUrl;
  return { kind: 'calls', calls: [event], rejected: [] };
}

/** A signed JSON call-event webhook for any telephony system leadflow has no adapter for. */
export const genericCallAdapter: SourceAdapter = {
  provider: PROVIDER,
  ...providerCatalog.call_webhook,
  accepts: ['application/json'],
  verify,
  parse,
};
