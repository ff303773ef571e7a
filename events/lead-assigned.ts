import * as z from 'zod/mini';
export { LEAD_ASSIGNED } from './detail-types.js';
import { leadRefSchema } from './common.js';

/** Why the winner won: enough to answer "why did this rep get this lead?" without guessing. */
export const routingTraceSchema = z.object({
  rule: z.string(),
  teamId: z.string(),
  strategy: z.string(),
  candidates: z.array(
    z.object({
      repId: z.string(),
      eligible: z.boolean(),
      why: z.string(),
      /** Leads this clock hour and today (rep's time zone), and open leads, when the decision was made. */
      load: z.optional(z.object({ thisHour: z.number(), today: z.number(), open: z.number() })),
    }),
  ),
  ticket: z.optional(z.number()),
  winner: z.string(),
  /** Why the matched rule (or source team, fallback, test team) decided the target. */
  ruleWhy: z.optional(z.string()),
  /** The rotation slot the ticket fell on, the cycle length and (weighted) the weights in force. */
  strategyState: z.optional(
    z.object({ ticket: z.number(), position: z.number(), cycle: z.number(), weights: z.optional(z.record(z.string(), z.number())) }),
  ),
  /** The order reps were offered the lead in, and those skipped because their cap filled meanwhile. */
  order: z.optional(z.array(z.string())),
  skipped: z.optional(z.array(z.object({ repId: z.string(), why: z.string() }))),
  /** A returning contact's owner and whether they kept the lead. */
  sticky: z.optional(z.object({ ownerId: z.optional(z.string()), decision: z.string(), why: z.string() })),
  /** Why this assignment happened when it was not the first routing (an SLA miss, a queue drain). */
  reason: z.optional(z.string()),
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
  /** When the rep must have accepted the lead, from the team's SLA (wall or working minutes). */
  slaDeadline: z.optional(z.iso.datetime()),
});
export type LeadAssigned = z.infer<typeof leadAssignedSchema>;
