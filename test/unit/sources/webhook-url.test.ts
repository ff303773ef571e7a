import { describe, expect, it } from 'vitest';
import { webhookUrlOf } from '../../../shared/sources/source-config.js';

describe('the webhook URL to paste into a provider console', () => {
  it('carries a token with URL-special characters so that the URL hands the same token back', () => {
    const token = 'tok+en&x=1#frag %/?';
    const url = new URL(webhookUrlOf('https://api.example.com/', { sourceId: 'tilda-1', provider: 'tilda' }, { token }));
    expect(url.pathname).toBe('/v1/hooks/tilda/tilda-1');
    expect(url.searchParams.get('token')).toBe(token);
    expect([...url.searchParams.keys()]).toEqual(['token']);
    expect(url.hash).toBe('');
  });

  it("puts a plain form's key in ?key= and TikTok's token in ?token=", () => {
    expect(webhookUrlOf('http://127.0.0.1:3100', { sourceId: 'f', provider: 'html_form' }, { key: 'k_1' })).toBe('http://127.0.0.1:3100/v1/hooks/html_form/f?key=k_1');
    expect(webhookUrlOf('http://127.0.0.1:3100', { sourceId: 't', provider: 'tiktok' }, { token: 'abc' })).toBe('http://127.0.0.1:3100/v1/hooks/tiktok/t?token=abc');
  });

  it('names the parameter to fill in when the token is no longer known, and adds none for signing providers', () => {
    expect(webhookUrlOf('https://api.example.com', { sourceId: 'tl', provider: 'tilda' })).toBe('https://api.example.com/v1/hooks/tilda/tl?token=<token>');
    expect(webhookUrlOf('https://api.example.com', { sourceId: 'm', provider: 'meta_lead_ads' }, { verifyToken: 'v' })).toBe('https://api.example.com/v1/hooks/meta_lead_ads/m');
  });
});
