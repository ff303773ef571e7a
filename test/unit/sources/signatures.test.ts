import { describe, expect, it } from 'vitest';
import { assertFresh, assertSharedSecret, constantTimeEqual, hmacBase64, hmacHex, prefixed } from '../../../shared/sources/signatures.js';
import { clientErrorOf } from './inbound-request.js';

describe('signature helpers', () => {
  it('compares equal strings and buffers as equal, and any difference in content or length as unequal', () => {
    expect(constantTimeEqual('abc', Buffer.from('abc'))).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  it('computes HMAC-SHA256 as in RFC 4231 test case 2', () => {
    expect(hmacHex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(hmacBase64('Jefe', 'what do ya want for nothing?')).toBe(
      Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString('base64'),
    );
  });

  it('prefixes raw bytes without decoding them, so invalid UTF-8 is signed as sent', () => {
    expect(prefixed('1:', Buffer.from([0xff, 0xfe]))).toEqual(Buffer.from([0x31, 0x3a, 0xff, 0xfe]));
  });

  it('returns 401 for a missing shared secret and 403 for a wrong one', () => {
    expect(clientErrorOf(() => assertSharedSecret(undefined, 's', 'key')).statusCode).toBe(401);
    expect(clientErrorOf(() => assertSharedSecret('t', 's', 'key')).statusCode).toBe(403);
    expect(() => assertSharedSecret('s', 's', 'key')).not.toThrow();
  });

  it('returns 401 for a timestamp outside the tolerance either way, and for one that is not a number', () => {
    const now = new Date(1_000_000);
    expect(() => assertFresh(1_000_000 - 5_000, now, 5_000, 'x')).not.toThrow();
    expect(clientErrorOf(() => assertFresh(1_000_000 - 5_001, now, 5_000, 'x')).statusCode).toBe(401);
    expect(clientErrorOf(() => assertFresh(1_000_000 + 5_001, now, 5_000, 'x')).statusCode).toBe(401);
    expect(clientErrorOf(() => assertFresh(Number.NaN, now, 5_000, 'x')).statusCode).toBe(401);
  });
});
