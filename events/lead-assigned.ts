import * as z from 'zod/mini';
export { LEAD_ASSIGNED } from './detail-types.js';
import { leadRefSchema } from './common.js';

/** Why the winner won: enough to answer "why did this rep get this lead?" without guessing. */
export const routingTraceSchema = z.object({
  rule: z.string(),
  teamId: z.string(),
  strategy: z.string(),
  candidates: z.array(z.object({ repId: z.string(), eligible: z.boolean(), why: z.string() })),
  ticket: z.optional(z.number()),
  winner: z.string(),
});
export type RoutingTrace = z.infer<typeof routingTraceSchema>;

export const leadAssignedSchema = z.object({
  version: z.literal(1),
  lead: leadRefSchema,
  repId: z.string(),
  teamId: z.string(),
  strategy: z.string(),
  assignedAt: z.iso.datetime(),
  trace: routingTraceSchema,
});
export type LeadAssigned = z.infer<typeof leadAssignedSchema>;
