import { createHmac, timingSafeEqual } from 'node:crypto';
import { ClientError } from './errors.js';

/** What an accept link vouches for: this rep may accept this lead for this assignment, until `expiresAt`. */
export interface AcceptClaim {
  leadId: string;
  repId: string;
  /** Which assignment of the lead the link belongs to (1 for the first, 2 after one re-assignment...). */
  assignment: number;
  /** When the link stops working (ISO 8601). */
  expiresAt: string;
}

/** How long an accept link works: long enough for a rep back from a weekend; the SLA itself is enforced on the lead. */
export const ACCEPT_LINK_TTL_MS = 72 * 3_600_000;

/** 403: the token was not made by leadflow with this secret, or was altered. */
export class TamperedLinkError extends ClientError {
  override readonly name = 'TamperedLinkError';
  constructor(message: string) {
    super(403, 'invalid_link', message);
  }
}

/** 410: the token is genuine but its time is up. */
export class ExpiredLinkError extends ClientError {
  override readonly name = 'ExpiredLinkError';
  constructor(message: string) {
    super(410, 'link_expired', message);
  }
}

const VERSION = 'a1';

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`${VERSION}.${payload}`).digest('base64url');
}

/** Compares a presented signature with the expected one in time that does not depend on where they differ. */
function signatureMatches(presented: string, expected: string): boolean {
  // Compared as text, not decoded bytes: base64url decoding ignores stray characters and spare bits.
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Signs an accept link token: `a1.<payload>.<signature>`, the payload a base64url JSON of lead, rep,
 * assignment number and expiry (seconds), the signature HMAC-SHA256 over version and payload. The token
 * fits in a URL path segment as it is, and carries everything needed to check it without a lookup.
 */
export function signAcceptToken(claim: AcceptClaim, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ l: claim.leadId, r: claim.repId, n: claim.assignment, e: Math.floor(Date.parse(claim.expiresAt) / 1000) }),
    'utf8',
  ).toString('base64url');
  return `${VERSION}.${payload}.${mac(secret, payload)}`;
}

/**
 * Checks an accept link token and returns what it vouches for. The signature is checked first (in
 * constant time) so an altered token learns nothing about expiry: altered or foreign → 403, genuine but
 * past its expiry at `now` → 410.
 */
export function verifyAcceptToken(token: string, secret: string, now: Date): AcceptClaim {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) {
    throw new TamperedLinkError('the accept link is malformed; open the link from the notification as it was sent');
  }
  const [, payload, signature] = parts as [string, string, string];
  if (!signatureMatches(signature, mac(secret, payload))) {
    throw new TamperedLinkError('the accept link was not issued by leadflow or has been altered');
  }
  let decoded: { l?: unknown; r?: unknown; n?: unknown; e?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TamperedLinkError('the accept link is malformed; open the link from the notification as it was sent');
  }
  const { l, r, n, e } = decoded;
  if (typeof l !== 'string' || typeof r !== 'string' || !Number.isInteger(n) || !Number.isInteger(e)) {
    throw new TamperedLinkError('the accept link is malformed; open the link from the notification as it was sent');
  }
  const expiresAt = new Date((e as number) * 1000);
  if (now.getTime() >= expiresAt.getTime()) {
    throw new ExpiredLinkError(`the accept link expired at ${expiresAt.toISOString()}; accept the lead from the rep API instead`);
  }
  return { leadId: l, repId: r, assignment: n as number, expiresAt: expiresAt.toISOString() };
}

/** The URL a rep opens to accept: the public API base URL and the token as one path segment. */
export function acceptUrlOf(publicApiUrl: string, token: string): string {
  return `${publicApiUrl.replace(/\/+$/, '')}/v1/accept/${token}`;
}
