import type { $ZodIssue } from 'zod/v4/core';
import { normalizePhone } from '../domain/normalize-phone.js';
import { ValidationError, type FieldProblem } from '../domain/errors.js';
import type { InboundRequest } from './adapter.js';

/** A form with more fields than this is not a telephony notification (Twilio sends about 40). */
const MAX_FORM_FIELDS = 300;

/**
 * Reads a form-urlencoded body into its decoded fields. Signatures of form senders (Twilio, Zadarma,
 * Mango) are over the decoded values, so these are what verification uses too.
 */
export function readForm(request: InboundRequest): URLSearchParams {
  const params = new URLSearchParams(request.text);
  let count = 0;
  for (const _ of params.keys()) {
    if (++count > MAX_FORM_FIELDS) throw new ValidationError(`the form has more than ${MAX_FORM_FIELDS} fields`);
  }
  return params;
}

/** The first value of a form field, or undefined when it is absent or blank. */
export function formValue(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value.trim() === '' ? undefined : value.trim();
}

/**
 * Normalizes a number a telephony provider sent to E.164. Russian-market PBXs (Mango, Zadarma) write
 * international numbers as digits without the `+` (`74951234567`), so with `digitsAreInternational`
 * those are read as international first, then in the source's country (which also reads a domestic
 * `8 495 ...`). Returns undefined for extensions, hidden numbers and anything not a valid number.
 */
export function callPhone(raw: string | number | undefined | null, defaultCountry: string | undefined, digitsAreInternational = false): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw).trim();
  if (!text || text.length > 40) return undefined;
  if (digitsAreInternational && /^\d{10,15}$/.test(text)) {
    const international = normalizePhone(`+${text}`);
    if (international) return international;
  }
  return normalizePhone(text, defaultCountry);
}

/** Reads a count of seconds sent as a number or a string of digits; undefined when absent. */
export function readSeconds(raw: unknown, field: string, problems: FieldProblem[]): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d{1,9}\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) {
    problems.push({ field, problem: 'must be a whole number of seconds, 0 or more' });
    return undefined;
  }
  return value;
}

/** True for an absolute http or https URL, the only kind of recording link worth keeping. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Turns zod issues into field problems a sender can act on, one per issue, named by its path. */
export function problemsFromIssues(issues: readonly $ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue) => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, problem: 'is not a field leadflow knows' }));
    }
    return [{ field: at || '(body)', problem: issue.message }];
  });
}

/** Parses a JSON body, or throws a 400 saying it is not JSON. */
export function readJson(request: InboundRequest, provider: string): unknown {
  try {
    return JSON.parse(request.text);
  } catch {
    throw new ValidationError(`the ${provider} body is not valid JSON`);
  }
}
