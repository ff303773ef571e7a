import type { LeadStatusChanged } from '../../events/lead-status-changed.js';
import { leadRefOf, type Lead, type TimelineEntry } from './lead.js';

type StoredLead = Pick<Lead, 'leadId' | 'sourceId' | 'channel' | 'capturedAt' | 'isTest' | 'acceptedAt' | 'captureToAcceptMs' | 'contactedAt' | 'captureToContactMs'>;

/**
 * The Lead Status Changed a stored change announced, rebuilt from the lead and its timeline entry, so a
 * retried request can announce it again when the first announcement failed after the write (the retry
 * finds nothing left to change). `to: 'accepted'` finds the rep's acceptance; any other status finds the
 * rep's last change to it that `matches`. The change carries the capture-to-accept time when it made
 * the acceptance, and capture-to-contact when it made the first contact, exactly as it did the first
 * time. Undefined when this rep made no such change.
 */
export function storedStatusChange(
  lead: StoredLead,
  timeline: TimelineEntry[],
  repId: string,
  to: LeadStatusChanged['to'],
  matches: (entry: TimelineEntry) => boolean = () => true,
): LeadStatusChanged | undefined {
  const base = { version: 1 as const, lead: leadRefOf(lead), repId };
  if (to === 'accepted') {
    const entry = timeline.findLast((e) => e.type === 'Lead Accepted' && e.detail.repId === repId && matches(e));
    if (!entry) return undefined;
    const ms = lead.captureToAcceptMs ?? entry.detail.captureToAcceptMs;
    return { ...base, from: 'assigned', to, changedAt: entry.at, ...(typeof ms === 'number' ? { captureToAcceptMs: ms } : {}) };
  }
  const entry = timeline.findLast((e) => e.type === 'Lead Status Changed' && e.detail.repId === repId && e.detail.to === to && matches(e));
  if (!entry) return undefined;
  const { from, revenue, reason } = entry.detail as { from: string; revenue?: LeadStatusChanged['revenue']; reason?: string };
  return {
    ...base,
    from,
    to,
    changedAt: entry.at,
    ...(revenue ? { revenue } : {}),
    ...(reason ? { reason } : {}),
    // The change's own time is when it accepted or first reached the person, if it did.
    ...(lead.acceptedAt === entry.at && lead.captureToAcceptMs !== undefined ? { captureToAcceptMs: lead.captureToAcceptMs } : {}),
    ...(lead.contactedAt === entry.at && lead.captureToContactMs !== undefined ? { captureToContactMs: lead.captureToContactMs } : {}),
  };
}
