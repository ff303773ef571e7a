import { describe, expect, it } from 'vitest';
import { campaignOf, isDirect, marketingChannelOf } from '../../shared/domain/touch-channel.js';

describe('the marketing channel of a touch', () => {
  it('names the platform of a click id first, whatever the UTM tags say', () => {
    expect(marketingChannelOf({ channel: 'web_form', attribution: { gclid: 'x', utm_source: 'newsletter' } })).toBe('google_ads');
    expect(marketingChannelOf({ channel: 'web_form', attribution: { fbclid: 'x' } })).toBe('meta');
    expect(marketingChannelOf({ channel: 'web_form', attribution: { yclid: 'x' } })).toBe('yandex_direct');
  });

  it('names an ad-form provider\'s platform, and ad forms are never direct', () => {
    const touch = { channel: 'ad_form', provider: 'meta_lead_ads', attribution: { campaignId: '120' } };
    expect(marketingChannelOf(touch)).toBe('meta');
    expect(isDirect(touch)).toBe(false);
    expect(campaignOf(touch)).toBe('120');
  });

  it('takes a known utm_source with a paid medium as its platform, other sources as written', () => {
    expect(marketingChannelOf({ channel: 'web_form', attribution: { utm_source: 'Google', utm_medium: 'CPC' } })).toBe('google_ads');
    expect(marketingChannelOf({ channel: 'web_form', attribution: { utm_source: 'google', utm_medium: 'organic' } })).toBe('google');
    expect(marketingChannelOf({ channel: 'web_form', attribution: { utm_source: ' Spring  News ' } })).toBe('spring_news');
  });

  it('calls a touch with only a referrer referral, and one with nothing direct', () => {
    expect(marketingChannelOf({ channel: 'web_form', attribution: { referrer: 'https://blog.example/' } })).toBe('referral');
    expect(marketingChannelOf({ channel: 'phone' })).toBe('direct');
    expect(isDirect({ channel: 'phone' })).toBe(true);
    expect(isDirect({ channel: 'web_form', attribution: { landingPage: 'https://shop.example/' } })).toBe(true);
    expect(isDirect({ channel: 'web_form', attribution: { referrer: 'https://blog.example/' } })).toBe(false);
  });

  it('normalizes the campaign name as spend matching does', () => {
    expect(campaignOf({ channel: 'web_form', attribution: { utm_campaign: '  Winter   SALE ' } })).toBe('winter sale');
    expect(campaignOf({ channel: 'web_form' })).toBe('-');
  });
});
