import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Media types a plain `<form method="post">` sends (text/plain forms are not read by leadflow). */
const FORM_MEDIA_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * Errors a visitor's submission can cause, worth sending back to the site with `error=<code>`. Key and
 * origin refusals (401, 403) are the site owner's to fix and stay JSON.
 */
const REDIRECTED_ERRORS = new Set([400, 413, 422]);

/** How a form post ended: a lead captured (or recognized as a repeat), or a client error. */
export type PostOutcome = { leadId: string } | { statusCode: number; code: string; fields?: string[] };

export interface RedirectInput {
  /** The source's `redirectUrl`; without one nothing is redirected. */
  redirectUrl?: string;
  /** The request's media type, lowercase, without parameters. */
  mediaType: string;
  /** The request's Accept header. */
  accept?: string;
  outcome: PostOutcome;
}

/**
 * Where to send a browser after a form post, or undefined to answer as the API does. A form without
 * JavaScript leaves the visitor on whatever the POST answers, so a browser navigation (a form media
 * type, and an Accept that asks for HTML) to a source with a `redirectUrl` goes back to the site:
 * with `lead=<id>` on success, or `error=<code>` (and `fields=` naming the fields at fault) for a
 * problem in the submission. A page's `fetch` sends `Accept: *\/*` and keeps getting JSON.
 */
export function redirectAfterPost(input: RedirectInput): string | undefined {
  if (!input.redirectUrl || !FORM_MEDIA_TYPES.has(input.mediaType)) return undefined;
  if (!/(^|,)\s*text\/html\s*(;|,|$)/i.test(input.accept ?? '')) return undefined;
  let url: URL;
  try {
    url = new URL(input.redirectUrl);
  } catch {
    return undefined;
  }
  const { outcome } = input;
  if ('leadId' in outcome) {
    url.searchParams.set('lead', outcome.leadId);
  } else if (REDIRECTED_ERRORS.has(outcome.statusCode)) {
    url.searchParams.set('error', outcome.code);
    // The fields at fault, so a page without JavaScript can point at them.
    const fields = [...new Set(outcome.fields ?? [])].join(',');
    if (fields) url.searchParams.set('fields', fields.slice(0, 500));
  } else {
    return undefined;
  }
  return url.toString();
}

/** A 303 See Other to `location`, so the browser follows with a GET and a reload does not post again. */
export function seeOther(location: string, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  const href = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    statusCode: 303,
    headers: { ...headers, location, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: `<!doctype html><meta charset="utf-8"><title>Sent</title><p><a href="${href}">Continue</a></p>`,
  };
}
