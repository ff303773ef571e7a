import { z } from 'zod';
import { leadRefSchema } from './common.js';

export const LEAD_ASSIGNED = 'Lead Assigned';

/** Why the winner won: enough to answer "why did this rep get this lead?" without guessing. */
export const routingTraceSchema = z.object({
  rule: z.string(),
  teamId: z.string(),
  strategy: z.string(),
  candidates: z.array(z.object({ repId: z.string(), eligible: z.boolean(), why: z.string() })),
  ticket: z.number().optional(),
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
