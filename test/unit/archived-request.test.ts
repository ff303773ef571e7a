import { describe, expect, it } from 'vitest';
import { rawRequestOf } from '../../shared/intake/bounds.js';
import { inboundRequest, providerSample } from '../support/inbound-request.js';

describe('the archived copy of a webhook request', () => {
  it('keeps no Google Ads google_key: the verbatim sample is archived with the key redacted and stays valid JSON', () => {
    const body = providerSample('google-ads-leadform/docs_testing_page_sample__VERBATIM.json');
    const raw = rawRequestOf(inboundRequest({ body }), { googleKey: 'testkey' });
    expect(raw.body).not.toContain('testkey');
    const archived = JSON.parse(raw.body) as Record<string, unknown>;
    expect(archived.google_key).toBe('[redacted]');
    expect(archived.lead_id).toBe((JSON.parse(body.toString('utf8')) as Record<string, unknown>).lead_id);
  });

  it('redacts a secret sent as a urlencoded field value, in either spelling of a space', () => {
    const secret = 'pa ss&word=1';
    const plus = `name=Ann&key=${encodeURIComponent(secret).replace(/%20/g, '+')}&email=ann%40example.com`;
    const percent = `key=${encodeURIComponent(secret)}&name=Ann`;
    for (const text of [plus, percent]) {
      const raw = rawRequestOf(inboundRequest({ body: text, mediaType: 'application/x-www-form-urlencoded' }), { key: secret });
      expect(new URLSearchParams(raw.body).get('key')).toBe('[redacted]');
      expect(new URLSearchParams(raw.body).get('name')).toBe('Ann');
    }
  });

  it('leaves values that merely contain a short secret alone, so a weak key does not mangle the archive', () => {
    const raw = rawRequestOf(inboundRequest({ body: '{"google_key":"ab","name":"Abby","note":"ab"}' }), { googleKey: 'ab' });
    expect(JSON.parse(raw.body)).toEqual({ google_key: '[redacted]', name: 'Abby', note: '[redacted]' });
  });

  it('archives a body without secrets unchanged', () => {
    const text = '{"name":"Ann","email":"ann@example.com"}';
    expect(rawRequestOf(inboundRequest({ body: text }), {}).body).toBe(text);
  });
});
