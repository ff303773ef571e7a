import * as z from 'zod/mini';
export { LEAD_REFERENCED, LEAD_WITHDRAWN } from './detail-types.js';
import { attributionSchema } from './lead-captured.js';

/**
 * A provider told us a lead exists without sending the person (Meta Lead Ads, LinkedIn Lead Sync): the
 * lead is read from the provider's API after the webhook was acknowledged.
 */
export const leadReferencedSchema = z.object({
  version: z.literal(1),
  sourceId: z.string().check(z.minLength(1)),
  provider: z.string().check(z.minLength(1)),
  externalId: z.string().check(z.minLength(1)),
  externalIds: z._default(z.record(z.string(), z.string()), {}),
  attribution: attributionSchema,
  createdAt: z.optional(z.string()),
  isTest: z.boolean(),
  receivedAt: z.iso.datetime(),
});
export type LeadReferenced = z.infer<typeof leadReferencedSchema>;

/** The provider withdrew a lead (LinkedIn's DELETED): it must not be worked. */
export const leadWithdrawnSchema = z.object({
  version: z.literal(1),
  sourceId: z.string().check(z.minLength(1)),
  provider: z.string().check(z.minLength(1)),
  externalId: z.string().check(z.minLength(1)),
  receivedAt: z.iso.datetime(),
});
export type LeadWithdrawn = z.infer<typeof leadWithdrawnSchema>;
