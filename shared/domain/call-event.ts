import type { Attribution } from '../../events/lead-captured.js';

/** Where a call went, seen from the business. */
export type CallDirection = 'inbound' | 'outbound' | 'internal';

/**
 * How far a call got. Ordered: a later state never goes back to an earlier one, whatever order the
 * provider's events arrive in.
 */
export const CALL_STATES = ['ringing', 'answered', 'completed', 'missed', 'failed'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** One event about one phone call, normalized from any telephony or call-tracking provider. */
export interface CallEvent {
  provider: string;
  /** The provider's id of the whole call, which correlates its events (Mango's entry_id, Twilio's CallSid). */
  callId: string;
  /** Unique per event of the call (e.g. `<callId>:<state>:<seq>`): a repeat of the same event has the same id. */
  eventId: string;
  direction: CallDirection;
  state: CallState;
  /** The provider's ordering of the call's events, where it gives one (Mango's seq). */
  seq?: number;
  /** When the event happened, ISO 8601 UTC (the receive time when the provider gives none). */
  occurredAt: string;
  /** The calling party in E.164, when it is an outside number. */
  from?: string;
  /** The called party in E.164, when it is an outside number. */
  to?: string;
  /** The business number the caller dialled: a call-tracking number carries the attribution of its ad. */
  trackingNumber?: string;
  /** The internal extension, agent or user id of the business side, when the provider names one. */
  agent?: string;
  durationSeconds?: number;
  recordingUrl?: string;
  attribution: Attribution;
  isTest: boolean;
}
