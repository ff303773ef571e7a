import type { CallDirection, CallEvent, CallState } from '../domain/call-event.js';
import { UnauthorizedError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { InboundRequest, SourceAdapter, SourceContext } from './adapter.js';
import { callPhone, formValue, isHttpUrl, readForm, readSeconds } from './call-fields.js';
import { constantTimeEqual, hmacSha1Base64, requireSecret } from './signatures.js';
import { providerCatalog } from './catalog.js';

const PROVIDER = 'twilio';

/** Twilio's CallStatus values, as leadflow's call states. */
const STATES: Record<string, CallState> = {
  queued: 'ringing',
  initiated: 'ringing',
  ringing: 'ringing',
  'in-progress': 'answered',
  completed: 'completed',
  busy: 'missed',
  'no-answer': 'missed',
  canceled: 'missed',
  failed: 'failed',
};

/**
 * Twilio's Direction values. `outbound-dial` is the leg a `<Dial>` places from an inbound call (to the
 * agent's phone, say): it has its own CallSid, and its ParentCallSid is the inbound call.
 */
const DIRECTIONS: Record<string, CallDirection> = {
  inbound: 'inbound',
  'outbound-api': 'outbound',
  'outbound-dial': 'outbound',
};

/**
 * The text Twilio signs: the URL exactly as configured, then every POST parameter sorted by name, each
 * as name followed by value (values of a repeated name in sorted order).
 */
export function twilioStringToSign(url: string, params: URLSearchParams): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) byName.set(name, [...(byName.get(name) ?? []), value]);
  const names = [...byName.keys()].sort();
  return url + names.map((name) => byName.get(name)!.sort().map((value) => name + value).join('')).join('');
}

/**
 * The URL with and without its default port: Twilio signs the URL as it was configured, and which of
 * the two that was depends on the console and the client library used (its own validators try both).
 */
function urlVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]+)(.*)$/is.exec(url);
  if (!match) return [url];
  const [, scheme, authority, rest] = match as unknown as [string, string, string, string];
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  const bare = authority.endsWith(`:${defaultPort}`) ? authority.slice(0, -defaultPort.length - 1) : authority;
  // An explicit port other than the default is part of the URL either way.
  const hasOtherPort = /:\d+$/.test(bare) && !bare.endsWith(']');
  if (hasOtherPort) return [url];
  return [...new Set([url, `${scheme}://${bare}${rest}`, `${scheme}://${bare}:${defaultPort}${rest}`])];
}

function verify(request: InboundRequest, source: SourceContext): void {
  const authToken = requireSecret(source.secrets, 'authToken', PROVIDER);
  const signature = request.headers['x-twilio-signature'];
  if (!signature) throw new UnauthorizedError('the X-Twilio-Signature header is missing');
  const params = readForm(request);
  const matches = urlVariants(request.url)
    .map((url) => constantTimeEqual(hmacSha1Base64(authToken, twilioStringToSign(url, params)), signature))
    .some(Boolean);
  if (!matches) {
    throw new UnauthorizedError('the X-Twilio-Signature does not match the URL and parameters of the request');
  }
}

/** Twilio's `Timestamp` (RFC 2822, e.g. "Sun, 25 Mar 2018 09:53:19 +0000") as ISO 8601 UTC. */
function readTimestamp(raw: string | undefined, problems: FieldProblem[]): string | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) {
    problems.push({ field: 'Timestamp', problem: 'is not a date' });
    return undefined;
  }
  return new Date(ms).toISOString();
}

/**
 * Reads a Twilio voice webhook or status callback into one call event. For an inbound call `To` is the
 * number the caller dialled, which is the tracking number.
 */
function parse(request: InboundRequest, source: SourceContext): { kind: 'calls'; calls: CallEvent[]; rejected: FieldProblem[] } {
  const params = readForm(request);
  const problems: FieldProblem[] = [];
  const callSid = formValue(params, 'CallSid');
  if (!callSid) problems.push({ field: 'CallSid', problem: 'is required' });
  else if (callSid.length > 100) problems.push({ field: 'CallSid', problem: 'is longer than 100 characters' });
  const status = formValue(params, 'CallStatus');
  const state = status !== undefined && Object.hasOwn(STATES, status) ? STATES[status] : undefined;
  if (!state) problems.push({ field: 'CallStatus', problem: `must be one of ${Object.keys(STATES).join(', ')}` });
  const directionName = formValue(params, 'Direction');
  const direction = directionName !== undefined && Object.hasOwn(DIRECTIONS, directionName) ? DIRECTIONS[directionName] : undefined;
  if (!direction) problems.push({ field: 'Direction', problem: `must be one of ${Object.keys(DIRECTIONS).join(', ')}` });
  const seqText = formValue(params, 'SequenceNumber');
  const seq = readSeconds(seqText, 'SequenceNumber', problems);
  const occurredAt = readTimestamp(formValue(params, 'Timestamp'), problems);
  const durationSeconds = readSeconds(formValue(params, 'CallDuration'), 'CallDuration', problems);
  const recordingUrl = formValue(params, 'RecordingUrl');
  if (recordingUrl !== undefined && !isHttpUrl(recordingUrl)) problems.push({ field: 'RecordingUrl', problem: 'must be an http or https URL' });
  if (problems.length || !callSid || !state || !direction) {
    throw new ValidationError('the Twilio call notification has invalid or missing fields', problems);
  }

  const token = request.headers['i-twilio-idempotency-token']?.trim();
  const event: CallEvent = {
    provider: PROVIDER,
    callId: callSid,
    // The idempotency token is the same on Twilio's retries of one request and differs between requests.
    eventId: token ? `${callSid}:${token.slice(0, 200)}` : `${callSid}:${status}:${seq ?? '-'}`,
    direction,
    state,
    occurredAt: occurredAt ?? request.receivedAt.toISOString(),
    attribution: {},
    isTest: false,
  };
  if (seq !== undefined) event.seq = seq;
  const from = callPhone(formValue(params, 'From') ?? formValue(params, 'Caller'), source.defaultCountry);
  const to = callPhone(formValue(params, 'To') ?? formValue(params, 'Called'), source.defaultCountry);
  if (from) event.from = from;
  if (to) event.to = to;
  if (direction === 'inbound' && to) event.trackingNumber = to;
  if (durationSeconds !== undefined) event.durationSeconds = durationSeconds;
  if (recordingUrl) event.recordingUrl = recordingUrl;
  return { kind: 'calls', calls: [event], rejected: [] };
}

/** Twilio Programmable Voice: the voice URL's request and status callbacks of a call. */
export const twilioVoiceAdapter: SourceAdapter = {
  provider: PROVIDER,
  ...providerCatalog.twilio,
  accepts: ['application/x-www-form-urlencoded'],
  verify,
  parse,
};
