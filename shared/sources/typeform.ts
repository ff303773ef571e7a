import * as z from 'zod/mini';
import { UnauthorizedError } from '../domain/errors.js';
import type { Delivery, SourceAdapter } from './adapter.js';
import { idempotencyKeyOf, parseContract, parseJsonBody, readFormLead } from './form-lead.js';
import { constantTimeEqual, hmacBase64, requireSecret } from './signatures.js';
import type { FormFields } from './web-form.js';
import { providerCatalog } from './catalog.js';

const fieldSchema = z.object({
  id: z.optional(z.string()),
  ref: z.optional(z.string()),
  type: z.optional(z.string()),
  title: z.optional(z.string()),
});

/** An answer keeps its value under a key named after its type: `{type: "email", email: "…"}`. */
const answerSchema = z.looseObject({ type: z.string(), field: fieldSchema });
type TypeformAnswer = z.infer<typeof answerSchema>;

const formResponseSchema = z.object({
  form_id: z.string(),
  token: z.string(),
  hidden: z.optional(z.record(z.string(), z.unknown())),
  calculated: z.optional(z.object({ score: z.optional(z.number()) })),
  definition: z.optional(z.object({ fields: z.optional(z.array(fieldSchema)) })),
  answers: z.optional(z.array(answerSchema)),
});

const eventSchema = z.object({
  event_id: z.string(),
  event_type: z.string(),
  form_response: z.optional(z.unknown()),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** The answer's value as text, read from the key its type names. */
function answerText(answer: TypeformAnswer): string | undefined {
  const value = answer[answer.type];
  if (answer.type === 'choice' && isRecord(value)) return scalarText(value.label) ?? scalarText(value.other);
  if (answer.type === 'choices' && isRecord(value)) {
    const labels = Array.isArray(value.labels) ? value.labels.map(scalarText).filter((l) => l !== undefined) : [];
    const other = scalarText(value.other);
    return [...labels, ...(other ? [other] : [])].join(', ') || undefined;
  }
  if (answer.type === 'payment' && isRecord(value)) return scalarText(value.amount);
  return scalarText(value);
}

// Typeform generates refs as UUIDs when the author sets none; those mean nothing to a sales rep.
const GENERATED_REF = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What an answer is called among the lead's answers: the ref its author gave it, else the question's
 * title (which also lets a "First name" or "Phone number" question be recognized), else its id.
 */
function answerKey(answer: TypeformAnswer, definitions: Map<string, z.infer<typeof fieldSchema>>): string {
  const defined = answer.field.id === undefined ? undefined : definitions.get(answer.field.id);
  const ref = answer.field.ref ?? defined?.ref;
  if (ref && !GENERATED_REF.test(ref)) return ref;
  return answer.field.title ?? defined?.title ?? answer.field.id ?? answer.type;
}

/**
 * Turns a Typeform response into form fields: email and phone answers by their type, every other
 * answer by its ref or title, then the hidden fields (where forms carry UTMs and click ids).
 */
export function typeformFields(response: z.infer<typeof formResponseSchema>): FormFields {
  const definitions = new Map<string, z.infer<typeof fieldSchema>>();
  for (const field of response.definition?.fields ?? []) if (field.id) definitions.set(field.id, field);
  const fields: FormFields = [];
  for (const answer of response.answers ?? []) {
    const text = answerText(answer);
    if (text === undefined) continue;
    if (answer.type === 'email') fields.push(['email', text]);
    else if (answer.type === 'phone_number') fields.push(['phone', text]);
    else fields.push([answerKey(answer, definitions), text]);
  }
  if (response.calculated?.score !== undefined) fields.push(['calculated_score', String(response.calculated.score)]);
  for (const [key, value] of Object.entries(response.hidden ?? {})) {
    const text = scalarText(value);
    if (text !== undefined) fields.push([key, text]);
  }
  return fields;
}

/**
 * Typeform webhooks. Each request is signed with the webhook's secret: `Typeform-Signature: sha256=`
 * and the base64 (not hex) HMAC-SHA256 of the raw body.
 */
export const typeformAdapter: SourceAdapter = {
  provider: 'typeform',
  ...providerCatalog.typeform,
  accepts: ['application/json'],
  verify(request, source) {
    const secret = requireSecret(source.secrets, 'secret', 'typeform');
    const header = request.headers['typeform-signature'];
    if (!header) throw new UnauthorizedError('the Typeform-Signature header is missing');
    if (!header.startsWith('sha256=')) throw new UnauthorizedError('the Typeform-Signature header must start with "sha256="');
    if (!constantTimeEqual(header.slice('sha256='.length), hmacBase64(secret, request.raw))) {
      throw new UnauthorizedError("the Typeform-Signature does not match the body signed with this source's secret");
    }
  },
  parse(request, source): Delivery {
    const event = parseContract(eventSchema, parseJsonBody(request.text), 'Typeform webhook event');
    if (event.event_type !== 'form_response') {
      return { kind: 'ignored', reason: `Typeform ${event.event_type} events carry no finished response` };
    }
    const response = parseContract(formResponseSchema, event.form_response, 'Typeform form_response', ['form_response']);
    const lead = readFormLead(typeformFields(response), {
      provider: 'typeform',
      defaultCountry: source.defaultCountry,
      keepWithOneContact: true,
    });
    lead.externalIds.form_id = response.form_id;
    lead.externalIds.token = response.token;
    lead.attribution.formId = response.form_id;
    const key = idempotencyKeyOf(event.event_id);
    if (key) lead.idempotencyKey = key;
    return { kind: 'leads', leads: [lead], rejected: [] };
  },
};
