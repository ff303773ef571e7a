/**
 * What a rep does with a lead: accept it (from the signed link or with their token), move it through the
 * sale, and say whether they are taking leads. Each change is one conditional write on the lead that
 * holds only if the lead is still theirs in the same assignment and state they were shown, and that
 * carries its Lead Status Changed (the stream relays it). A retried request that finds its change
 * already made changes nothing: the write that made it announced it. Errors say what happened in words a rep understands.
 */
import { LEAD_STATUS_CHANGED, type LeadStatusChanged } from '../../events/lead-status-changed.js';
import type { Availability } from '../domain/directory.js';
import { NotFoundError } from '../domain/errors.js';
import { leadRefOf } from '../domain/lead.js';
import { checkTransition, ConflictError, type StatusChange } from '../domain/lead-status.js';
import { ClientError } from '../domain/errors.js';
import { drainTeamQueue, type AssignDeps } from './assign-lead.js';
import { getLeadWithTimeline } from '../store/lead-store.js';
import { recordAccepted, recordStatus, setRepAvailability } from '../store/rep-lead-store.js';
import { releaseOpenLead } from '../store/routing-store.js';
import { assignmentOf, type SlaLead } from '../store/sla-store.js';
import type { Table } from '../store/table.js';

export interface RepDeps extends AssignDeps {
  table: Table;
}

/** 403: the lead is not the rep's. */
class NotYoursError extends ClientError {
  override readonly name = 'NotYoursError';
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/** The lead (one GetItem). */
async function leadOf(deps: RepDeps, leadId: string): Promise<{ lead: SlaLead }> {
  const found = await getLeadWithTimeline(deps.table, leadId);
  if (!found) throw new NotFoundError(`no lead with id "${leadId}"`);
  return { lead: found.lead as SlaLead };
}

function sinceCapture(lead: SlaLead, now: Date): number {
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
  deps: RepDeps,
  input: { leadId: string; repId: string; assignment?: number; via: 'link' | 'api'; now: Date },
): Promise<Accepted> {
  const { leadId, repId, via, now } = input;
  for (let attempt = 1; ; attempt++) {
    const { lead } = await leadOf(deps, leadId);
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
    if (await recordAccepted(deps.table, { leadId, repId, assignment, at, captureToAcceptMs, via, announce })) {
      return { leadId, repId, status: 'accepted', acceptedAt: at, captureToAcceptMs, alreadyAccepted: false };
    }
    // Something changed between the read and the write (a concurrent accept, the sweeper): read again.
    if (attempt >= 3) throw new ConflictError('the lead changed while it was being accepted; try again');
  }
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
  deps: RepDeps,
  input: { leadId: string; repId: string; change: StatusChange; now: Date },
): Promise<StatusOutcome> {
  const { leadId, repId, change, now } = input;
  const { lead } = await leadOf(deps, leadId);
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
  const ok = await recordStatus(deps.table, {
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
  if (change.to === 'won' || change.to === 'lost') await releaseOpenLead(deps.table, repId);
  return { leadId, status: change.to, changed: true };
}

/**
 * Sets the rep's availability. Going online assigns their team's waiting leads at once (to whoever of
 * the team can take them, by the team's strategy), rather than at the next sweep.
 */
export async function setAvailability(
  deps: RepDeps,
  input: { repId: string; availability: Availability; now: Date },
): Promise<{ repId: string; availability: Availability; assignedFromQueue: string[] }> {
  const { repId, availability, now } = input;
  const before = await setRepAvailability(deps.table, repId, availability, now.toISOString());
  if (!before) throw new NotFoundError(`rep ${repId} no longer exists`);
  let assignedFromQueue: string[] = [];
  if (availability.status === 'online') assignedFromQueue = (await drainTeamQueue(deps, before.teamId, now)).assigned;
  return { repId, availability, assignedFromQueue };
}
