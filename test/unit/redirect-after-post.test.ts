import { describe, expect, it } from 'vitest';
import { redirectAfterPost, seeOther, type RedirectInput } from '../../shared/intake/redirect-after-post.js';

const NAVIGATION_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const browserPost = (overrides: Partial<RedirectInput> = {}): RedirectInput => ({
  redirectUrl: 'https://www.example.com/thanks',
  mediaType: 'application/x-www-form-urlencoded',
  accept: NAVIGATION_ACCEPT,
  outcome: { leadId: '01JLEAD' },
  ...overrides,
});

describe('redirectAfterPost', () => {
  it('sends a browser form post back to the redirect URL with the lead id', () => {
    expect(redirectAfterPost(browserPost())).toBe('https://www.example.com/thanks?lead=01JLEAD');
    expect(redirectAfterPost(browserPost({ mediaType: 'multipart/form-data' }))).toBe('https://www.example.com/thanks?lead=01JLEAD');
  });

  it('keeps the redirect URL\'s own query and fragment', () => {
    expect(redirectAfterPost(browserPost({ redirectUrl: 'https://www.example.com/t?lang=de#form' }))).toBe('https://www.example.com/t?lang=de&lead=01JLEAD#form');
  });

  it('sends a refused submission back with its error code and the fields at fault', () => {
    const outcome = { statusCode: 400, code: 'invalid_request', fields: ['email', 'phone', 'email'] };
    expect(redirectAfterPost(browserPost({ outcome }))).toBe('https://www.example.com/thanks?error=invalid_request&fields=email%2Cphone');
    expect(redirectAfterPost(browserPost({ outcome: { statusCode: 413, code: 'payload_too_large' } }))).toBe('https://www.example.com/thanks?error=payload_too_large');
  });

  it('keeps key, origin and server problems as API answers', () => {
    for (const statusCode of [401, 403, 429, 500]) {
      expect(redirectAfterPost(browserPost({ outcome: { statusCode, code: 'x' } }))).toBeUndefined();
    }
  });

  it('does not redirect a page\'s fetch, a JSON post, or a source without a redirect URL', () => {
    expect(redirectAfterPost(browserPost({ accept: '*/*' }))).toBeUndefined();
    expect(redirectAfterPost(browserPost({ accept: undefined }))).toBeUndefined();
    expect(redirectAfterPost(browserPost({ accept: 'application/json, text/htmlx' }))).toBeUndefined();
    expect(redirectAfterPost(browserPost({ mediaType: 'application/json' }))).toBeUndefined();
    expect(redirectAfterPost(browserPost({ redirectUrl: undefined }))).toBeUndefined();
    expect(redirectAfterPost(browserPost({ redirectUrl: 'not a url' }))).toBeUndefined();
  });

  it('recognizes text/html anywhere in Accept, with parameters and any case', () => {
    expect(redirectAfterPost(browserPost({ accept: 'application/xhtml+xml, Text/HTML;q=0.9' }))).toBeDefined();
  });
});

describe('seeOther', () => {
  it('answers 303 with the location, merged headers, no caching and an escaped link for old browsers', () => {
    const answer = seeOther('https://x.io/t?a=1&b="<x>"', { vary: 'Origin' });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers).toMatchObject({ location: 'https://x.io/t?a=1&b="<x>"', vary: 'Origin', 'cache-control': 'no-store' });
    expect(answer.body).toContain('href="https://x.io/t?a=1&amp;b=&quot;&lt;x&gt;&quot;"');
  });
});
