import { describe, expect, it } from 'vitest';
import { redactUrl, withoutUrl } from '../../shared/notify/redact-url.js';
import { DeliveryError, postWebhook } from '../../shared/notify/webhook.js';

describe('redactUrl', () => {
  it('drops user info and every query value, keeping the host, path and query names', () => {
    expect(redactUrl('http://user:pass@hooks.example.com/hook?token=s3cret&a=1')).toBe('http://hooks.example.com/hook?token=…&a=…');
  });

  it('says so rather than echoing a URL it cannot parse', () => {
    expect(redactUrl('not a url with pass')).not.toContain('pass');
  });

  it('redacts a URL inside a message, as fetch quotes it', () => {
    const url = 'http://user:pass@host.example/hook?token=abc';
    expect(withoutUrl(`Request cannot be constructed from a URL that includes credentials: ${url}`, url)).not.toMatch(/pass|abc/);
  });
});

describe('postWebhook to a URL with credentials', () => {
  it('fails for good without the credentials or the query values in its message', async () => {
    const error = await postWebhook('http://user:pass@127.0.0.1:9/hook?token=abc', {}, { timeoutMs: 500, idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(false);
    expect((error as DeliveryError).message).not.toMatch(/user|pass|abc/);
  });
});
