import { z } from 'zod';
import { channelSchema } from './common.js';

export const LEAD_CAPTURED = 'Lead Captured';

export const personSchema = z.object({
  name: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** The phone as the sender wrote it, kept when it could not be normalized to E.164. */
  phoneRaw: z.string().optional(),
});
export type Person = z.infer<typeof personSchema>;

export const attributionSchema = z.object({
  utm_source: z.string().optional(),
  utm_medium: z.string().optional(),
  utm_campaign: z.string().optional(),
  utm_term: z.string().optional(),
  utm_content: z.string().optional(),
  gclid: z.string().optional(),
  gbraid: z.string().optional(),
  wbraid: z.string().optional(),
  fbclid: z.string().optional(),
  yclid: z.string().optional(),
  msclkid: z.string().optional(),
  ttclid: z.string().optional(),
  campaignId: z.string().optional(),
  adsetId: z.string().optional(),
  adId: z.string().optional(),
  formId: z.string().optional(),
  landingPage: z.string().optional(),
  referrer: z.string().optional(),
});
export type Attribution = z.infer<typeof attributionSchema>;

/** A lead has been received, authenticated, normalized and made durable. */
export const leadCapturedSchema = z.object({
  version: z.literal(1),
  leadId: z.string().min(1),
  sourceId: z.string().min(1),
  channel: channelSchema,
  provider: z.string().min(1),
  externalIds: z.record(z.string(), z.string()).default({}),
  person: personSchema,
  message: z.string().optional(),
  answers: z.record(z.string(), z.string()).default({}),
  attribution: attributionSchema,
  capturedAt: z.iso.datetime(),
  isTest: z.boolean(),
  /** Where the raw request is archived: the lead's `RAW` item. */
  rawRef: z.object({ pk: z.string(), sk: z.string() }),
  /** The team the source asks for; routing may override it. */
  teamHint: z.string().optional(),
});
export type LeadCaptured = z.infer<typeof leadCapturedSchema>;
