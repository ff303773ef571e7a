import { describe, expect, it } from 'vitest';
import { extractAttribution, isAttributionKey } from '../../shared/domain/attribution.js';

describe('extractAttribution', () => {
  it('reads UTM parameters and click ids from the submitted fields', () => {
    const fields: Array<[string, string]> = [
      ['utm_source', 'google'],
      ['utm_medium', 'cpc'],
      ['utm_campaign', 'spring'],
      ['utm_term', 'crm software'],
      ['utm_content', 'ad-1'],
      ['gclid', 'Cj0KCQ'],
      ['name', 'Ann'],
    ];
    expect(extractAttribution(fields)).toEqual({
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'spring',
      utm_term: 'crm software',
      utm_content: 'ad-1',
      gclid: 'Cj0KCQ',
    });
  });

  it('reads every supported click id', () => {
    const ids = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'yclid', 'msclkid', 'ttclid'];
    const attribution = extractAttribution(ids.map((k) => [k, `${k}-value`]));
    expect(attribution).toEqual(Object.fromEntries(ids.map((k) => [k, `${k}-value`])));
  });

  it('ignores fields that are not attribution parameters', () => {
    expect(extractAttribution([['utm_foo', 'x'], ['source', 'y'], ['campaign', 'z']])).toEqual({});
  });

  it('prefers the submitted fields over the page URL and the page URL over the referrer', () => {
    const attribution = extractAttribution(
      [['utm_source', 'from-fields']],
      'https://acme.com/landing?utm_source=from-page&utm_medium=page-medium',
      'https://ads.example.com/?utm_source=from-ref&utm_medium=ref-medium&utm_campaign=ref-campaign',
    );
    expect(attribution.utm_source).toBe('from-fields');
    expect(attribution.utm_medium).toBe('page-medium');
    expect(attribution.utm_campaign).toBe('ref-campaign');
  });

  it('falls back to the page URL when the field value is an unsubstituted macro', () => {
    const attribution = extractAttribution(
      [['utm_campaign', '{campaign_id}']],
      'https://acme.com/?utm_campaign=spring',
    );
    expect(attribution.utm_campaign).toBe('spring');
  });

  it('matches keys case- and whitespace-insensitively', () => {
    const attribution = extractAttribution(
      [[' UTM_Source ', 'google'], ['GCLID', 'abc']],
      'https://acme.com/?UTM_MEDIUM=cpc',
    );
    expect(attribution).toMatchObject({ utm_source: 'google', gclid: 'abc', utm_medium: 'cpc' });
  });

  it('drops unsubstituted macros in single braces, double braces and square brackets', () => {
    const attribution = extractAttribution([
      ['utm_campaign', '{campaign_id}'],
      ['utm_content', '{{ad.name}}'],
      ['utm_term', '[keyword]'],
      ['utm_source', '{{ site_source_name }}'],
    ]);
    expect(attribution).toEqual({});
  });

  it('keeps values that merely contain braces among other text', () => {
    const attribution = extractAttribution([['utm_campaign', 'spring_{adset}']]);
    expect(attribution.utm_campaign).toBe('spring_{adset}');
  });

  it('keeps the first usable value of a key given twice, skipping blanks and macros', () => {
    const attribution = extractAttribution([
      ['utm_source', '   '],
      ['utm_source', '{source}'],
      ['utm_source', 'google'],
      ['utm_source', 'bing'],
    ]);
    expect(attribution.utm_source).toBe('google');
  });

  it('treats differently written spellings of one key as the same key, in order', () => {
    const attribution = extractAttribution([
      ['UTM_Source', 'first'],
      ['utm_source', 'second'],
    ]);
    expect(attribution.utm_source).toBe('first');
  });

  it('keeps the first usable value of a key repeated in the page URL', () => {
    const attribution = extractAttribution([], 'https://acme.com/?utm_source=&utm_source=newsletter&utm_source=x');
    expect(attribution.utm_source).toBe('newsletter');
  });

  it('trims values and cuts them to 500 characters', () => {
    const attribution = extractAttribution([
      ['utm_term', '  crm  '],
      ['utm_content', 'x'.repeat(600)],
    ]);
    expect(attribution.utm_term).toBe('crm');
    expect(attribution.utm_content).toBe('x'.repeat(500));
  });

  it('keeps the page URL as landingPage and the referrer as referrer', () => {
    const attribution = extractAttribution(
      [],
      'https://acme.com/landing?utm_source=google',
      'https://www.google.com/',
    );
    expect(attribution).toEqual({
      utm_source: 'google',
      landingPage: 'https://acme.com/landing?utm_source=google',
      referrer: 'https://www.google.com/',
    });
  });

  it('keeps an unparsable page URL as landingPage without reading parameters from it', () => {
    const attribution = extractAttribution([], 'not a url?utm_source=google');
    expect(attribution).toEqual({ landingPage: 'not a url?utm_source=google' });
  });

  it('returns an empty attribution when nothing is given', () => {
    expect(extractAttribution([])).toEqual({});
  });
});

describe('isAttributionKey', () => {
  it('is true for tracked keys however they are cased or padded', () => {
    expect(isAttributionKey('utm_source')).toBe(true);
    expect(isAttributionKey(' UTM_Source ')).toBe(true);
    expect(isAttributionKey('FBCLID')).toBe(true);
  });

  it('is false for answers and for near-misses', () => {
    expect(isAttributionKey('email')).toBe(false);
    expect(isAttributionKey('utm-source')).toBe(false);
    expect(isAttributionKey('landingPage')).toBe(false);
  });
});
