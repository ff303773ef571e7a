import { describe, expect, it } from 'vitest';
import { tildaAdapter } from '../../../shared/sources/tilda.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { clientErrorOf, fixture, inboundRequest } from './inbound-request.js';

const source: SourceContext = { sourceId: 'src-tilda', defaultCountry: 'RU', secrets: { token: 'tilda-token-123' } };
const URLENCODED = 'application/x-www-form-urlencoded';

function tildaRequest(raw: Buffer | string, query: Record<string, string> = { token: 'tilda-token-123' }, mediaType = URLENCODED) {
  return inboundRequest({ raw, mediaType, query });
}

describe('tilda adapter: authenticity', () => {
  it('accepts a request whose token query parameter equals the source token', () => {
    expect(() => tildaAdapter.verify(tildaRequest('test=test'), source)).not.toThrow();
  });

  it('returns 401 when the token query parameter is missing', () => {
    const error = clientErrorOf(() => tildaAdapter.verify(tildaRequest('test=test', {}), source));
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain('token query parameter is missing');
  });

  it('returns 403 when the token query parameter is wrong, even by one character or by length', () => {
    for (const token of ['tilda-token-124', 'tilda-token-12', 'tilda-token-1234', 'TILDA-TOKEN-123']) {
      expect(clientErrorOf(() => tildaAdapter.verify(tildaRequest('test=test', { token }), source)).statusCode).toBe(403);
    }
  });

  it('returns 401 when the source has no token configured, so nothing is accepted unauthenticated', () => {
    const error = clientErrorOf(() => tildaAdapter.verify(tildaRequest('test=test'), { ...source, secrets: {} }));
    expect(error.statusCode).toBe(401);
  });
});

describe('tilda adapter: connection test', () => {
  it('answers the documented test=test ping with 200 "ok" and stores nothing', () => {
    const delivery = tildaAdapter.parse(tildaRequest(fixture('tilda/connection_test_ping__DOCUMENTED.txt')), source);
    expect(delivery).toEqual({ kind: 'reply', statusCode: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' });
  });

  it('answers the ping sent as JSON the same way', () => {
    const delivery = tildaAdapter.parse(tildaRequest('{"test":"test"}', undefined, 'application/json'), source);
    expect(delivery.kind).toBe('reply');
  });
});

describe('tilda adapter: submissions', () => {
  it('reads a urlencoded submission with Tilda field names into a lead keyed by tranid', () => {
    const delivery = tildaAdapter.parse(tildaRequest(fixture('tilda/submission_urlencoded__RECONSTRUCTED.txt')), source);
    expect(delivery).toEqual({
      kind: 'leads',
      rejected: [],
      leads: [
        {
          channel: 'web_form',
          provider: 'tilda',
          externalIds: { tranid: '1234567:8901234567', formid: 'form123456789' },
          person: { name: 'Anna Ivanova', email: 'anna@example.ru', phone: '+79161234567' },
          message: 'Перезвоните',
          answers: {},
          // UTM_Campaign holds an unsubstituted macro, so the campaign comes from Tilda's TILDAUTM cookie.
          attribution: {
            utm_source: 'yandex',
            utm_medium: 'cpc',
            utm_campaign: 'spring_sale',
            utm_content: 'banner_a',
            formId: 'form123456789',
          },
          isTest: false,
          idempotencyKey: '1234567:8901234567',
        },
      ],
    });
  });

  it('gives each retry of one submission the same idempotency key', () => {
    const raw = fixture('tilda/submission_urlencoded__RECONSTRUCTED.txt');
    const first = tildaAdapter.parse(tildaRequest(raw), source);
    const retry = tildaAdapter.parse(tildaRequest(Buffer.from(raw)), source);
    expect(first.kind === 'leads' && first.leads[0]?.idempotencyKey).toBe('1234567:8901234567');
    expect(retry).toEqual(first);
  });

  it('reads a JSON submission the same way as a urlencoded one', () => {
    const body = JSON.stringify({ Name: 'Oleg', Phone: '8 916 123-45-67', tranid: '77:1', formid: 'form1', Checkbox: ['a', 'b'] });
    const delivery = tildaAdapter.parse(tildaRequest(body, undefined, 'application/json'), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]).toMatchObject({
      person: { name: 'Oleg', phone: '+79161234567' },
      answers: { Checkbox: 'a, b' },
      externalIds: { tranid: '77:1', formid: 'form1' },
      idempotencyKey: '77:1',
    });
  });

  it('reads "+" as a space and keeps the first of duplicated keys for recognized fields', () => {
    const raw = 'Name=Ivan+Petrov&Name=Someone+Else&Email=ivan%40example.ru&utm_source=vk&utm_source=ok&tranid=1%3A2';
    const delivery = tildaAdapter.parse(tildaRequest(raw), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]).toMatchObject({
      person: { name: 'Ivan Petrov', email: 'ivan@example.ru' },
      attribution: { utm_source: 'vk' },
    });
  });

  it('keeps a lead with a valid email when its phone cannot be read, keeping the phone as written', () => {
    const delivery = tildaAdapter.parse(tildaRequest('Email=a%40b.ru&Phone=12&tranid=9%3A9'), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]?.person).toEqual({ email: 'a@b.ru', phoneRaw: '12' });
  });

  it('returns 400 naming the problem when a submission has no way to reach the person', () => {
    const error = clientErrorOf(() => tildaAdapter.parse(tildaRequest('Name=Nobody&tranid=1%3A1'), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field)).toEqual(['email', 'phone']);
  });

  it('returns 415 for a body that is neither urlencoded nor JSON', () => {
    expect(clientErrorOf(() => tildaAdapter.parse(tildaRequest('x', undefined, 'text/plain'), source)).statusCode).toBe(415);
  });
});
