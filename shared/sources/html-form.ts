import { ClientError } from '../domain/errors.js';
import type { Delivery, InboundRequest, SourceAdapter, SourceContext } from './adapter.js';
import { formFieldsOf, readFormLead } from './form-lead.js';
import { DEFAULT_HONEYPOT_FIELDS, HONEYPOT_ANSWER, separateHoneypot } from './honeypot.js';
import { readMultipartFields } from './multipart-fields.js';
import { PREVIOUS_KEY, PREVIOUS_KEY_UNTIL } from './key-rotation.js';
import { assertSharedSecret, constantTimeEqual, requireSecret } from './signatures.js';
import { PLAIN_FORM_MAX_BYTES, type FormFields } from './web-form.js';
import { providerCatalog } from './catalog.js';

export { DEFAULT_HONEYPOT_FIELDS } from './honeypot.js';
export { readMultipartFields } from './multipart-fields.js';

export interface HtmlFormOptions {
  /** Fields that a person never sees, so a value in them marks a bot; compared case-insensitively. */
  honeypotFields?: readonly string[];
}

/** The HTML form adapter, with the async multipart path its sync `parse` cannot take. */
export interface HtmlFormAdapter extends SourceAdapter {
  /** Reads a multipart/form-data request (`parse` answers those with 415). */
  parseMultipart(request: InboundRequest, source: SourceContext): Promise<Delivery>;
}

/**
 * A plain HTML form (or a page's fetch call) posting to leadflow directly, authenticated by the source's
 * key in `?key=` or an `x-api-key` header. A filled honeypot does not reject the submission, which
 * would tell the bot what to change: the lead is kept with `_honeypot: "filled"` among its answers and
 * qualification disqualifies it.
 */
export function createHtmlFormAdapter(options: HtmlFormOptions = {}): HtmlFormAdapter {
  const honeypots = options.honeypotFields ?? DEFAULT_HONEYPOT_FIELDS;

  const leadsOf = (fields: FormFields, request: InboundRequest, source: SourceContext): Delivery => {
    const { fields: kept, filled } = separateHoneypot(fields, honeypots);
    // As on POST /v1/leads, the Idempotency-Key header goes first, so it wins over a body field.
    const headerKey = request.headers['idempotency-key'];
    if (headerKey) kept.unshift(['idempotency_key', headerKey]);
    const lead = readFormLead(kept, { provider: 'html_form', defaultCountry: source.defaultCountry });
    if (filled) lead.answers[HONEYPOT_ANSWER] = 'filled';
    return { kind: 'leads', leads: [lead], rejected: [] };
  };

  return {
    provider: 'html_form',
    ...providerCatalog.html_form,
    accepts: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
    // The limit POST /v1/leads has: the same plain form may be posted to either.
    maxBytes: PLAIN_FORM_MAX_BYTES,
    verify(request, source) {
      const expected = requireSecret(source.secrets, 'key', 'html_form');
      const presented = request.query.key || request.headers['x-api-key'];
      // During a rotation the replaced key keeps working until the end of the overlap the admin chose.
      const previous = source.secrets[PREVIOUS_KEY];
      const until = Date.parse(source.secrets[PREVIOUS_KEY_UNTIL] ?? '');
      if (previous && presented && until > request.receivedAt.getTime() && constantTimeEqual(presented, previous)) return;
      assertSharedSecret(presented, expected, 'key (?key= or x-api-key header)');
    },
    parse(request, source) {
      if (request.mediaType === 'multipart/form-data') {
        throw new ClientError(415, 'unsupported_media_type', 'multipart bodies are read by parseMultipart, not parse');
      }
      return leadsOf(formFieldsOf(request), request, source);
    },
    async parseMultipart(request, source) {
      return leadsOf(await readMultipartFields(request), request, source);
    },
  };
}

/** The HTML form adapter with the default honeypot field names. */
export const htmlFormAdapter = createHtmlFormAdapter();
