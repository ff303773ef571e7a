import { ValidationError, type FieldProblem } from './errors.js';
import { isCurrency } from './lead-status.js';
import { decimal, decimalText, isDecimal } from './money.js';
import { normalizeEmail } from './normalize-email.js';
import { normalizePhone } from './normalize-phone.js';

/** Who bought: at least one way to find (or create) the contact. */
export interface PurchaseContact {
  email?: string;
  phone?: string;
  /** The shop's or CRM's own customer id. */
  externalId?: string;
}

/** A purchase (or refund, negative) a shop or CRM reports. */
export interface PurchaseInput {
  orderId: string;
  contact: PurchaseContact;
  amount: string;
  currency: string;
  at: string;
  /** Whether the sender said when (else `at` is receipt time, which a retry cannot repeat). */
  atGiven: boolean;
}

const FIELDS = new Set(['orderId', 'contact', 'amount', 'currency', 'at']);
const CONTACT_FIELDS = new Set(['email', 'phone', 'externalId', 'country']);
const ID = /^[\x21-\x7e]{1,128}$/;
/** A shop may report orders from before it was connected, but not from before anyone kept such records here. */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
/** Clocks disagree a little; a purchase further ahead than this is a mistake in the sender's data. */
const MAX_FUTURE_MS = 5 * 60_000;

/**
 * Reads `POST /v1/purchases`, naming every problem: the order id (printable, at most 128 characters),
 * the contact (an email, a phone, written E.164 or with `contact.country`, or an external id), the
 * amount (a non-zero decimal, negative for a refund, as a string or a JSON number), the ISO 4217
 * currency and the time (ISO 8601 with an offset; when the purchase was made, receipt time if left out).
 */
export function parsePurchase(body: unknown, now: Date): PurchaseInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('the body must be a JSON object');
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(input)) if (!FIELDS.has(key)) problems.push({ field: key, problem: `unknown field; allowed are ${[...FIELDS].join(', ')}` });
  const { orderId, amount, currency, at } = input;
  if (typeof orderId !== 'string' || !ID.test(orderId)) {
    problems.push({ field: 'orderId', problem: 'must be the order id, 1 to 128 printable characters without spaces' });
  }
  let amountText = '';
  if (typeof amount === 'number' && Number.isFinite(amount)) amountText = decimalText(decimal(amount));
  else if (typeof amount === 'string' && isDecimal(amount.trim())) amountText = decimalText(decimal(amount.trim()));
  if (!amountText) problems.push({ field: 'amount', problem: 'must be a decimal amount like "149.90" (negative for a refund)' });
  else if (amountText === '0') problems.push({ field: 'amount', problem: 'must not be 0' });
  if (typeof currency !== 'string' || !isCurrency(currency)) {
    problems.push({ field: 'currency', problem: 'must be an ISO 4217 currency code in capitals, like EUR or USD' });
  }
  let when = now.toISOString();
  if (at !== undefined) {
    const time = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(at) ? Date.parse(at) : Number.NaN;
    if (Number.isNaN(time)) problems.push({ field: 'at', problem: 'must be an ISO 8601 time with its offset, like 2026-11-30T14:05:00Z' });
    else if (time < EARLIEST || time > now.getTime() + MAX_FUTURE_MS) problems.push({ field: 'at', problem: 'must be after 2000 and not in the future' });
    else when = new Date(time).toISOString();
  }
  const contact = parseContact(input.contact, problems);
  if (problems.length) throw new ValidationError('the purchase is not valid', problems);
  return { orderId: orderId as string, contact, amount: amountText, currency: currency as string, at: when, atGiven: at !== undefined };
}

function parseContact(raw: unknown, problems: FieldProblem[]): PurchaseContact {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ field: 'contact', problem: 'must be an object with an email, a phone or an externalId' });
    return {};
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!CONTACT_FIELDS.has(key)) problems.push({ field: `contact.${key}`, problem: `unknown field; allowed are ${[...CONTACT_FIELDS].join(', ')}` });
  }
  const contact: PurchaseContact = {};
  if (input.email !== undefined) {
    const email = typeof input.email === 'string' ? normalizeEmail(input.email) : undefined;
    if (email) contact.email = email;
    else problems.push({ field: 'contact.email', problem: 'is not an email address' });
  }
  if (input.country !== undefined && (typeof input.country !== 'string' || !/^[A-Za-z]{2}$/.test(input.country))) {
    problems.push({ field: 'contact.country', problem: 'must be an ISO 3166 country code like DE, the country of a phone written without +' });
  }
  if (input.phone !== undefined) {
    const phone = typeof input.phone === 'string' || typeof input.phone === 'number'
      ? normalizePhone(input.phone, typeof input.country === 'string' ? input.country : undefined)
      : undefined;
    if (phone) contact.phone = phone;
    else problems.push({ field: 'contact.phone', problem: 'is not a valid phone number; write it E.164 (+4930...) or give contact.country' });
  }
  if (input.externalId !== undefined) {
    if (typeof input.externalId === 'string' && ID.test(input.externalId)) contact.externalId = input.externalId;
    else problems.push({ field: 'contact.externalId', problem: 'must be 1 to 128 printable characters without spaces' });
  }
  if (input.email === undefined && input.phone === undefined && input.externalId === undefined) {
    problems.push({ field: 'contact', problem: 'needs an email, a phone or an externalId to find the customer by' });
  }
  return contact;
}

/** At most this many purchases per request: a shop's import of past orders comes in pages. */
export const MAX_BATCH = 100;

/** One item of a batch: read, or refused with its problems (named `purchases[i].field`). */
export type BatchItem = { index: number; input: PurchaseInput } | { index: number; problems: FieldProblem[] };

/**
 * Reads `{"purchases": [...]}`, each item on its own: an invalid item is refused with its problems and
 * never holds back the valid ones beside it. The envelope itself (not a list, empty, over
 * `MAX_BATCH`, other fields) is a 400.
 */
export function parsePurchaseBatch(body: Record<string, unknown>, now: Date): BatchItem[] {
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(body)) if (key !== 'purchases') problems.push({ field: key, problem: 'unknown field; a batch has only purchases' });
  const list = body.purchases;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH) {
    problems.push({ field: 'purchases', problem: `must be a list of 1 to ${MAX_BATCH} purchases` });
  }
  if (problems.length) throw new ValidationError('the batch of purchases is not valid', problems);
  return (list as unknown[]).map((item, index) => {
    try {
      return { index, input: parsePurchase(item, now) };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const fields = error.fields.length ? error.fields : [{ field: '', problem: error.message }];
      return { index, problems: fields.map((f) => ({ field: `purchases[${index}]${f.field ? `.${f.field}` : ''}`, problem: f.problem })) };
    }
  });
}
