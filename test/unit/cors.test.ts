import { describe, expect, it } from 'vitest';
import { answerPreflight, CORS_ALLOW_HEADERS, corsHeaders, decideOrigin } from '../../shared/http/cors.js';

const SITE = 'https://www.example.com';

describe('decideOrigin', () => {
  it('leaves requests without an Origin alone, whatever the source allows', () => {
    expect(decideOrigin(undefined, undefined)).toEqual({ kind: 'no-origin' });
    expect(decideOrigin('  ', [SITE])).toEqual({ kind: 'no-origin' });
  });

  it('allows an origin the source lists, compared case-insensitively', () => {
    expect(decideOrigin(SITE, ['https://shop.example.com', SITE])).toEqual({ kind: 'allowed', origin: SITE });
    expect(decideOrigin('https://WWW.Example.com', [SITE])).toEqual({ kind: 'allowed', origin: 'https://WWW.Example.com' });
  });

  it('denies an origin that differs in scheme, port or subdomain from every listed one', () => {
    for (const origin of ['http://www.example.com', 'https://www.example.com:8443', 'https://example.com', 'https://www.example.com.evil.io']) {
      expect(decideOrigin(origin, [SITE])).toEqual({ kind: 'denied', origin });
    }
  });

  it('denies every browser origin for a source that lists none', () => {
    expect(decideOrigin(SITE, undefined)).toEqual({ kind: 'denied', origin: SITE });
    expect(decideOrigin(SITE, [])).toEqual({ kind: 'denied', origin: SITE });
  });

  it('allows any origin, the opaque "null" one included, only for a source that lists *', () => {
    expect(decideOrigin('https://anywhere.io', ['*'])).toEqual({ kind: 'allowed', origin: 'https://anywhere.io' });
    expect(decideOrigin('null', ['*'])).toEqual({ kind: 'allowed', origin: 'null' });
    expect(decideOrigin('null', [SITE])).toEqual({ kind: 'denied', origin: 'null' });
  });
});

describe('corsHeaders', () => {
  it('echoes an allowed origin with Vary: Origin and never allows credentials', () => {
    const headers = corsHeaders({ kind: 'allowed', origin: SITE });
    expect(headers).toEqual({ 'access-control-allow-origin': SITE, vary: 'Origin' });
    expect(headers).not.toHaveProperty('access-control-allow-credentials');
  });

  it('gives a denied origin only Vary: Origin, and a request without Origin nothing', () => {
    expect(corsHeaders({ kind: 'denied', origin: SITE })).toEqual({ vary: 'Origin' });
    expect(corsHeaders({ kind: 'no-origin' })).toEqual({});
  });
});

describe('answerPreflight', () => {
  const preflight = { origin: SITE, requestMethod: 'POST' };

  it('answers 204 with the allowed origin, POST, the four request headers, a max age and Vary', () => {
    expect(answerPreflight(preflight, [SITE])).toEqual({
      statusCode: 204,
      headers: {
        allow: 'OPTIONS, POST',
        'access-control-allow-origin': SITE,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': CORS_ALLOW_HEADERS,
        'access-control-max-age': '600',
        vary: 'Origin',
      },
    });
    expect(CORS_ALLOW_HEADERS.split(', ').sort()).toEqual(['authorization', 'content-type', 'idempotency-key', 'x-api-key']);
  });

  it('refuses with 403 naming the origin, and no CORS headers, when the known source does not allow it', () => {
    const answer = answerPreflight({ origin: 'https://evil.io', requestMethod: 'POST' }, [SITE]);
    expect(answer.statusCode).toBe(403);
    expect(answer.denied).toContain('https://evil.io');
    expect(answer.headers).not.toHaveProperty('access-control-allow-origin');
    expect(answerPreflight(preflight, undefined).statusCode).toBe(403);
  });

  it('lets any origin through when the source is unknown, leaving the POST to enforce its origins', () => {
    const answer = answerPreflight({ origin: 'https://evil.io', requestMethod: 'POST' }, 'unknown');
    expect(answer.statusCode).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('https://evil.io');
  });

  it('answers an OPTIONS that is not a preflight with a plain 204 naming the methods', () => {
    expect(answerPreflight({ origin: SITE }, [SITE])).toEqual({ statusCode: 204, headers: { allow: 'OPTIONS, POST' } });
    expect(answerPreflight({ requestMethod: 'POST' }, 'unknown')).toEqual({ statusCode: 204, headers: { allow: 'OPTIONS, POST' } });
  });
});
