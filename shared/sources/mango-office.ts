import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { CallDirection, CallEvent, CallState } from '../domain/call-event.js';
import { UnauthorizedError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { InboundRequest, SourceAdapter, SourceContext } from './adapter.js';
import { callPhone, problemsFromIssues, readForm } from './call-fields.js';
import { constantTimeEqual, ForbiddenError, requireSecret } from './signatures.js';
import { providerCatalog } from './catalog.js';

const PROVIDER = 'mango_office';

/** Mango's documentation writes `seq` and `timestamp` as strings; the API may send numbers. */
const stringOrNumber = z.union([z.string(), z.number()], { error: 'must be a string or a number' });
const optionalText = z.optional(z.nullable(z.union([z.string(), z.number()], { error: 'must be a string' })));

const partySchema = z.looseObject({
  extension: optionalText,
  number: optionalText,
  /** The business's number (DID) the call came in on. */
  line_number: optionalText,
});

/** A Mango Office VPBX call event (`/events/call`), the JSON inside the form's `json` field. */
export const mangoCallEventSchema = z.looseObject({
  entry_id: z.string({ error: 'must be a string' }).check(z.minLength(1, { error: 'must not be empty' }), z.maxLength(200, { error: 'is longer than 200 characters' })),
  call_id: z.optional(z.string({ error: 'must be a string' })),
  timestamp: z.optional(stringOrNumber),
  seq: z.optional(stringOrNumber),
  call_state: z.enum(['Appeared', 'Connected', 'OnHold', 'Disconnected'], { error: 'must be Appeared, Connected, OnHold or Disconnected' }),
  location: z.optional(z.string({ error: 'must be a string' })),
  from: z.optional(partySchema),
  to: z.optional(partySchema),
  disconnect_reason: optionalText,
});
type MangoParty = z.infer<typeof partySchema>;

/** The sign Mango puts on an event: lowercase hex SHA-256 of api key + the json string + api salt. */
export function mangoSign(apiKey: string, json: string, apiSalt: string): string {
  return createHash('sha256').update(apiKey + json + apiSalt, 'utf8').digest('hex');
}

function verify(request: InboundRequest, source: SourceContext): void {
  const apiKey = requireSecret(source.secrets, 'apiKey', PROVIDER);
  const apiSalt = requireSecret(source.secrets, 'apiSalt', PROVIDER);
  const form = readForm(request);
  const key = form.get('vpbx_api_key');
  const sign = form.get('sign');
  const json = form.get('json');
  if (key === null || sign === null || json === null) {
    throw new UnauthorizedError('a Mango Office event must carry vpbx_api_key, sign and json fields');
  }
  if (!constantTimeEqual(key, apiKey)) throw new ForbiddenError('the vpbx_api_key is not the API key of this source');
  // Over the json field exactly as sent: re-serializing would change spacing and break the sign.
  if (!constantTimeEqual(mangoSign(apiKey, json, apiSalt), sign.trim().toLowerCase())) {
    throw new UnauthorizedError('the Mango Office sign does not match the api key, json and salt');
  }
}

function digitsField(value: string | number | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const textValue = String(value).trim();
  return textValue ? textValue.slice(0, 50) : undefined;
}

/** A Mango number: digits without `+`, Russian ones starting with 7 (`74955404444`). */
function partyPhone(party: MangoParty | undefined, defaultCountry: string | undefined): string | undefined {
  return callPhone(digitsField(party?.number), defaultCountry ?? 'RU', true);
}

function readInteger(raw: unknown, field: string, problems: FieldProblem[]): number | undefined {
  if (raw === undefined) return undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d{1,15}\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) {
    problems.push({ field, problem: 'must be a whole number, 0 or more' });
    return undefined;
  }
  return value;
}

/**
 * Mango's call states as leadflow's. A call the IVR or a queue picked up is not yet answered by a
 * person, so Connected counts as answered only at an employee (`location: abonent`). Disconnected says
 * only that the call ended: it is `missed` here, and the call record makes it `completed` when an
 * earlier event showed the call answered.
 */
function stateOf(callState: 'Appeared' | 'Connected' | 'OnHold' | 'Disconnected', location: string | undefined): CallState {
  switch (callState) {
    case 'Appeared':
      return 'ringing';
    case 'Connected':
      return location === undefined || location === 'abonent' ? 'answered' : 'ringing';
    case 'OnHold':
      return 'answered';
    case 'Disconnected':
      return 'missed';
  }
}

/** Reads a Mango Office VPBX call event (Appeared, Connected, OnHold, Disconnected). */
function parse(request: InboundRequest, source: SourceContext): { kind: 'calls'; calls: CallEvent[]; rejected: FieldProblem[] } | { kind: 'ignored'; reason: string } {
  const json = readForm(request).get('json');
  if (json === null) throw new ValidationError('the Mango Office event has no json field', [{ field: 'json', problem: 'is required' }]);
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    throw new ValidationError('the Mango Office json field is not valid JSON', [{ field: 'json', problem: 'is not valid JSON' }]);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('the Mango Office json field must be a JSON object', [{ field: 'json', problem: 'must be a JSON object' }]);
  }
  // Summary and recording events reuse the envelope; they carry no call_state.
  if (!('call_state' in body)) return { kind: 'ignored', reason: 'a Mango Office event other than a call state change' };
  const result = mangoCallEventSchema.safeParse(body);
  const problems: FieldProblem[] = result.success ? [] : problemsFromIssues(result.error.issues);
  // Read apart from the schema too, so one answer names every bad field.
  const raw = body as Record<string, unknown>;
  const seq = readInteger(raw['seq'], 'seq', problems);
  const timestamp = readInteger(raw['timestamp'], 'timestamp', problems);
  if (timestamp !== undefined && timestamp > 8_000_000_000) problems.push({ field: 'timestamp', problem: 'must be unix seconds' });
  if (!result.success || problems.length) {
    const unique = problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i);
    throw new ValidationError('the Mango Office call event has invalid fields', unique);
  }
  const call = result.data;

  const fromExtension = digitsField(call.from?.extension);
  const toExtension = digitsField(call.to?.extension);
  const direction: CallDirection = fromExtension && toExtension ? 'internal' : fromExtension ? 'outbound' : 'inbound';
  const state = stateOf(call.call_state, call.location);
  const legId = call.call_id ?? '';
  const event: CallEvent = {
    provider: PROVIDER,
    // entry_id spans the whole call, transfers included; call_id names one leg of it.
    callId: call.entry_id,
    eventId: `${call.entry_id}:${legId}:${call.call_state}:${seq ?? '-'}`,
    direction,
    state,
    occurredAt: timestamp === undefined ? request.receivedAt.toISOString() : new Date(timestamp * 1000).toISOString(),
    attribution: {},
    isTest: false,
  };
  if (seq !== undefined) event.seq = seq;
  const from = partyPhone(call.from, source.defaultCountry);
  const to = partyPhone(call.to, source.defaultCountry);
  if (from) event.from = from;
  if (to) event.to = to;
  const line = callPhone(digitsField(call.to?.line_number), source.defaultCountry ?? 'RU', true);
  if (direction === 'inbound' && line) event.trackingNumber = line;
  const agent = direction === 'outbound' ? fromExtension : toExtension;
  if (agent) event.agent = agent;
  return { kind: 'calls', calls: [event], rejected: [] };
}

/** Mango Office virtual PBX: call events posted to `<base URL>/events/call`. */
export const mangoOfficeAdapter: SourceAdapter = {
  provider: PROVIDER,
  ...providerCatalog.mango_office,
  accepts: ['application/x-www-form-urlencoded'],
  verify,
  parse,
};
