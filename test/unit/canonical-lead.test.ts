import { describe, expect, it } from 'vitest';
import { contentFingerprint, type CanonicalLead } from '../../shared/domain/canonical-lead.js';

function lead(overrides: Partial<CanonicalLead> = {}): CanonicalLead {
  return {
    channel: 'web_form',
    provider: 'html_form',
    externalIds: {},
    person: { name: 'Ann Lee', email: 'ann@acme.com', phone: '+16505550123' },
    message: 'Call me',
    answers: { budget: '10k', size: '50' },
    attribution: { utm_source: 'google', utm_campaign: 'spring' },
    isTest: false,
    ...overrides,
  };
}

describe('contentFingerprint', () => {
  it('is a base64url SHA-256 digest', () => {
    expect(contentFingerprint(lead())).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is the same for the same content', () => {
    expect(contentFingerprint(lead())).toBe(contentFingerprint(lead()));
  });

  it('does not depend on the order of keys at any level', () => {
    const reordered: CanonicalLead = {
      isTest: false,
      attribution: { utm_campaign: 'spring', utm_source: 'google' },
      answers: { size: '50', budget: '10k' },
      message: 'Call me',
      person: { phone: '+16505550123', email: 'ann@acme.com', name: 'Ann Lee' },
      externalIds: {},
      provider: 'html_form',
      channel: 'web_form',
    };
    expect(contentFingerprint(reordered)).toBe(contentFingerprint(lead()));
  });

  it('treats a key set to undefined like a missing key', () => {
    const withUndefined = lead({ message: undefined, person: { email: 'ann@acme.com', phone: undefined } });
    const without = lead({ person: { email: 'ann@acme.com' } });
    delete without.message;
    expect(contentFingerprint(withUndefined)).toBe(contentFingerprint(without));
  });

  it('differs when a person field differs', () => {
    const base = contentFingerprint(lead());
    expect(contentFingerprint(lead({ person: { name: 'Ann Lee', email: 'bob@acme.com', phone: '+16505550123' } }))).not.toBe(base);
  });

  it('differs when the message, an answer, the attribution or an external id differs', () => {
    const base = contentFingerprint(lead());
    const variants = [
      lead({ message: 'Call me later' }),
      lead({ answers: { budget: '20k', size: '50' } }),
      lead({ attribution: { utm_source: 'bing', utm_campaign: 'spring' } }),
      lead({ externalIds: { metaLeadId: '123' } }),
    ].map(contentFingerprint);
    expect(new Set([base, ...variants]).size).toBe(5);
  });

  it('does not confuse a value moved from one key to another', () => {
    const a = lead({ answers: { budget: '10k', size: '' } });
    const b = lead({ answers: { budget: '', size: '10k' } });
    expect(contentFingerprint(a)).not.toBe(contentFingerprint(b));
  });

  it('ignores the sender idempotency key, so a retry without it is the same lead', () => {
    expect(contentFingerprint(lead({ idempotencyKey: 'sub-1' }))).toBe(contentFingerprint(lead()));
  });
});
