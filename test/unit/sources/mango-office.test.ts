import { describe, expect, it } from 'vitest';
import { mangoOfficeAdapter, mangoSign } from '../../../shared/sources/mango-office.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { inboundRequest, providerSample } from '../../support/inbound-request.js';
import { clientErrorOf } from './inbound-request.js';

const FORM = 'application/x-www-form-urlencoded';
const KEY = 'dummy_vpbx_api_key';
const SALT = 'dummy_vpbx_api_salt';
const source: SourceContext = { sourceId: 'src-1', defaultCountry: 'RU', secrets: { apiKey: KEY, apiSalt: SALT } };
const computedBody = providerSample('mango-office/events_call_1_appeared__FORM_BODY__COMPUTED.txt').toString('utf8');
const appeared = providerSample('mango-office/events_call_1_appeared__VERBATIM.json').toString('utf8');
const disconnected = providerSample('mango-office/events_call_3_disconnected__VERBATIM.json').toString('utf8');

/** The form Mango posts for one event json string, signed over that exact string. */
function mangoForm(json: string, options: { key?: string; sign?: string } = {}): string {
  const key = options.key ?? KEY;
  return new URLSearchParams({ vpbx_api_key: key, sign: options.sign ?? mangoSign(key, json, SALT), json }).toString();
}

function firstCall(body: string) {
  const delivery = mangoOfficeAdapter.parse(inboundRequest({ body, mediaType: FORM }), source);
  if (delivery.kind !== 'calls') throw new Error(`expected calls, got ${delivery.kind}`);
  return delivery.calls[0]!;
}

describe('mango office adapter: sign', () => {
  it('accepts the computed form body vector, whose json is the verbatim Appeared event', () => {
    expect(new URLSearchParams(computedBody).get('json')).toBe(appeared);
    expect(() => mangoOfficeAdapter.verify(inboundRequest({ body: computedBody, mediaType: FORM }), source)).not.toThrow();
  });

  it('signs the json string exactly as received, so the same event re-serialized does not verify', () => {
    const original = mangoForm(disconnected);
    expect(() => mangoOfficeAdapter.verify(inboundRequest({ body: original, mediaType: FORM }), source)).not.toThrow();
    const reserialized = new URLSearchParams({
      vpbx_api_key: KEY,
      sign: mangoSign(KEY, disconnected, SALT),
      json: JSON.stringify(JSON.parse(disconnected)),
    }).toString();
    expect(clientErrorOf(() => mangoOfficeAdapter.verify(inboundRequest({ body: reserialized, mediaType: FORM }), source)).statusCode).toBe(401);
  });

  it('returns 403 when vpbx_api_key is not the source key', () => {
    const body = mangoForm(appeared, { key: 'someone_else' });
    expect(clientErrorOf(() => mangoOfficeAdapter.verify(inboundRequest({ body, mediaType: FORM }), source)).statusCode).toBe(403);
  });

  it('returns 401 when the sign is wrong or missing', () => {
    const wrong = mangoForm(appeared, { sign: 'ab'.repeat(32) });
    expect(clientErrorOf(() => mangoOfficeAdapter.verify(inboundRequest({ body: wrong, mediaType: FORM }), source)).statusCode).toBe(401);
    const missing = new URLSearchParams({ vpbx_api_key: KEY, json: appeared }).toString();
    expect(clientErrorOf(() => mangoOfficeAdapter.verify(inboundRequest({ body: missing, mediaType: FORM }), source)).statusCode).toBe(401);
  });

  it('returns 401 when the source lacks its salt', () => {
    const request = inboundRequest({ body: computedBody, mediaType: FORM });
    expect(clientErrorOf(() => mangoOfficeAdapter.verify(request, { ...source, secrets: { apiKey: KEY } })).message).toContain('apiSalt');
  });
});

describe('mango office adapter: parsing', () => {
  it('reads the verbatim Appeared event: an extension calling out, seq as a string', () => {
    expect(firstCall(computedBody)).toEqual({
      provider: 'mango_office',
      callId: '232wc3e3w3s222',
      eventId: '232wc3e3w3s222:100:500:256:Appeared:1',
      direction: 'outbound',
      state: 'ringing',
      seq: 1,
      occurredAt: '2014-05-12T15:02:56.000Z',
      agent: '1234',
      attribution: {},
      isTest: false,
    });
  });

  it('reads the verbatim Disconnected event, the extension\'s own number as E.164, the short called number omitted', () => {
    const call = firstCall(mangoForm(disconnected));
    expect(call).toMatchObject({ callId: '232wc3e3w3s222', state: 'missed', seq: 3, from: '+74955404444', agent: '1234', occurredAt: '2014-05-12T15:03:28.000Z' });
    expect(call.to).toBeUndefined();
  });

  it('reads an inbound call to an extension with its line number as the tracking number, seq as a number', () => {
    const json = JSON.stringify({ entry_id: 'E1', call_id: 'C1', timestamp: 1772442245, seq: 2, location: 'abonent', call_state: 'Connected', from: { number: '79161234567' }, to: { extension: '101', line_number: '74951234567' } });
    expect(firstCall(mangoForm(json))).toMatchObject({ direction: 'inbound', state: 'answered', seq: 2, from: '+79161234567', trackingNumber: '+74951234567', agent: '101' });
  });

  it('does not count a call the IVR picked up as answered', () => {
    const json = JSON.stringify({ entry_id: 'E2', seq: '2', location: 'ivr', call_state: 'Connected', from: { number: '79161234567' }, to: { line_number: '74951234567' } });
    expect(firstCall(mangoForm(json)).state).toBe('ringing');
  });

  it('acknowledges and ignores an event of another kind (a call summary) in the same envelope', () => {
    const body = mangoForm(JSON.stringify({ entry_id: 'E3', talk_time: 10 }));
    expect(mangoOfficeAdapter.parse(inboundRequest({ body, mediaType: FORM }), source).kind).toBe('ignored');
  });

  it('returns 400 naming each bad field', () => {
    const body = mangoForm(JSON.stringify({ call_state: 'Ringing', seq: 'x', from: 'nobody' }));
    const error = clientErrorOf(() => mangoOfficeAdapter.parse(inboundRequest({ body, mediaType: FORM }), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field).sort()).toEqual(['call_state', 'entry_id', 'from', 'seq']);
  });

  it('returns 400 when the json field is not JSON', () => {
    const error = clientErrorOf(() => mangoOfficeAdapter.parse(inboundRequest({ body: mangoForm('{ "call_state": '), mediaType: FORM }), source));
    expect(error.fields).toEqual([{ field: 'json', problem: 'is not valid JSON' }]);
  });
});
