import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../shared/domain/normalize-phone.js';

describe('normalizePhone', () => {
  it('reads a Russian number written with the national trunk prefix 8 when the default country is RU', () => {
    expect(normalizePhone('8 916 123-45-67', 'RU')).toBe('+79161234567');
  });

  it('accepts the default country in lowercase', () => {
    expect(normalizePhone('8 916 123-45-67', 'ru')).toBe('+79161234567');
  });

  it('reads an international number with brackets and dashes without a default country', () => {
    expect(normalizePhone('+7 (999) 123-45-67')).toBe('+79991234567');
  });

  it('reads a US number written with the leading 1 and dashes when the default country is US', () => {
    expect(normalizePhone('1-650-555-0123', 'US')).toBe('+16505550123');
  });

  it('strips the "p:" prefix Meta puts before phone answers, in either case', () => {
    expect(normalizePhone('p:+16505550123')).toBe('+16505550123');
    expect(normalizePhone('P:+16505550123')).toBe('+16505550123');
  });

  it('rejects the Meta sample p:+15551234567 because 555 is not a US area code', () => {
    expect(normalizePhone('p:+15551234567')).toBeUndefined();
  });

  it('treats a leading 00 as the international call prefix', () => {
    expect(normalizePhone('0044 20 7946 0958')).toBe('+442079460958');
  });

  it('lets a leading 00 override the default country', () => {
    expect(normalizePhone('00 44 20 7946 0958', 'US')).toBe('+442079460958');
  });

  it('lets a number with its own country code override the default country', () => {
    expect(normalizePhone('+44 20 7946 0958', 'US')).toBe('+442079460958');
  });

  it('accepts a phone sent as a JSON number', () => {
    expect(normalizePhone(16505550123, 'US')).toBe('+16505550123');
  });

  it('trims surrounding whitespace before parsing', () => {
    expect(normalizePhone('   +1 650 555 0123 \n')).toBe('+16505550123');
  });

  it('returns undefined for text that is not a phone number', () => {
    expect(normalizePhone('call me maybe', 'US')).toBeUndefined();
    expect(normalizePhone('garbage')).toBeUndefined();
  });

  it('returns undefined for a number too short to be valid', () => {
    expect(normalizePhone('12345', 'US')).toBeUndefined();
    expect(normalizePhone('+7 916 12')).toBeUndefined();
  });

  it('returns undefined for a number too long to be valid', () => {
    expect(normalizePhone('+7 916 123 45 67 89')).toBeUndefined();
  });

  it('returns undefined for an empty string', () => {
    expect(normalizePhone('', 'US')).toBeUndefined();
  });

  it('returns undefined for a national number when no default country is given', () => {
    expect(normalizePhone('(650) 555-0123')).toBeUndefined();
    expect(normalizePhone('(650) 555-0123', 'US')).toBe('+16505550123');
  });

  it('returns undefined rather than throwing for an unknown default country', () => {
    expect(normalizePhone('020 7946 0958', 'UK')).toBeUndefined();
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
  });
});
