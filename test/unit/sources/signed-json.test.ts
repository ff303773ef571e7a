import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedJsonAdapter } from '../../../shared/sources/signed-json.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { clientErrorOf, inboundRequest } from './inbound-request.js';

const SECRET = 'signed-json-secret';
const NOW = new Date('2026-03-02T10:00:00Z');
const NOW_S = String(NOW.getTime() / 1000);
const source: SourceContext = { sourceId: 'src-json', defaultCountry: 'RU', secrets: { secret: SECRET } };

function signature(timestamp: string, raw: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
}

function signed(raw: string, timestamp = NOW_S, secret = SECRET) {
  return inboundRequest({
    raw,
    receivedAt: NOW,
    headers: { 'x-leadflow-timestamp': timestamp, 'x-leadflow-signature': signature(timestamp, raw, secret) },
  });
}

describe('signed_json adapter: authenticity', () => {
  const body = '{"name":"Ann","email":"ann@example.com"}';

  it('accepts a request signed over timestamp "." raw body', () => {
    expect(() => signedJsonAdapter.verify(signed(body), source)).not.toThrow();
  });

  it('returns 401 when the signature does not match the raw body', () => {
    const request = signed(body);
    const tampered = { ...request, raw: Buffer.from(body.replace('Ann', 'Eve')) };
    expect(clientErrorOf(() => signedJsonAdapter.verify(tampered, source)).statusCode).toBe(401);
  });

  it('returns 401 when signed with another secret or with the timestamp left out', () => {
    expect(clientErrorOf(() => signedJsonAdapter.verify(signed(body, NOW_S, 'other'), source)).statusCode).toBe(401);
    const withoutTimestamp = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const request = inboundRequest({
      raw: body,
      receivedAt: NOW,
      headers: { 'x-leadflow-timestamp': NOW_S, 'x-leadflow-signature': withoutTimestamp },
    });
    expect(clientErrorOf(() => signedJsonAdapter.verify(request, source)).statusCode).toBe(401);
  });

  it('returns 401 for a replay more than 300 seconds old or ahead, and accepts one at exactly 300', () => {
    const at = (offset: number) => String(NOW.getTime() / 1000 + offset);
    expect(() => signedJsonAdapter.verify(signed(body, at(-300)), source)).not.toThrow();
    expect(clientErrorOf(() => signedJsonAdapter.verify(signed(body, at(-301)), source)).statusCode).toBe(401);
    expect(clientErrorOf(() => signedJsonAdapter.verify(signed(body, at(301)), source)).statusCode).toBe(401);
  });

  it('returns 401 naming the header that is missing or malformed', () => {
    const noSignature = inboundRequest({ raw: body, receivedAt: NOW, headers: { 'x-leadflow-timestamp': NOW_S } });
    expect(clientErrorOf(() => signedJsonAdapter.verify(noSignature, source)).message).toContain('X-Leadflow-Signature');
    const noTimestamp = inboundRequest({ raw: body, receivedAt: NOW, headers: { 'x-leadflow-signature': signature(NOW_S, body) } });
    expect(clientErrorOf(() => signedJsonAdapter.verify(noTimestamp, source)).message).toContain('X-Leadflow-Timestamp');
    const millis = signed(body, String(NOW.getTime()));
    expect(clientErrorOf(() => signedJsonAdapter.verify(millis, source)).statusCode).toBe(401);
  });
});

describe('signed_json adapter: bodies', () => {
  it('reads one JSON object of form fields into a lead, with event_id as its idempotency key', () => {
    const raw = JSON.stringify({
      event_id: 'wp-123',
      name: 'Ann Lee',
      phone: '8 916 123-45-67',
      email: 'ANN@example.com',
      utm_source: 'google',
      budget: 5000,
    });
    expect(signedJsonAdapter.parse(signed(raw), source)).toEqual({
      kind: 'leads',
      rejected: [],
      leads: [
        {
          channel: 'web_form',
          provider: 'signed_json',
          externalIds: {},
          person: { name: 'Ann Lee', email: 'ann@example.com', phone: '+79161234567' },
          answers: { budget: '5000' },
          attribution: { utm_source: 'google' },
          isTest: false,
          idempotencyKey: 'wp-123',
        },
      ],
    });
  });

  it('prefers an explicit idempotency_key over event_id', () => {
    const raw = JSON.stringify({ event_id: 'e', idempotency_key: 'k', email: 'a@b.co' });
    const delivery = signedJsonAdapter.parse(signed(raw), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]?.idempotencyKey).toBe('k');
  });

  it('accepts the good items of a batch and names each bad one in rejected', () => {
    const raw = JSON.stringify({
      event_id: 'batch-7',
      leads: [{ email: 'a@b.co' }, { name: 'no contact' }, 'not an object', { phone: '+16505550123', idempotency_key: 'own' }],
    });
    const delivery = signedJsonAdapter.parse(signed(raw), source);
    expect(delivery.kind).toBe('leads');
    if (delivery.kind !== 'leads') return;
    expect(delivery.leads.map((l) => [l.person, l.idempotencyKey])).toEqual([
      [{ email: 'a@b.co' }, 'batch-7:0'],
      [{ phone: '+16505550123' }, 'own'],
    ]);
    expect(delivery.rejected).toEqual([
      { field: 'leads[1].email', problem: 'an email or a phone is required to reach the person' },
      { field: 'leads[1].phone', problem: 'an email or a phone is required to reach the person' },
      { field: 'leads[2]', problem: 'the body must be a JSON object of form fields' },
    ]);
  });

  it('returns 400 when no item of a batch can be read, or the batch is empty', () => {
    const none = clientErrorOf(() => signedJsonAdapter.parse(signed('{"leads":[{"name":"x"}]}'), source));
    expect(none.statusCode).toBe(400);
    expect(none.fields[0]?.field).toBe('leads[0].email');
    expect(clientErrorOf(() => signedJsonAdapter.parse(signed('{"leads":[]}'), source)).statusCode).toBe(400);
  });

  it('returns 400 for a batch of more than 100 leads', () => {
    const raw = JSON.stringify({ leads: Array.from({ length: 101 }, (_, i) => ({ email: `a${i}@b.co` })) });
    expect(clientErrorOf(() => signedJsonAdapter.parse(signed(raw), source)).statusCode).toBe(400);
  });

  it('strictly refuses a single lead with an invalid email, telling the integrator which field', () => {
    const error = clientErrorOf(() => signedJsonAdapter.parse(signed('{"email":"nope","phone":"+16505550123"}'), source));
    expect(error.fields).toEqual([{ field: 'email', problem: '"nope" is not an email address' }]);
  });
});
