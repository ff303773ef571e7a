import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { Source } from '../domain/directory.js';
import { parseJsonBody } from '../domain/parse-json.js';
import type { RequestBody } from '../http/body.js';
import { HONEYPOT_ANSWER, separateHoneypot } from '../sources/honeypot.js';
import { readMultipartFields } from '../sources/multipart-fields.js';
import { fieldsFromJson, parseWebForm, type FormFields } from '../sources/web-form.js';
import { captureCanonicalLead, type CaptureLeadDeps } from './capture-lead.js';
import { boundLead } from '../intake/bounds.js';

/** The media types POST /v1/leads reads: a page's fetch (JSON) and plain HTML forms. */
export const WEB_FORM_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Reads the submitted fields of any media type the endpoint accepts. Multipart needs the boundary of
 * the full Content-Type header; its file parts are skipped.
 */
export async function readWebFormFields(body: RequestBody, contentType: string | undefined): Promise<FormFields> {
  if (body.mediaType === 'application/x-www-form-urlencoded') return [...new URLSearchParams(body.text)];
  if (body.mediaType === 'multipart/form-data') {
    return readMultipartFields({ headers: { 'content-type': contentType ?? body.mediaType }, mediaType: body.mediaType, raw: body.raw });
  }
  return fieldsFromJson(parseJsonBody(body.text));
}

/**
 * Turns submitted fields into a web-form lead. The Idempotency-Key header goes first, so it wins over
 * an `idempotency_key` field. Honeypot fields are handled as the html_form adapter handles them: taken
 * out, and a filled one kept as `_honeypot: "filled"` so qualification disqualifies the lead, without
 * telling the bot anything.
 */
export function webFormLead(fields: FormFields, options: { idempotencyKey?: string; defaultCountry?: string }): CanonicalLead {
  const { fields: kept, filled } = separateHoneypot(fields);
  if (options.idempotencyKey) kept.unshift(['idempotency_key', options.idempotencyKey]);
  const lead = parseWebForm(kept, { defaultCountry: options.defaultCountry });
  if (filled) lead.answers[HONEYPOT_ANSWER] = 'filled';
  return lead;
}

/** What of the HTTP request a web-form capture keeps: the body, and headers worth archiving. */
export interface WebFormPost {
  body: RequestBody;
  headers: Record<string, string | undefined>;
  receivedAt: Date;
  sourceIp: string;
}

/**
 * Captures one web-form post for its source: reads the fields, builds the lead and accepts it (durable
 * and announced before this returns). A multipart body is archived with its full Content-Type, whose
 * boundary is needed to read it again.
 */
export async function captureWebFormPost(deps: CaptureLeadDeps, source: Source, post: WebFormPost): Promise<{ leadId: string; duplicate: boolean }> {
  const { body, headers } = post;
  const fields = await readWebFormFields(body, headers['content-type']);
  const lead = webFormLead(fields, { idempotencyKey: headers['idempotency-key'], defaultCountry: source.defaultCountry });
  return captureCanonicalLead(deps, {
    source,
    lead: boundLead(lead),
    receivedAt: post.receivedAt,
    raw: {
      contentType: body.mediaType === 'multipart/form-data' ? (headers['content-type'] ?? body.mediaType) : body.mediaType,
      body: body.text,
      headers: { 'user-agent': headers['user-agent'] ?? '', ...(headers.origin ? { origin: headers.origin } : {}) },
      sourceIp: post.sourceIp,
    },
  });
}
