import { LEAD_STATUS_CHANGED, type LeadStatusChanged } from '../../events/lead-status-changed.js';
import { leadRefOf } from '../domain/lead.js';
import { checkTransition, ConflictError, NotYoursError, type StatusChange } from '../domain/lead-status.js';
import { assignmentOf } from '../store/sla-store.js';
import { repLeadOf, sinceCapture } from './accept-lead.js';
import type { LeadStore, RepStore } from './ports.js';

export interface StatusPorts {
  leads: Pick<LeadStore, 'getLeadWithTimeline' | 'recordStatus'>;
  reps: Pick<RepStore, 'releaseOpenLead'>;
}

/** The lead after a status change, and whether this request changed it. */
export interface StatusOutcome {
  leadId: string;
  status: string;
  changed: boolean;
}

/**
 * Moves the rep's lead to a new status. Only the owner may (403); only forward (409); the same status
 * again changes nothing and announces the rep's stored change again. The first change also accepts an
 * unaccepted lead and, when it means the rep reached the person (contacted, qualified, won), records the
 * time from capture to contact. A won or lost lead no longer counts toward the rep's open leads.
 */
export async function changeLeadStatus(
  ports: StatusPorts,
  input: { leadId: string; repId: string; change: StatusChange; now: Date },
): Promise<StatusOutcome> {
  const { leadId, repId, change, now } = input;
  const lead = await repLeadOf(ports.leads, leadId);
  if (lead.ownerId !== repId) throw new NotYoursError('only the rep the lead is assigned to can change its status');
  const assignment = assignmentOf(lead);
  if (lead.slaExpiredAssignment === assignment) {
    throw new ConflictError('the acceptance deadline passed and the lead is being handed to another rep');
  }
  if (!checkTransition(lead.status, change.to)) {
    return { leadId, status: lead.status, changed: false };
  }
  const at = now.toISOString();
  const elapsed = sinceCapture(lead, now);
  const captureToAcceptMs = lead.acceptedAt ? undefined : elapsed;
  const contact = change.to !== 'lost' && !lead.contactedAt;
  const captureToContactMs = contact ? elapsed : undefined;
  const event: LeadStatusChanged = {
    version: 1,
    lead: leadRefOf(lead),
    repId,
    from: lead.status,
    to: change.to,
    changedAt: at,
    ...(change.revenue ? { revenue: change.revenue } : {}),
    ...(change.reason ? { reason: change.reason } : {}),
    ...(captureToAcceptMs !== undefined ? { captureToAcceptMs } : {}),
    ...(captureToContactMs !== undefined ? { captureToContactMs } : {}),
  };
  const ok = await ports.leads.recordStatus({
    leadId,
    repId,
    assignment,
    from: lead.status,
    to: change.to,
    at,
    revenue: change.revenue,
    reason: change.reason,
    note: change.note,
    captureToAcceptMs,
    captureToContactMs,
    announce: [{ detailType: LEAD_STATUS_CHANGED, detail: event }],
  });
  if (!ok) throw new ConflictError('the lead changed while its status was being set; read it again and retry');
  if (change.to === 'won' || change.to === 'lost') await ports.reps.releaseOpenLead(repId);
  return { leadId, status: change.to, changed: true };
}

