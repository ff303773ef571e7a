import * as z from 'zod/mini';
export { LEAD_CAPTURED } from './detail-types.js';
import { channelSchema } from './common.js';

export const personSchema = z.object({
  name: z.optional(z.string()),
  firstName: z.optional(z.string()),
  lastName: z.optional(z.string()),
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
  /** The phone as the sender wrote it, kept when it could not be normalized to E.164. */
  phoneRaw: z.optional(z.string()),
});
export type Person = z.infer<typeof personSchema>;

export const attributionSchema = z.object({
  utm_source: z.optional(z.string()),
  utm_medium: z.optional(z.string()),
  utm_campaign: z.optional(z.string()),
  utm_term: z.optional(z.string()),
  utm_content: z.optional(z.string()),
  /** The campaign id Google Analytics' utm_id carries; reports match it to spend by campaign id. */
  utm_id: z.optional(z.string()),
  gclid: z.optional(z.string()),
  gbraid: z.optional(z.string()),
  wbraid: z.optional(z.string()),
  fbclid: z.optional(z.string()),
  yclid: z.optional(z.string()),
  msclkid: z.optional(z.string()),
  ttclid: z.optional(z.string()),
  campaignId: z.optional(z.string()),
  adsetId: z.optional(z.string()),
  adId: z.optional(z.string()),
  formId: z.optional(z.string()),
  landingPage: z.optional(z.string()),
  referrer: z.optional(z.string()),
});
export type Attribution = z.infer<typeof attributionSchema>;

/** A lead has been received, authenticated, normalized and made durable. */
export const leadCapturedSchema = z.object({
  version: z.literal(1),
  leadId: z.string().check(z.minLength(1)),
  sourceId: z.string().check(z.minLength(1)),
  channel: channelSchema,
  provider: z.string().check(z.minLength(1)),
  externalIds: z._default(z.record(z.string(), z.string()), {}),
  person: personSchema,
  message: z.optional(z.string()),
  answers: z._default(z.record(z.string(), z.string()), {}),
  attribution: attributionSchema,
  capturedAt: z.iso.datetime(),
  isTest: z.boolean(),
  /** Where the raw request is archived: the lead's `RAW` item. */
  rawRef: z.object({ pk: z.string(), sk: z.string() }),
  /** The team the source asks for; routing may override it. */
  teamHint: z.optional(z.string()),
});
export type LeadCaptured = z.infer<typeof leadCapturedSchema>;
