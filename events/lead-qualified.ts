import * as z from 'zod/mini';
export { LEAD_QUALIFIED, LEAD_DISQUALIFIED } from './detail-types.js';
import { leadRefSchema } from './common.js';

export const scoreReasonSchema = z.object({
  rule: z.string(),
  points: z.number(),
  reason: z.string(),
  /** What the rule's conditions saw, one line each (`message matches /.../ ("...")`). */
  because: z.optional(z.array(z.string())),
});
export type ScoreReason = z.infer<typeof scoreReasonSchema>;

/** The lead was scored; `Lead Disqualified` carries the same shape with the rule that disqualified it. */
export const leadQualifiedSchema = z.object({
  version: z.literal(1),
  lead: leadRefSchema,
  score: z.number(),
  grade: z.string(),
  reasons: z.array(scoreReasonSchema),
  teamHint: z.optional(z.string()),
  /** The person the lead belongs to; `ownerId` is the rep who owns that contact (for sticky routing). */
  contact: z.optional(z.object({ contactId: z.string(), returning: z.boolean(), ownerId: z.optional(z.string()) })),
  /**
   * The facts the lead was scored on (`factsOf`), for routing rules: assign reads them here instead of
   * recomputing them, which would put libphonenumber's metadata into its bundle and re-read the lead.
   */
  facts: z.optional(z.record(z.string(), z.string())),
  qualifiedAt: z.iso.datetime(),
});
export type LeadQualified = z.infer<typeof leadQualifiedSchema>;
