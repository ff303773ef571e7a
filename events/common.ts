import * as z from 'zod/mini';

export { EVENT_SOURCE } from './detail-types.js';

/** Channels a lead can arrive through; reports group by them. */
export const channelSchema = z.enum(['web_form', 'ad_form', 'phone', 'chat', 'email', 'other']);
export type Channel = z.infer<typeof channelSchema>;

/**
 * What every lead event carries about its lead, so that consumers (metrics, reports) can act without
 * reading the lead back from the table.
 */
export const leadRefSchema = z.object({
  leadId: z.string().check(z.minLength(1)),
  sourceId: z.string().check(z.minLength(1)),
  channel: channelSchema,
  capturedAt: z.iso.datetime(),
  isTest: z.boolean(),
});
export type LeadRef = z.infer<typeof leadRefSchema>;
