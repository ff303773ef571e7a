import * as z from 'zod/mini';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import { ClientError, ValidationError } from '../domain/errors.js';
import { normalizeEmail } from '../domain/normalize-email.js';
import { normalizePhone } from '../domain/normalize-phone.js';
import { parseJsonBody } from '../domain/parse-json.js';
import type { InboundRequest } from './adapter.js';
import { contactKindOf, parseWebForm, type FormFields } from './web-form.js';

/** Deeper than any form body nests; deeper input is refused instead of walked. */
const MAX_DEPTH = 8;

export { parseJsonBody };

/**
 * Checks a provider payload against its contract, naming every broken field, so a sender's malformed
 * body is a 400 that says what is wrong rather than a crash further down.
 */
export function parseContract<S extends z.ZodMiniType>(schema: S, value: unknown, what: string, at: string[] = []): z.infer<S> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  throw new ValidationError(
    `the body is not a ${what}`,
    result.error.issues.map((issue) => ({ field: [...at, ...issue.path.map(String)].join('.') || '(body)', problem: issue.message })),
  );
}

/**
 * Turns a JSON object of form fields into key/value pairs. Unlike `fieldsFromJson`, nested objects are
 * read rather than refused (`{"utm": {"source": "x"}}` becomes `utm_source`), because webhook senders
 * cannot be asked to flatten their bodies; a list repeats its key, as a checkbox group does.
 */
export function flattenJsonFields(body: unknown): FormFields {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object of form fields');
  }
  const fields: FormFields = [];
  const walk = (key: string, value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) {
      throw new ValidationError('the body nests too deeply', [{ field: key, problem: `is nested more than ${MAX_DEPTH} levels deep` }]);
    }
    if (value === null || value === undefined) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      fields.push([key, String(value)]);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(key, item, depth + 1);
    } else if (typeof value === 'object') {
      for (const [inner, v] of Object.entries(value)) walk(`${key}_${inner}`, v, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(body)) walk(key, value, 1);
  return fields;
}

/** Reads a urlencoded or JSON body into form fields; any other media type is a 415. */
export function formFieldsOf(request: InboundRequest): FormFields {
  if (request.mediaType === 'application/x-www-form-urlencoded') return [...new URLSearchParams(request.text)];
  if (request.mediaType === 'application/json') return flattenJsonFields(parseJsonBody(request.text));
  throw new ClientError(
    415,
    'unsupported_media_type',
    `a body of type "${request.mediaType || 'none'}" cannot be read here; send application/x-www-form-urlencoded or application/json`,
  );
}

export interface FormLeadOptions {
  provider: string;
  defaultCountry?: string;
  /**
   * Keep a lead that has one usable contact when its other contact is unreadable (the phone goes to
   * `person.phoneRaw`, a bad email to an answer). For machine senders that retry a 400 and cannot fix
   * the input; a person at a form is better told what to correct.
   */
  keepWithOneContact?: boolean;
}

/**
 * Reads form fields into a canonical lead with parseWebForm's normalization, labelled with the
 * provider that sent it.
 */
export function readFormLead(fields: FormFields, options: FormLeadOptions): CanonicalLead {
  let lead: CanonicalLead;
  try {
    lead = parseWebForm(fields, { defaultCountry: options.defaultCountry });
  } catch (error) {
    if (!options.keepWithOneContact || !(error instanceof ValidationError)) throw error;
    lead = readSettingAsideBadContacts(fields, options.defaultCountry, error);
  }
  return { ...lead, provider: options.provider };
}

function readSettingAsideBadContacts(fields: FormFields, defaultCountry: string | undefined, original: ValidationError): CanonicalLead {
  const kept: FormFields = [];
  let phoneRaw: string | undefined;
  let setAside = false;
  for (const [key, value] of fields) {
    const kind = contactKindOf(key);
    const text = value.trim();
    if (kind === 'phone' && text && !normalizePhone(text, defaultCountry)) {
      phoneRaw ??= text.slice(0, 50);
      setAside = true;
    } else if (kind === 'email' && text && !normalizeEmail(text)) {
      // The suffix takes the key out of the alias table, so the value stays visible as an answer.
      kept.push([`${key} (unreadable)`, value]);
      setAside = true;
    } else {
      kept.push([key, value]);
    }
  }
  if (!setAside) throw original;
  let lead: CanonicalLead;
  try {
    lead = parseWebForm(kept, { defaultCountry });
  } catch {
    // No usable contact is left (or something else is wrong too): the first error names every problem.
    throw original;
  }
  if (phoneRaw) lead.person.phoneRaw = phoneRaw;
  return lead;
}

/** A sender's own id for a submission, when it is short enough to serve as an idempotency key. */
export function idempotencyKeyOf(value: string | undefined): string | undefined {
  const key = value?.trim();
  return key && key.length <= 200 ? key : undefined;
}
