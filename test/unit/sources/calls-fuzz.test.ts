import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../shared/domain/errors.js';
import type { Delivery, InboundRequest, SourceContext } from '../../../shared/sources/adapter.js';
import { callAdapters } from '../../../shared/sources/calls.js';

const source: SourceContext = {
  sourceId: 'src-1',
  defaultCountry: 'RU',
  secrets: { authToken: 't', signingToken: 't', apiKey: 'k', apiSalt: 's', apiSecret: 't', signingSecret: 't' },
};

const FIELD_NAMES = [
  'CallSid', 'CallStatus', 'Direction', 'From', 'To', 'CallDuration', 'SequenceNumber', 'Timestamp', 'RecordingUrl',
  'vpbx_api_key', 'sign', 'json', 'event', 'pbx_call_id', 'call_start', 'caller_id', 'called_did', 'internal',
  'destination', 'disposition', 'duration', 'zd_echo',
];
const JSON_KEYS = [
  'callId', 'eventId', 'direction', 'state', 'seq', 'occurredAt', 'from', 'to', 'trackingNumber', 'durationSeconds',
  'recordingUrl', 'resource_id', 'id', 'answered', 'duration', 'customer_phone_number', 'tracking_phone_number',
  'start_time', 'recording', 'utm_source', 'landing_page_url', 'entry_id', 'call_state', 'timestamp', '__proto__', 'constructor',
];
const VALUES = fc.oneof(
  fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom('inbound', 'outbound', 'ringing', 'completed', 'Appeared', 'NOTIFY_END', 'answered', '+79161234567', '2026-03-02 15:04:05', '2026-03-02T12:00:00Z', 'https://x.example/r'),
);
const jsonBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...JSON_KEYS), fc.oneof(VALUES, fc.jsonValue()), { maxKeys: 12 }).map((o) => JSON.stringify(o)),
  fc.json(),
);
const formBody = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom(...FIELD_NAMES), fc.oneof(fc.string(), VALUES.map(String), jsonBody)), { maxLength: 12 })
    .map((pairs) => new URLSearchParams(pairs).toString()),
  fc.string(),
);
const bodies = fc.oneof(jsonBody.map((s) => Buffer.from(s)), formBody.map((s) => Buffer.from(s)), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)));
const headers = fc.dictionary(
  fc.constantFrom('x-twilio-signature', 'signature', 'x-leadflow-timestamp', 'x-leadflow-signature', 'i-twilio-idempotency-token', 'content-type'),
  fc.oneof(fc.string(), fc.constantFrom('1772452800', 'sha256=00', '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')),
);
const query = fc.dictionary(fc.constantFrom('zd_echo', 'foo'), fc.string({ maxLength: 300 }));

function requestOf(method: string, raw: Buffer, hdrs: Record<string, string>, q: Record<string, string>): InboundRequest {
  return {
    method,
    url: `https://hooks.example.com/v1/hooks/x/src-1?${new URLSearchParams(q).toString()}`,
    headers: hdrs,
    query: q,
    mediaType: 'application/x-www-form-urlencoded',
    raw,
    text: raw.toString('utf8'),
    receivedAt: new Date('2026-03-02T12:00:00Z'),
  };
}

/** Runs one adapter step: it must return a delivery or throw a ClientError with a 4xx status. */
function delivery(step: () => Delivery | void): void {
  try {
    const result = step();
    if (result !== undefined) expect(['reply', 'calls', 'ignored']).toContain(result.kind);
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    const status = (error as ClientError).statusCode;
    expect(status >= 400 && status < 500).toBe(true);
  }
}

describe('call adapters under arbitrary input', () => {
  it.each(callAdapters.map((a) => [a.provider, a] as const))('%s returns a delivery or a 4xx ClientError, never anything else', (_name, adapter) => {
    fc.assert(
      fc.property(bodies, headers, query, (raw, hdrs, q) => {
        const post = requestOf('POST', raw, hdrs, q);
        delivery(() => adapter.verify(post, source));
        // Parsing runs as if verification had passed: the parser must stand on its own against forgeries.
        delivery(() => adapter.parse(post, source));
        if (adapter.handshake) delivery(() => adapter.handshake!(requestOf('GET', Buffer.alloc(0), hdrs, q), source));
      }),
      { numRuns: 400 },
    );
  });

  it('every adapter is in the calls family on the phone channel, with a unique provider name', () => {
    expect(new Set(callAdapters.map((a) => a.provider)).size).toBe(callAdapters.length);
    for (const adapter of callAdapters) expect([adapter.family, adapter.channel]).toEqual(['calls', 'phone']);
  });
});
