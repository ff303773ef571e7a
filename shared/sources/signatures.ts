import { createHmac, timingSafeEqual } from 'node:crypto';
import { ClientError, UnauthorizedError } from '../domain/errors.js';

/**
 * Compares two secrets or signatures in time that does not depend on where they differ, so a caller
 * cannot guess a signature byte by byte from response times. Inputs of different lengths are unequal;
 * `timingSafeEqual` itself throws on them, so both sides are first hashed to equal-length digests.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  // Hashing both sides gives equal-length buffers and hides the expected length from timing.
  const leftDigest = createHmac('sha256', 'leadflow-compare').update(left).digest();
  const rightDigest = createHmac('sha256', 'leadflow-compare').update(right).digest();
  return timingSafeEqual(leftDigest, rightDigest) && left.length === right.length;
}

/** HMAC-SHA256 of `payload` under `secret`, lowercase hex: the form most webhook senders put in a header. */
export function hmacHex(secret: string | Buffer, payload: string | Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** HMAC-SHA256 of `payload` under `secret`, standard base64 (Typeform, Shopify and Twilio-style senders). */
export function hmacBase64(secret: string | Buffer, payload: string | Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('base64');
}

/** HMAC-SHA1 of `payload` under `secret`, standard base64 (Twilio's X-Twilio-Signature). */
export function hmacSha1Base64(secret: string | Buffer, payload: string | Buffer): string {
  return createHmac('sha1', secret).update(payload).digest('base64');
}

/**
 * Raw bytes joined with a text prefix, without decoding the body: a signature over
 * `timestamp + ":" + body` must cover the body byte for byte, even when it is not valid UTF-8.
 */
export function prefixed(prefix: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from(prefix, 'utf8'), raw]);
}

/** 403: the request names itself but its credential is wrong (a wrong shared token or key). */
export class ForbiddenError extends ClientError {
  override readonly name = 'ForbiddenError';
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/**
 * Reads the signing secret a source must have, or refuses the request: a source without its secret
 * cannot tell a forged request from a real one, so nothing it receives is accepted.
 */
export function requireSecret(secrets: Record<string, string | undefined>, name: string, provider: string): string {
  const secret = secrets[name];
  if (secret === undefined || secret === '') {
    throw new UnauthorizedError(`the ${provider} source has no ${name} secret configured, so no request can be verified`);
  }
  return secret;
}

/**
 * Checks a sender's timestamp against the time the request arrived, so a captured, validly signed
 * request cannot be replayed later. `sentAtMs` and the tolerance are in milliseconds.
 */
export function assertFresh(sentAtMs: number, receivedAt: Date, toleranceMs: number, provider: string): void {
  if (!Number.isFinite(sentAtMs)) {
    throw new UnauthorizedError(`the ${provider} timestamp is not a number`);
  }
  const skew = Math.abs(receivedAt.getTime() - sentAtMs);
  if (skew > toleranceMs) {
    throw new UnauthorizedError(
      `the ${provider} timestamp is ${Math.round(skew / 1000)} s away from now, more than the ${toleranceMs / 1000} s allowed`,
    );
  }
}

/**
 * Checks a shared secret the sender presents as is (a URL token, an API key header): 401 when it is
 * absent, so the sender knows to add it, 403 when it is present but wrong.
 */
export function assertSharedSecret(presented: string | undefined, expected: string, where: string): void {
  if (presented === undefined || presented === '') {
    throw new UnauthorizedError(`the ${where} is missing`);
  }
  if (!constantTimeEqual(presented, expected)) {
    throw new ForbiddenError(`the ${where} does not match this source's secret`);
  }
}
