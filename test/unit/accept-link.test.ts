import { describe, expect, it } from 'vitest';
import {
  acceptUrlOf,
  ExpiredLinkError,
  signAcceptToken,
  TamperedLinkError,
  verifyAcceptToken,
  type AcceptClaim,
} from '../../shared/domain/accept-link.js';
import { acceptLinkConfig, parseConfig } from '../../shared/aws/config.js';

const SECRET = 'k'.repeat(40);
const claim: AcceptClaim = { leadId: '01HLEAD', repId: 'alice', assignment: 2, expiresAt: '2026-03-01T12:00:00.000Z' };
const before = new Date('2026-03-01T11:59:59.000Z');

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('accept links', () => {
  it('returns the signed lead, rep, assignment and expiry for a genuine token before it expires', () => {
    const token = signAcceptToken(claim, SECRET);
    expect(verifyAcceptToken(token, SECRET, before)).toEqual(claim);
  });

  it('makes a token that needs no escaping in a URL path segment', () => {
    const token = signAcceptToken({ ...claim, repId: 'rep with spaces/and slash' }, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(acceptUrlOf('http://127.0.0.1:3000/', token)).toBe(`http://127.0.0.1:3000/v1/accept/${token}`);
  });

  it('answers 410 once the controlled clock reaches the expiry, and not a second earlier', () => {
    const token = signAcceptToken(claim, SECRET);
    expect(() => verifyAcceptToken(token, SECRET, before)).not.toThrow();
    const error = thrown(() => verifyAcceptToken(token, SECRET, new Date(claim.expiresAt)));
    expect(error).toBeInstanceOf(ExpiredLinkError);
    expect((error as ExpiredLinkError).statusCode).toBe(410);
    expect((error as Error).message).toContain('2026-03-01T12:00:00.000Z');
  });

  it('answers 403 when the payload is changed to another rep, even with the original signature', () => {
    const [version, , signature] = signAcceptToken(claim, SECRET).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ l: claim.leadId, r: 'mallory', n: 2, e: 1_900_000_000 })).toString('base64url');
    const error = thrown(() => verifyAcceptToken(`${version}.${forgedPayload}.${signature}`, SECRET, before));
    expect(error).toBeInstanceOf(TamperedLinkError);
    expect((error as TamperedLinkError).statusCode).toBe(403);
  });

  it('answers 403 for a token signed with another secret', () => {
    const token = signAcceptToken(claim, 'x'.repeat(40));
    expect(thrown(() => verifyAcceptToken(token, SECRET, before))).toBeInstanceOf(TamperedLinkError);
  });

  it('answers 403, not 410, for an altered token that has also expired, so forgery learns nothing about time', () => {
    const token = signAcceptToken(claim, SECRET);
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(thrown(() => verifyAcceptToken(altered, SECRET, new Date('2030-01-01T00:00:00Z')))).toBeInstanceOf(TamperedLinkError);
  });

  it('answers 403 for every single-character change of the signature', () => {
    const token = signAcceptToken(claim, SECRET);
    const cut = token.lastIndexOf('.') + 1;
    for (let i = cut; i < token.length; i++) {
      const altered = `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
      expect(thrown(() => verifyAcceptToken(altered, SECRET, before)), `position ${i}`).toBeInstanceOf(TamperedLinkError);
    }
  });

  it('answers 403 for malformed tokens', () => {
    for (const token of ['', 'abc', 'a1..', 'a2.e30.sig', `${signAcceptToken(claim, SECRET)}.extra`]) {
      expect(thrown(() => verifyAcceptToken(token, SECRET, before)), token).toBeInstanceOf(TamperedLinkError);
    }
  });
});

describe('accept link configuration', () => {
  const base = { TABLE_NAME: 't', EVENT_BUS_NAME: 'b' };

  it('names both variables when a function that signs links has neither', () => {
    const message = (thrown(() => acceptLinkConfig(parseConfig(base))) as Error).message;
    expect(message).toContain('LINK_SIGNING_SECRET is required');
    expect(message).toContain('PUBLIC_API_URL is required');
  });

  it('refuses a signing secret shorter than 32 characters and a public URL that is not http(s)', () => {
    const message = (thrown(() => parseConfig({ ...base, LINK_SIGNING_SECRET: 'short', PUBLIC_API_URL: 'ftp://x' })) as Error).message;
    expect(message).toContain('LINK_SIGNING_SECRET must be at least 32 characters, not 5');
    expect(message).toContain('PUBLIC_API_URL must be an http(s) URL');
  });

  it('hands back the secret and URL when both are set', () => {
    const config = parseConfig({ ...base, LINK_SIGNING_SECRET: SECRET, PUBLIC_API_URL: 'https://api.example.com' });
    expect(acceptLinkConfig(config)).toEqual({ secret: SECRET, publicApiUrl: 'https://api.example.com' });
  });
});
