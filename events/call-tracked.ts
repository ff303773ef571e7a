import * as z from 'zod/mini';
export { CALL_TRACKED } from './detail-types.js';
import { attributionSchema } from './lead-captured.js';

export const callEventSchema = z.object({
  provider: z.string().check(z.minLength(1)),
  callId: z.string().check(z.minLength(1)),
  eventId: z.string().check(z.minLength(1)),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  state: z.enum(['ringing', 'answered', 'completed', 'missed', 'failed']),
  seq: z.optional(z.number()),
  occurredAt: z.iso.datetime(),
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  trackingNumber: z.optional(z.string()),
  agent: z.optional(z.string()),
  durationSeconds: z.optional(z.number()),
  recordingUrl: z.optional(z.string()),
  attribution: attributionSchema,
  isTest: z.boolean(),
});

/** A telephony or call-tracking provider reported an event of a call (correlated later by `call.callId`). */
export const callTrackedSchema = z.object({
  version: z.literal(1),
  sourceId: z.string().check(z.minLength(1)),
  call: callEventSchema,
  receivedAt: z.iso.datetime(),
  /** The team the source asks for, for leads the call creates. */
  teamHint: z.optional(z.string()),
});
export type CallTracked = z.infer<typeof callTrackedSchema>;
