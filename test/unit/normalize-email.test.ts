import { describe, expect, it } from 'vitest';
import { isFreeEmail, normalizeEmail } from '../../shared/domain/normalize-email.js';

describe('normalizeEmail', () => {
  it('trims and lowercases an address', () => {
    expect(normalizeEmail('  Ann.Lee@Example.COM \t')).toBe('ann.lee@example.com');
  });

  it('keeps plus tags and multi-label domains', () => {
    expect(normalizeEmail('ann+leads@mail.example.co.uk')).toBe('ann+leads@mail.example.co.uk');
  });

  it('returns undefined when there is no @ or nothing on one side of it', () => {
    expect(normalizeEmail('ann.example.com')).toBeUndefined();
    expect(normalizeEmail('ann@')).toBeUndefined();
    expect(normalizeEmail('@example.com')).toBeUndefined();
  });

  it('returns undefined when the domain has no dot', () => {
    expect(normalizeEmail('ann@localhost')).toBeUndefined();
  });

  it('returns undefined for two @ signs or a space inside the address', () => {
    expect(normalizeEmail('ann@@example.com')).toBeUndefined();
    expect(normalizeEmail('ann@work@example.com')).toBeUndefined();
    expect(normalizeEmail('ann lee@example.com')).toBeUndefined();
  });

  it('returns undefined for empty domain labels', () => {
    expect(normalizeEmail('ann@example..com')).toBeUndefined();
    expect(normalizeEmail('ann@.example.com')).toBeUndefined();
    expect(normalizeEmail('ann@example.com.')).toBeUndefined();
  });

  it('returns undefined for an empty or blank string', () => {
    expect(normalizeEmail('')).toBeUndefined();
    expect(normalizeEmail('   ')).toBeUndefined();
  });

  it('accepts an address of exactly 254 characters and rejects one of 255', () => {
    const at254 = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;
    const at255 = `${'a'.repeat(64)}@${'b'.repeat(186)}.com`;
    expect(at254).toHaveLength(254);
    expect(normalizeEmail(at254)).toBe(at254);
    expect(normalizeEmail(at255)).toBeUndefined();
  });

  it('measures the length after trimming', () => {
    const at254 = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;
    expect(normalizeEmail(`   ${at254}   `)).toBe(at254);
  });
});

describe('isFreeEmail', () => {
  it('recognizes consumer mailbox providers', () => {
    expect(isFreeEmail('ann@gmail.com')).toBe(true);
    expect(isFreeEmail('ann@yandex.ru')).toBe(true);
    expect(isFreeEmail('ann@proton.me')).toBe(true);
  });

  it('treats a company domain as not free', () => {
    expect(isFreeEmail('ann@acme.com')).toBe(false);
    expect(isFreeEmail('ann@gmail.com.acme.io')).toBe(false);
  });

  it('compares the whole domain, so a subdomain of a free provider is not free', () => {
    expect(isFreeEmail('ann@mail.gmail.com')).toBe(false);
  });

  it('looks only at the part after the last @', () => {
    expect(isFreeEmail('"gmail.com@x"@acme.com')).toBe(false);
    expect(isFreeEmail('acme.com@gmail.com')).toBe(true);
  });
});
