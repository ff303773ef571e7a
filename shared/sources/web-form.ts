import type { CanonicalLead } from '../domain/canonical-lead.js';
import { fieldMap } from '../domain/field-map.js';
import { extractAttribution, isAttributionKey } from '../domain/attribution.js';
import { normalizeEmail } from '../domain/normalize-email.js';
import { normalizePhone } from '../domain/normalize-phone.js';
import { ValidationError, type FieldProblem } from '../domain/errors.js';
import type { Person } from '../../events/lead-captured.js';

const MAX_FIELDS = 200;
const MAX_VALUE_LENGTH = 10_000;

/** Field names forms use for the same thing, compared lowercase with spaces, dashes and dots as `_`. */
const ALIASES: Record<string, keyof Recognized> = {
  name: 'name', full_name: 'name', fullname: 'name', your_name: 'name',
  first_name: 'firstName', firstname: 'firstName', given_name: 'firstName',
  last_name: 'lastName', lastname: 'lastName', family_name: 'lastName', surname: 'lastName',
  email: 'email', e_mail: 'email', email_address: 'email', your_email: 'email',
  phone: 'phone', tel: 'phone', telephone: 'phone', phone_number: 'phone', mobile: 'phone', your_phone: 'phone',
  message: 'message', comment: 'message', comments: 'message', your_message: 'message',
  page_url: 'pageUrl', pageurl: 'pageUrl', page: 'pageUrl', landing_page: 'pageUrl', url: 'pageUrl',
  referrer: 'referrer', referer: 'referrer',
  idempotency_key: 'idempotencyKey',
};

interface Recognized {
  name?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  message?: string;
  pageUrl?: string;
  referrer?: string;
  idempotencyKey?: string;
}

/** A submitted form as key/value pairs: what urlencoded bodies give and what JSON bodies are flattened to. */
export type FormFields = Array<[string, string]>;

function aliasOf(key: string): keyof Recognized | undefined {
  const name = key.trim().toLowerCase().replace(/[\s.-]+/g, '_');
  // Own properties only: a field named "constructor" or "toString" is an answer, not an alias.
  return Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
}

/**
 * Which contact a field name carries as parseWebForm reads it, so that webhook adapters can set aside
 * an unreadable second contact without keeping an alias table of their own.
 */
export function contactKindOf(key: string): 'email' | 'phone' | undefined {
  const alias = aliasOf(key);
  return alias === 'email' || alias === 'phone' ? alias : undefined;
}

/**
 * Turns a parsed JSON body into form fields. Values must be scalars or arrays of scalars (a checkbox
 * group); anything nested is a problem named by its key.
 */
export function fieldsFromJson(body: unknown): FormFields {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object of form fields');
  }
  const fields: FormFields = [];
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields.push([key, String(v)]);
      else problems.push({ field: key, problem: 'must be a string, number, boolean or a list of them' });
    }
  }
  if (problems.length) throw new ValidationError('some fields have values leadflow cannot read', problems);
  return fields;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Reads a web-form submission into a canonical lead. Recognized fields (name, email, phone, message,
 * page URL, UTM and click ids) are normalized; every other field is kept as an answer. Throws a
 * `ValidationError` naming every bad field, so one response tells the sender all that is wrong.
 */
export function parseWebForm(fields: FormFields, options: { defaultCountry?: string } = {}): CanonicalLead {
  const problems: FieldProblem[] = [];
  if (fields.length > MAX_FIELDS) {
    throw new ValidationError(`a form may have at most ${MAX_FIELDS} fields, this one has ${fields.length}`);
  }
  const recognized: Recognized = {};
  // A Map, so fields named like Object.prototype members ("__proto__", "toString") stay plain answers.
  const answers = new Map<string, string>();
  for (const [key, raw] of fields) {
    const value = raw.trim();
    if (value.length > MAX_VALUE_LENGTH) {
      problems.push({ field: key, problem: `is longer than ${MAX_VALUE_LENGTH} characters` });
      continue;
    }
    const alias = aliasOf(key);
    if (alias) {
      // A repeated recognized field keeps its first non-empty value.
      if (value && recognized[alias] === undefined) recognized[alias] = value;
    } else if (!isAttributionKey(key) && value) {
      const earlier = answers.get(key);
      answers.set(key, earlier === undefined ? value : `${earlier}, ${value}`);
    }
  }

  const person: Person = {};
  if (recognized.name) person.name = recognized.name.slice(0, 200);
  if (recognized.firstName) person.firstName = recognized.firstName.slice(0, 100);
  if (recognized.lastName) person.lastName = recognized.lastName.slice(0, 100);
  if (!person.name && (person.firstName || person.lastName)) {
    person.name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  }
  if (recognized.email !== undefined) {
    const email = normalizeEmail(recognized.email);
    if (email) person.email = email;
    else problems.push({ field: 'email', problem: `"${recognized.email.slice(0, 100)}" is not an email address` });
  }
  if (recognized.phone !== undefined) {
    const phone = normalizePhone(recognized.phone, options.defaultCountry);
    if (phone) person.phone = phone;
    else problems.push({ field: 'phone', problem: `"${recognized.phone.slice(0, 50)}" is not a valid phone number` });
  }
  if (recognized.email === undefined && recognized.phone === undefined) {
    problems.push({ field: 'email', problem: 'an email or a phone is required to reach the person' });
    problems.push({ field: 'phone', problem: 'an email or a phone is required to reach the person' });
  }
  if (recognized.pageUrl !== undefined && !isHttpUrl(recognized.pageUrl)) {
    problems.push({ field: 'page_url', problem: 'must be an http or https URL' });
  }
  if (recognized.referrer !== undefined && !isHttpUrl(recognized.referrer)) {
    problems.push({ field: 'referrer', problem: 'must be an http or https URL' });
  }
  if (recognized.idempotencyKey !== undefined && recognized.idempotencyKey.length > 200) {
    problems.push({ field: 'idempotency_key', problem: 'must be at most 200 characters' });
  }
  if (problems.length) throw new ValidationError('the lead has invalid or missing fields', problems);

  const lead: CanonicalLead = {
    channel: 'web_form',
    provider: 'html_form',
    externalIds: {},
    person,
    answers: fieldMap(answers),
    attribution: extractAttribution(fields, recognized.pageUrl, recognized.referrer),
    isTest: false,
  };
  if (recognized.message) lead.message = recognized.message;
  if (recognized.idempotencyKey) lead.idempotencyKey = recognized.idempotencyKey;
  return lead;
}

/**
 * The largest plain form body leadflow takes, on `POST /v1/leads` and `/v1/hooks/html_form/*` alike
 * (one limit for one job): the archived request holds the body and the parsed lead (DynamoDB items stop
 * at 400 KB), and Lead Captured carries the lead (EventBridge entries stop at 256 KB). No form needs more.
 */
export const PLAIN_FORM_MAX_BYTES = 131_072;
