import * as z from 'zod/mini';
export { REP_NOTIFIED, NOTIFICATION_FAILED } from './detail-types.js';
import { leadRefSchema } from './common.js';

export const notificationChannelSchema = z.enum(['webhook', 'email', 'slack', 'telegram']);

/** The assigned rep was told about the lead (or, for `Notification Failed`, every attempt failed). */
export const repNotifiedSchema = z.object({
  version: z.literal(1),
  lead: leadRefSchema,
  repId: z.string(),
  channel: notificationChannelSchema,
  attempt: z.int().check(z.positive()),
  notifiedAt: z.iso.datetime(),
  /** Milliseconds from capture to the rep's endpoint accepting the notification. */
  latencyMs: z.int().check(z.nonnegative()),
});
export type RepNotified = z.infer<typeof repNotifiedSchema>;

export const notificationFailedSchema = z.object({
  version: z.literal(1),
  lead: leadRefSchema,
  repId: z.string(),
  channel: notificationChannelSchema,
  attempt: z.int().check(z.positive()),
  failedAt: z.iso.datetime(),
  error: z.string(),
});
export type NotificationFailed = z.infer<typeof notificationFailedSchema>;
