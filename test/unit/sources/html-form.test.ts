import { describe, expect, it } from 'vitest';
import { createHtmlFormAdapter, htmlFormAdapter, readMultipartFields } from '../../../shared/sources/html-form.js';
import type { SourceContext } from '../../../shared/sources/adapter.js';
import { ClientError } from '../../../shared/domain/errors.js';
import { clientErrorOf, fixture, inboundRequest } from './inbound-request.js';

const KEY = 'form-key-abc';
const source: SourceContext = { sourceId: 'src-html', defaultCountry: 'RU', secrets: { key: KEY } };
const URLENCODED = 'application/x-www-form-urlencoded';

function formRequest(raw: Buffer | string, mediaType = URLENCODED, query: Record<string, string> = { key: KEY }) {
  return inboundRequest({ raw, mediaType, query });
}

async function multipartRequest(form: FormData, query: Record<string, string> = { key: KEY }) {
  const built = new Request('https://hooks.example.com/', { method: 'POST', body: form });
  const contentType = built.headers.get('content-type') ?? '';
  return inboundRequest({
    raw: Buffer.from(await built.arrayBuffer()),
    mediaType: 'multipart/form-data',
    headers: { 'content-type': contentType },
    query,
  });
}

describe('html_form adapter: authenticity', () => {
  it('accepts the source key in ?key= or in an x-api-key header', () => {
    expect(() => htmlFormAdapter.verify(formRequest('a=b'), source)).not.toThrow();
    const header = inboundRequest({ raw: 'a=b', mediaType: URLENCODED, headers: { 'x-api-key': KEY } });
    expect(() => htmlFormAdapter.verify(header, source)).not.toThrow();
  });

  it('returns 401 when no key is given and 403 when the key is wrong', () => {
    expect(clientErrorOf(() => htmlFormAdapter.verify(formRequest('a=b', URLENCODED, {}), source)).statusCode).toBe(401);
    expect(clientErrorOf(() => htmlFormAdapter.verify(formRequest('a=b', URLENCODED, { key: 'form-key-abd' }), source)).statusCode).toBe(403);
    const header = inboundRequest({ raw: 'a=b', mediaType: URLENCODED, headers: { 'x-api-key': 'wrong' } });
    expect(clientErrorOf(() => htmlFormAdapter.verify(header, source)).statusCode).toBe(403);
  });
});

describe('html_form adapter: bodies', () => {
  it('reads a urlencoded post with its quirks: + as space, escapes, duplicated keys, macros, mixed-case UTM keys, a Russian 8 phone', () => {
    const delivery = htmlFormAdapter.parse(formRequest(fixture('html-form/post_urlencoded_quirks__RECONSTRUCTED.txt')), source);
    expect(delivery).toEqual({
      kind: 'leads',
      rejected: [],
      leads: [
        {
          channel: 'web_form',
          provider: 'html_form',
          externalIds: {},
          person: { name: "Jean-Luc O'Brien", email: 'jean+leads@example.com', phone: '+79161234567' },
          message: '50% off? Call me & my team',
          answers: {},
          attribution: {
            utm_source: 'google',
            utm_medium: 'cpc',
            // The field holds an unsubstituted {{campaign.name}} macro, so the page URL's campaign wins.
            utm_campaign: 'spring',
            utm_term: 'crm software',
            gbraid: '0AAAAAoQ1',
            yclid: '8765432109876543210',
            fbclid: 'IwAR0abc',
            landingPage: 'https://acme.example/demo?utm_campaign=spring&utm_term=crm%20software',
          },
          isTest: false,
        },
      ],
    });
  });

  it('reads the fetch JSON variant, flattening its nested utm object into utm_* fields', () => {
    const delivery = htmlFormAdapter.parse(formRequest(fixture('html-form/post_json_fetch_variant__RECONSTRUCTED.json'), 'application/json'), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]).toEqual({
      channel: 'web_form',
      provider: 'html_form',
      externalIds: {},
      person: { name: 'Li Wei', email: 'li.wei@example.cn', phone: '+8613800138000' },
      answers: {
        landing: 'https://example.com/?utm_source=bing&utm_medium=cpc&msclkid=a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
        ts: '1772445600',
      },
      attribution: { utm_source: 'bing', utm_medium: 'cpc', utm_campaign: 'brand', msclkid: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6' },
      isTest: false,
    });
  });

  it('keeps a lead whose honeypot is filled, flagged as _honeypot and without the bait value', () => {
    for (const field of ['website_url', 'hp', '_gotcha', 'Honeypot']) {
      const delivery = htmlFormAdapter.parse(formRequest(`email=bot%40spam.example&${field}=http%3A%2F%2Fspam.example`), source);
      expect(delivery.kind === 'leads' && delivery.leads[0]?.answers).toEqual({ _honeypot: 'filled' });
    }
  });

  it('does not flag a lead whose honeypot is present but empty', () => {
    const delivery = htmlFormAdapter.parse(formRequest('email=a%40b.co&hp=&website_url=+'), source);
    expect(delivery.kind === 'leads' && delivery.leads[0]?.answers).toEqual({});
  });

  it('uses the configured honeypot field instead of the defaults', () => {
    const adapter = createHtmlFormAdapter({ honeypotFields: ['fax_number'] });
    const flagged = adapter.parse(formRequest('email=a%40b.co&fax_number=1'), source);
    expect(flagged.kind === 'leads' && flagged.leads[0]?.answers).toEqual({ _honeypot: 'filled' });
    const unflagged = adapter.parse(formRequest('email=a%40b.co&hp=1'), source);
    expect(unflagged.kind === 'leads' && unflagged.leads[0]?.answers).toEqual({ hp: '1' });
  });

  it('lets an Idempotency-Key header win over an idempotency_key field, as POST /v1/leads does', () => {
    const request = inboundRequest({
      raw: 'email=a%40b.co&idempotency_key=body',
      mediaType: URLENCODED,
      query: { key: KEY },
      headers: { 'idempotency-key': 'header' },
    });
    const delivery = htmlFormAdapter.parse(request, source);
    expect(delivery.kind === 'leads' && delivery.leads[0]?.idempotencyKey).toBe('header');
  });

  it('refuses an invalid phone with 400, since the person at the form can correct it', () => {
    const error = clientErrorOf(() => htmlFormAdapter.parse(formRequest('email=a%40b.co&phone=12'), source));
    expect(error.statusCode).toBe(400);
    expect(error.fields.map((f) => f.field)).toEqual(['phone']);
  });

  it('answers multipart bodies in parse with 415, pointing to parseMultipart', () => {
    const error = clientErrorOf(() => htmlFormAdapter.parse(formRequest('x', 'multipart/form-data'), source));
    expect(error.statusCode).toBe(415);
  });
});

describe('html_form adapter: multipart', () => {
  it('reads a multipart/form-data post, skipping file parts', async () => {
    const form = new FormData();
    form.append('name', 'Ann Lee');
    form.append('phone', '8 (916) 123 45 67');
    form.append('utm_source', 'yandex');
    form.append('cv', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'cv.pdf');
    form.append('_gotcha', '');
    const delivery = await htmlFormAdapter.parseMultipart(await multipartRequest(form), source);
    expect(delivery).toEqual({
      kind: 'leads',
      rejected: [],
      leads: [
        {
          channel: 'web_form',
          provider: 'html_form',
          externalIds: {},
          person: { name: 'Ann Lee', phone: '+79161234567' },
          answers: {},
          attribution: { utm_source: 'yandex' },
          isTest: false,
        },
      ],
    });
  });

  it('returns 400 when the multipart body does not match its boundary', async () => {
    const request = inboundRequest({
      raw: 'not multipart at all',
      mediaType: 'multipart/form-data',
      headers: { 'content-type': 'multipart/form-data; boundary=abc' },
    });
    const error = await readMultipartFields(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).statusCode).toBe(400);
  });
});
