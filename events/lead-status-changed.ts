import * as z from 'zod/mini';
export { LEAD_STATUS_CHANGED } from './detail-types.js';
import { leadRefSchema } from './common.js';

/** Money a won lead brought, in an ISO 4217 currency. */
export const revenueSchema = z.object({
  amount: z.number().check(z.positive()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
});

/**
 * A rep accepted a lead (`assigned` → `accepted`) or moved it on (contacted, qualified, won with revenue,
 * lost with a reason). Reports count contact and revenue from it.
 */
export const leadStatusChangedSchema = z.object({
  version: z.literal(1),
  lead: leadRefSchema,
  repId: z.string(),
  from: z.string(),
  to: z.enum(['accepted', 'contacted', 'qualified', 'won', 'lost']),
  revenue: z.optional(revenueSchema),
  reason: z.optional(z.string()),
  changedAt: z.iso.datetime(),
  /** Milliseconds from capture to acceptance / first contact, on the change that recorded them. */
  captureToAcceptMs: z.optional(z.int().check(z.nonnegative())),
  captureToContactMs: z.optional(z.int().check(z.nonnegative())),
});
export type LeadStatusChanged = z.infer<typeof leadStatusChangedSchema>;
