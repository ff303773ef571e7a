import { isAttributionKey } from '../domain/attribution.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { Delivery, SourceAdapter, SourceContext } from './adapter.js';
import { formFieldsOf, idempotencyKeyOf, readFormLead } from './form-lead.js';
import { assertSharedSecret, requireSecret } from './signatures.js';
import type { FormFields } from './web-form.js';
import { providerCatalog } from './catalog.js';

/**
 * Tilda keeps the visit's UTMs in its TILDAUTM cookie as `utm_source=x|||utm_medium=y`, URL-encoded, and
 * forwards the page's cookies in a COOKIES field. Read from there only what the form fields lack.
 */
function attributionFromCookies(cookies: string | undefined): FormFields {
  if (!cookies) return [];
  const cookie = cookies
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('TILDAUTM='));
  if (!cookie) return [];
  let decoded: string;
  try {
    decoded = decodeURIComponent(cookie.slice('TILDAUTM='.length));
  } catch {
    return [];
  }
  const fields: FormFields = [];
  for (const pair of decoded.split('|||')) {
    const at = pair.indexOf('=');
    if (at > 0 && isAttributionKey(pair.slice(0, at))) fields.push([pair.slice(0, at), pair.slice(at + 1)]);
  }
  return fields;
}

/** Tilda's connection check: a lone `test=test`, sent when the webhook is added. */
function isConnectionTest(fields: FormFields): boolean {
  return fields.length === 1 && fields[0]?.[0] === 'test' && fields[0][1] === 'test';
}

/**
 * Reads one Tilda submission. `tranid` (Tilda's submission id) becomes the idempotency key, so the two
 * retries Tilda makes when an answer takes over 5 s are one lead; `formid` says which form block sent it.
 */
export function tildaLead(fields: FormFields, source: SourceContext): CanonicalLead {
  const rest: FormFields = [];
  let tranid: string | undefined;
  let formid: string | undefined;
  let cookies: string | undefined;
  for (const [key, value] of fields) {
    const name = key.trim().toLowerCase();
    if (name === 'tranid') tranid ??= value.trim() || undefined;
    else if (name === 'formid') formid ??= value.trim() || undefined;
    // The visitor's cookies are tracking data, not answers; only the UTMs in them are kept.
    else if (name === 'cookies') cookies ??= value;
    else rest.push([key, value]);
  }
  const lead = readFormLead([...rest, ...attributionFromCookies(cookies)], {
    provider: 'tilda',
    defaultCountry: source.defaultCountry,
    keepWithOneContact: true,
  });
  if (tranid) lead.externalIds.tranid = tranid.slice(0, 200);
  if (formid) {
    lead.externalIds.formid = formid.slice(0, 200);
    lead.attribution.formId = formid.slice(0, 200);
  }
  const key = idempotencyKeyOf(tranid);
  if (key) lead.idempotencyKey = key;
  return lead;
}

/**
 * Tilda's "Webhook" form receiver. Tilda signs nothing, so the webhook URL carries a per-source token
 * (`?token=…`) that must match the source's `token` secret.
 */
export const tildaAdapter: SourceAdapter = {
  provider: 'tilda',
  ...providerCatalog.tilda,
  accepts: ['application/x-www-form-urlencoded', 'application/json'],
  verify(request, source) {
    const expected = requireSecret(source.secrets, 'token', 'tilda');
    assertSharedSecret(request.query.token, expected, 'token query parameter');
  },
  parse(request, source): Delivery {
    const fields = formFieldsOf(request);
    if (isConnectionTest(fields)) return { kind: 'reply', statusCode: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' };
    return { kind: 'leads', leads: [tildaLead(fields, source)], rejected: [] };
  },
};
