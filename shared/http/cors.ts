/**
 * CORS for endpoints that web pages post to directly. leadflow sends no cookies and reads no
 * credentials from the browser (keys travel in headers or `?key=`), so an allowed origin is simply
 * echoed back, never with `Access-Control-Allow-Credentials`.
 */

/** The headers a page's `fetch` may send: the body type, a key, and an idempotency key. */
export const CORS_ALLOW_HEADERS = 'content-type, authorization, x-api-key, idempotency-key';
export const CORS_ALLOW_METHODS = 'POST';
/** Ten minutes: Chromium caps a cached preflight at 2 hours anyway, and origins change rarely. */
export const CORS_MAX_AGE_SECONDS = 600;

/** What a request's `Origin` means for a source. */
export type OriginDecision =
  /** No Origin header: not a browser's cross-origin request (a server, curl, a webhook); CORS does not apply. */
  | { kind: 'no-origin' }
  | { kind: 'allowed'; origin: string }
  | { kind: 'denied'; origin: string };

/**
 * Decides whether a browser origin may post to a source. Only origins the source lists are allowed
 * (exactly, as browsers serialize them: scheme, host, non-default port), or any origin when it lists
 * `*`. A source that lists none allows no browser origin: a key that sits in a page's HTML is public,
 * so the origin list is what keeps other sites from posting leads with it. An opaque origin (`null`,
 * from sandboxed frames and `file:` pages) is allowed only by `*`.
 */
export function decideOrigin(origin: string | undefined, allowedOrigins: readonly string[] | undefined): OriginDecision {
  const presented = origin?.trim();
  if (!presented) return { kind: 'no-origin' };
  const allowed = allowedOrigins ?? [];
  if (allowed.includes('*')) return { kind: 'allowed', origin: presented };
  const normalized = presented.toLowerCase();
  const listed = allowed.some((entry) => entry.trim().toLowerCase() === normalized);
  return { kind: listed ? 'allowed' : 'denied', origin: presented };
}

/**
 * The headers an answer to a browser carries for an origin decision. An allowed origin is echoed;
 * `Vary: Origin` goes on every answer to a request that had an Origin, so that a cache never serves
 * one origin's answer to another.
 */
export function corsHeaders(decision: OriginDecision): Record<string, string> {
  if (decision.kind === 'no-origin') return {};
  if (decision.kind === 'denied') return { vary: 'Origin' };
  return { 'access-control-allow-origin': decision.origin, vary: 'Origin' };
}

/** What the browser asked in a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`). */
export interface PreflightRequest {
  origin?: string;
  requestMethod?: string;
}

/** How to answer a preflight: a status and headers; a denial also says why, for the body. */
export interface PreflightAnswer {
  statusCode: 204 | 403;
  headers: Record<string, string>;
  denied?: string;
}

/**
 * Answers a CORS preflight. A preflight carries no credentials, so the source is known only when the
 * page put its key in the URL (`?key=`): then its allowed origins decide, and a disallowed origin gets
 * 403 without CORS headers. When the source is unknown (`allowedOrigins` is `'unknown'`), the origin
 * is let through: the POST that follows carries the key, is checked against the source's origins,
 * and is refused (403, nothing stored) there. An OPTIONS that is not a preflight gets a plain 204
 * naming the methods.
 */
export function answerPreflight(request: PreflightRequest, allowedOrigins: readonly string[] | undefined | 'unknown'): PreflightAnswer {
  const allow = { allow: `OPTIONS, ${CORS_ALLOW_METHODS}` };
  if (!request.origin?.trim() || !request.requestMethod?.trim()) return { statusCode: 204, headers: allow };
  const decision: OriginDecision =
    allowedOrigins === 'unknown' ? { kind: 'allowed', origin: request.origin.trim() } : decideOrigin(request.origin, allowedOrigins);
  if (decision.kind !== 'allowed') {
    return { statusCode: 403, headers: { ...allow, ...corsHeaders(decision) }, denied: `origin ${request.origin.trim()} may not post to this source` };
  }
  return {
    statusCode: 204,
    headers: {
      ...allow,
      ...corsHeaders(decision),
      'access-control-allow-methods': CORS_ALLOW_METHODS,
      'access-control-allow-headers': CORS_ALLOW_HEADERS,
      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    },
  };
}
