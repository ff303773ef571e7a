import * as z from 'zod/mini';
export { LEAD_TAKEN_BACK } from './detail-types.js';
import { leadRefSchema } from './common.js';

/**
 * A rep missed the acceptance deadline and the lead was taken back from them: they are told, and the
 * lead went to `toRepId` (or waits in the team's queue when no other rep could take it).
 */
export const leadTakenBackSchema = z.object({
  version: z.literal(1),
  lead: leadRefSchema,
  repId: z.string(),
  teamId: z.string(),
  assignment: z.int().check(z.positive()),
  deadline: z.iso.datetime(),
  misses: z.int().check(z.positive()),
  toRepId: z.optional(z.string()),
  takenBackAt: z.iso.datetime(),
});
export type LeadTakenBack = z.infer<typeof leadTakenBackSchema>;
