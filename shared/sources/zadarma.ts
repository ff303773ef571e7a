import { createHmac } from 'node:crypto';
import type { CallDirection, CallEvent, CallState } from '../domain/call-event.js';
import { UnauthorizedError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { Delivery, InboundRequest, SourceAdapter, SourceContext } from './adapter.js';
import { callPhone, formValue, readForm, readSeconds } from './call-fields.js';
import { constantTimeEqual, requireSecret } from './signatures.js';
import { ZADARMA_DEFAULT_TIME_ZONE as DEFAULT_TIME_ZONE, providerCatalog } from './catalog.js';

const PROVIDER = 'zadarma';
const MAX_ECHO_LENGTH = 200;

/** The fields whose values, concatenated, Zadarma signs for each notification. */
const SIGNED_FIELDS: Record<string, readonly string[]> = {
  NOTIFY_START: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_INTERNAL: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_END: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_ANSWER: ['caller_id', 'destination', 'call_start'],
  NOTIFY_OUT_START: ['internal', 'destination', 'call_start'],
  NOTIFY_OUT_END: ['internal', 'destination', 'call_start'],
  NOTIFY_RECORD: ['pbx_call_id', 'call_id_with_rec'],
};

/**
 * Zadarma's `Signature`: base64 of PHP's `hash_hmac('sha1', ...)`, which is the 40-character hex
 * digest, so the base64 is of that hex text and not of the raw digest bytes.
 */
export function zadarmaSignature(secret: string, signed: string): string {
  return Buffer.from(createHmac('sha1', secret).update(signed, 'utf8').digest('hex'), 'utf8').toString('base64');
}

/** Answers the GET Zadarma sends when the URL is saved: `?zd_echo=X` must come back as the body. */
function handshake(request: InboundRequest): Delivery {
  const echo = request.query['zd_echo'];
  if (echo === undefined || echo === '') {
    throw new ValidationError('a GET to a Zadarma source must carry zd_echo', [{ field: 'zd_echo', problem: 'is required' }]);
  }
  if (echo.length > MAX_ECHO_LENGTH) {
    throw new ValidationError('the zd_echo value is too long', [{ field: 'zd_echo', problem: `is longer than ${MAX_ECHO_LENGTH} characters` }]);
  }
  return { kind: 'reply', statusCode: 200, contentType: 'text/plain', body: echo };
}

function verify(request: InboundRequest, source: SourceContext): void {
  const secret = requireSecret(source.secrets, 'apiSecret', PROVIDER);
  const signature = request.headers['signature'];
  if (!signature) throw new UnauthorizedError('the Zadarma Signature header is missing');
  const form = readForm(request);
  const eventName = form.get('event') ?? '';
  const fields = Object.hasOwn(SIGNED_FIELDS, eventName) ? SIGNED_FIELDS[eventName] : undefined;
  if (!fields) throw new UnauthorizedError(`leadflow cannot verify a Zadarma "${eventName.slice(0, 40)}" notification`);
  const signed = fields.map((name) => form.get(name) ?? '').join('');
  if (!constantTimeEqual(zadarmaSignature(secret, signed), signature.trim())) {
    throw new UnauthorizedError(`the Zadarma Signature does not match the ${eventName} fields`);
  }
}

/** The offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Reads Zadarma's `call_start` ("2026-03-02 15:04:05", no zone) as a time in the PBX's zone. The zone
 * is the source's `timeZone` setting, Europe/Moscow when unset (Zadarma's default). Returns undefined
 * when the text is not such a time.
 */
export function zadarmaTimeToUtc(text: string, timeZone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  // Two passes settle the offset around a daylight-saving change.
  let utc = wall - zoneOffsetMs(wall, timeZone);
  utc = wall - zoneOffsetMs(utc, timeZone);
  return new Date(utc).toISOString();
}

function timeZoneOf(source: SourceContext): string {
  const zone = source.secrets['timeZone']?.trim() || DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    // The source's configuration is wrong, not the request: this is a server-side error.
    throw new Error(`the Zadarma source's timeZone "${zone}" is not an IANA time zone`);
  }
  return zone;
}

/**
 * Zadarma's `disposition` of an ended call. Ones that say the call reached nobody because of the
 * account or the number (no money, unallocated number, limits) are `failed`.
 */
function endState(disposition: string | undefined): CallState | undefined {
  switch (disposition) {
    case 'answered':
      return 'completed';
    case 'busy':
    case 'cancel':
    case 'no answer':
      return 'missed';
    case undefined:
      return undefined;
    default:
      return 'failed';
  }
}

interface EventShape {
  direction: CallDirection;
  state?: CallState;
  /** Whether `call_start` is when this event happened (the start events) or only when the call began. */
  atStart: boolean;
}

const EVENTS: Record<string, EventShape> = {
  NOTIFY_START: { direction: 'inbound', state: 'ringing', atStart: true },
  NOTIFY_INTERNAL: { direction: 'inbound', state: 'ringing', atStart: false },
  NOTIFY_ANSWER: { direction: 'inbound', state: 'answered', atStart: false },
  NOTIFY_END: { direction: 'inbound', atStart: false },
  NOTIFY_OUT_START: { direction: 'outbound', state: 'ringing', atStart: true },
  NOTIFY_OUT_END: { direction: 'outbound', atStart: false },
};

/**
 * Reads a Zadarma PBX notification into one call event. NOTIFY_RECORD only says a recording can be
 * downloaded through Zadarma's API, which leadflow does not do: it is acknowledged and ignored.
 */
function parse(request: InboundRequest, source: SourceContext): Delivery {
  const form = readForm(request);
  const eventName = formValue(form, 'event') ?? '';
  if (eventName === 'NOTIFY_RECORD') return { kind: 'ignored', reason: 'a Zadarma recording notification' };
  const shape = Object.hasOwn(EVENTS, eventName) ? EVENTS[eventName] : undefined;
  if (!shape) {
    throw new ValidationError('the Zadarma notification is not a call event leadflow reads', [
      { field: 'event', problem: `must be one of ${[...Object.keys(EVENTS), 'NOTIFY_RECORD'].join(', ')}` },
    ]);
  }
  const problems: FieldProblem[] = [];
  const pbxCallId = formValue(form, 'pbx_call_id');
  if (!pbxCallId) problems.push({ field: 'pbx_call_id', problem: 'is required' });
  else if (pbxCallId.length > 200) problems.push({ field: 'pbx_call_id', problem: 'is longer than 200 characters' });
  const callStartText = formValue(form, 'call_start');
  const callStart = callStartText === undefined ? undefined : zadarmaTimeToUtc(callStartText, timeZoneOf(source));
  if (callStartText !== undefined && !callStart) problems.push({ field: 'call_start', problem: 'must be a time like 2026-03-02 15:04:05' });
  const disposition = formValue(form, 'disposition');
  const state = shape.state ?? endState(disposition);
  if (!state) problems.push({ field: 'disposition', problem: 'is required on a call end' });
  const durationSeconds = readSeconds(formValue(form, 'duration'), 'duration', problems);
  if (problems.length || !pbxCallId || !state) {
    throw new ValidationError('the Zadarma notification has invalid or missing fields', problems);
  }

  const internal = formValue(form, 'internal')?.slice(0, 50);
  const extension = internal ?? formValue(form, 'last_internal')?.slice(0, 50);
  const country = source.defaultCountry ?? 'RU';
  const event: CallEvent = {
    provider: PROVIDER,
    callId: pbxCallId,
    // One call rings several extensions, each with its own NOTIFY_INTERNAL.
    eventId: `${pbxCallId}:${eventName}:${internal ?? ''}`,
    direction: shape.direction,
    state,
    occurredAt: shape.atStart && callStart ? callStart : request.receivedAt.toISOString(),
    attribution: {},
    isTest: false,
  };
  if (shape.direction === 'inbound') {
    const from = callPhone(formValue(form, 'caller_id'), country, true);
    const did = callPhone(formValue(form, 'called_did'), country, true);
    if (from) event.from = from;
    if (did) {
      event.to = did;
      event.trackingNumber = did;
    }
    const answeredBy = eventName === 'NOTIFY_ANSWER' ? formValue(form, 'destination')?.slice(0, 50) : extension;
    if (answeredBy) event.agent = answeredBy;
  } else {
    const from = callPhone(formValue(form, 'caller_id'), country, true);
    const to = callPhone(formValue(form, 'destination'), country, true);
    if (from) event.from = from;
    if (to) event.to = to;
    if (extension) event.agent = extension;
  }
  if (durationSeconds !== undefined) event.durationSeconds = durationSeconds;
  return { kind: 'calls', calls: [event], rejected: [] };
}

/** Zadarma virtual PBX: NOTIFY_* call notifications, with the zd_echo check when the URL is saved. */
export const zadarmaAdapter: SourceAdapter = {
  provider: PROVIDER,
  ...providerCatalog.zadarma,
  accepts: ['application/x-www-form-urlencoded'],
  handshake,
  verify,
  parse,
};
