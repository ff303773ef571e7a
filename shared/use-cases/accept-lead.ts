/**
 * What a rep does with a lead: accept it (from the signed link or with their token), move it through the
 * sale (change-lead-status.ts), and say whether they are taking leads (set-availability.ts). Each change
 * is one conditional write on the lead that holds only if the lead is still theirs in the same
 * assignment and state they were shown, and that carries its Lead Status Changed (the stream relays
 * it). A retried request that finds its change already made changes nothing: the write that made it
 * announced it. Errors say what happened in words a rep understands.
 */
import { LEAD_STATUS_CHANGED, type LeadStatusChanged } from '../../events/lead-status-changed.js';
import { NotFoundError } from '../domain/errors.js';
import { leadRefOf, type Lead } from '../domain/lead.js';
import { ConflictError, NotYoursError } from '../domain/lead-status.js';
import { assignmentOf } from '../store/sla-store.js';
import type { LeadStore } from './ports.js';

export interface AcceptPorts {
  leads: Pick<LeadStore, 'getLeadWithTimeline' | 'recordAccepted'>;
}

/** The lead (one GetItem), or 404. */
export async function repLeadOf(leads: Pick<LeadStore, 'getLeadWithTimeline'>, leadId: string): Promise<Lead> {
  const found = await leads.getLeadWithTimeline(leadId);
  if (!found) throw new NotFoundError(`no lead with id "${leadId}"`);
  return found.lead;
}

/** Milliseconds from the lead's capture to `now`. */
export function sinceCapture(lead: Lead, now: Date): number {
  return Math.max(0, now.getTime() - Date.parse(lead.capturedAt));
}

/** The outcome of an accept: the lead's acceptance and whether this request made it. */
export interface Accepted {
  leadId: string;
  repId: string;
  status: 'accepted' | string;
  acceptedAt: string;
  captureToAcceptMs?: number;
  alreadyAccepted: boolean;
}

/**
 * Accepts a lead for its rep. With `assignment` (from a link) only that assignment can be accepted; a
 * repeated accept of the same assignment answers as the first did.
 * 409 when the lead moved on (the deadline passed and it was taken back, or another rep has it); 403
 * through the API for a lead that is not the rep's.
 */
export async function acceptLead(
  ports: AcceptPorts,
  input: { leadId: string; repId: string; assignment?: number; via: 'link' | 'api'; now: Date },
): Promise<Accepted> {
  const { leadId, repId, via, now } = input;
  for (let attempt = 1; ; attempt++) {
    const lead = await repLeadOf(ports.leads, leadId);
    const current = assignmentOf(lead);
    const assignment = input.assignment ?? current;
    const stillTheirs = lead.ownerId === repId && assignment === current;
    if (!stillTheirs) {
      if (via === 'api' && lead.ownerId !== repId) throw new NotYoursError('the lead is not assigned to you');
      throw new ConflictError('the lead is no longer yours to accept: the acceptance deadline passed and it went to another rep');
    }
    if (lead.acceptedAt) {
      return { leadId, repId, status: lead.status, acceptedAt: lead.acceptedAt, captureToAcceptMs: lead.captureToAcceptMs, alreadyAccepted: true };
    }
    if (lead.slaExpiredAssignment === assignment) {
      throw new ConflictError('the acceptance deadline passed and the lead is being handed to another rep');
    }
    if (lead.status !== 'assigned') throw new ConflictError(`a lead that is ${lead.status} cannot be accepted`);
    const at = now.toISOString();
    const captureToAcceptMs = sinceCapture(lead, now);
    const event: LeadStatusChanged = { version: 1, lead: leadRefOf(lead), repId, from: lead.status, to: 'accepted', changedAt: at, captureToAcceptMs };
    const announce = [{ detailType: LEAD_STATUS_CHANGED, detail: event }];
    if (await ports.leads.recordAccepted({ leadId, repId, assignment, at, captureToAcceptMs, via, announce })) {
      return { leadId, repId, status: 'accepted', acceptedAt: at, captureToAcceptMs, alreadyAccepted: false };
    }
    // Something changed between the read and the write (a concurrent accept, the sweeper): read again.
    if (attempt >= 3) throw new ConflictError('the lead changed while it was being accepted; try again');
  }
}

