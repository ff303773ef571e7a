import { LEAD_ASSIGNED, leadAssignedSchema, type LeadAssigned } from '../../events/lead-assigned.js';
import { LEAD_TAKEN_BACK, leadTakenBackSchema, type LeadTakenBack } from '../../events/lead-taken-back.js';
import { NOTIFICATION_FAILED, REP_NOTIFIED, type NotificationFailed, type RepNotified } from '../../events/rep-notified.js';
import { parseDetail } from '../aws/event-input.js';
import { ACCEPT_LINK_TTL_MS, acceptUrlOf, signAcceptToken } from '../domain/accept-link.js';
import { backoffSeconds } from '../domain/backoff.js';
import { DeliveryError } from '../notify/webhook.js';
import { assignmentOf } from '../store/sla-store.js';
import type { Clock, LeadStore, Notifier } from './ports.js';

export interface NotifyPorts {
  leads: Pick<LeadStore, 'getLeadAndRep' | 'recordAssignmentNotified' | 'recordTakenBackNotice' | 'appendTimeline'>;
  notifier: Notifier;
  clock: Clock;
  /** The secret accept links are signed with and the public URL they point at. */
  links: { secret: string; publicApiUrl: string };
}

/** One message of the notify queue: an event for a rep, and which delivery attempt this is. */
export interface Notice {
  detailType: string | undefined;
  detail: unknown;
  attempt: number;
  /** The queue will not deliver it again: a failure now is final. */
  lastAttempt: boolean;
}

/**
 * What came of a notice. `retry`: the handler delays the message's next delivery and fails it; `gave-up`
 * (the last attempt failed, recorded): it fails for the dead-letter queue; `refused` (trying again
 * cannot help, recorded for an assignment): it is done with.
 */
export type NoticeOutcome =
  | { outcome: 'notified' | 'told-taken-back' | 'already-notified' | 'moved-on'; leadId: string }
  | { outcome: 'retry'; leadId: string; delaySeconds: number; error: unknown }
  | { outcome: 'gave-up' | 'refused'; leadId: string; error: unknown; recordError?: unknown };

/**
 * Lead Assigned → the assigned rep is told, with a signed accept link; Lead Taken Back → the rep who
 * missed the deadline is told the lead is no longer theirs. Each once per assignment: a lead already
 * notified, or since moved to another rep, sends nothing. A failed attempt comes back with growing
 * delays; a final failure of an assignment's notice is recorded on the lead with Notification Failed.
 */
export async function notifyRep(ports: NotifyPorts, notice: Notice): Promise<NoticeOutcome> {
  if (notice.detailType === LEAD_TAKEN_BACK) {
    const back = parseDetail(leadTakenBackSchema, LEAD_TAKEN_BACK, notice.detail);
    try {
      await tellTakenBack(ports, back);
      return { outcome: 'told-taken-back', leadId: back.lead.leadId };
    } catch (error) {
      // Nothing is recorded for a taken-back notice that cannot arrive (the lead moved on either way),
      // and a last failed attempt is retried into the dead-letter queue.
      return failed(back.lead.leadId, notice, error, false);
    }
  }
  const assigned = parseDetail(leadAssignedSchema, LEAD_ASSIGNED, notice.detail);
  const { leadId } = assigned.lead;
  try {
    return { outcome: await tellAssigned(ports, assigned, notice.attempt), leadId };
  } catch (error) {
    const outcome = failed(leadId, notice, error, true);
    if (outcome.outcome === 'retry') return outcome;
    // The failure stands whether or not it could be recorded; the handler logs a record that failed.
    return recordFailure(ports, assigned, notice.attempt, error).then(() => outcome, (recordError: unknown) => ({ ...outcome, recordError }));
  }
}

function failed(leadId: string, notice: Notice, error: unknown, givesUpOnLast: boolean): NoticeOutcome {
  // Anything but a refusal the rep's endpoint made final (a 4xx, no channel) may succeed later.
  const retryable = !(error instanceof DeliveryError) || error.retryable;
  if (!retryable) return { outcome: 'refused', leadId, error };
  if (notice.lastAttempt && givesUpOnLast) return { outcome: 'gave-up', leadId, error };
  return { outcome: 'retry', leadId, delaySeconds: backoffSeconds(notice.attempt), error };
}

async function tellAssigned(ports: NotifyPorts, assigned: LeadAssigned, attempt: number): Promise<'notified' | 'already-notified' | 'moved-on'> {
  const { leadId } = assigned.lead;
  const { lead, rep } = await ports.leads.getLeadAndRep(leadId, assigned.repId);
  if (!lead) throw new DeliveryError(`lead ${leadId} is not stored`, false);
  // The lead moved on to another rep (a missed deadline) before this notification went out.
  if (lead.ownerId && lead.ownerId !== assigned.repId) return 'moved-on';
  const assignment = assignmentOf(lead);
  // An earlier attempt got through and recorded it, with its announcement.
  if (lead.notifiedAt && (lead.notifiedAssignment ?? 1) >= assignment) return 'already-notified';
  if (!rep) throw new DeliveryError(`rep ${assigned.repId} has no notification channel`, false);
  const expiresAt = new Date(ports.clock.now().getTime() + ACCEPT_LINK_TTL_MS).toISOString();
  const token = signAcceptToken({ leadId, repId: rep.repId, assignment, expiresAt }, ports.links.secret);
  await ports.notifier.notify(
    rep,
    {
      type: 'lead.assigned',
      leadId,
      repId: rep.repId,
      assignedAt: assigned.assignedAt,
      assignment,
      acceptUrl: acceptUrlOf(ports.links.publicApiUrl, token),
      acceptBy: lead.slaDeadline ?? null,
      lead: {
        name: lead.person.name,
        email: lead.person.email,
        phone: lead.person.phone,
        message: lead.message,
        score: lead.score,
        grade: lead.grade,
        sourceId: lead.sourceId,
        channel: lead.channel,
        capturedAt: lead.capturedAt,
        attribution: lead.attribution,
      },
    },
    `${leadId}:${assigned.repId}:${assignment}`,
  );
  const notifiedAt = ports.clock.now();
  const notified: RepNotified = {
    version: 1,
    lead: assigned.lead,
    repId: assigned.repId,
    channel: 'webhook',
    attempt,
    notifiedAt: notifiedAt.toISOString(),
    latencyMs: Math.max(0, notifiedAt.getTime() - Date.parse(assigned.lead.capturedAt)),
  };
  await ports.leads.recordAssignmentNotified({
    ...notified,
    leadId,
    assignment,
    at: notified.notifiedAt,
    type: REP_NOTIFIED,
    announce: [{ detailType: REP_NOTIFIED, detail: notified }],
  });
  return 'notified';
}

/** Tells the rep who missed the deadline that the lead was taken back, once per missed assignment. */
async function tellTakenBack(ports: NotifyPorts, back: LeadTakenBack): Promise<void> {
  const { rep } = await ports.leads.getLeadAndRep(back.lead.leadId, back.repId);
  if (!rep) throw new DeliveryError(`rep ${back.repId} has no notification channel`, false);
  await ports.notifier.notify(
    rep,
    {
      type: 'lead.taken_back',
      leadId: back.lead.leadId,
      repId: back.repId,
      assignment: back.assignment,
      deadline: back.deadline,
      misses: back.misses,
      reassignedTo: back.toRepId ?? null,
      takenBackAt: back.takenBackAt,
    },
    `${back.lead.leadId}:taken-back:${back.assignment}`,
  );
  await ports.leads.recordTakenBackNotice(back.lead.leadId, back.repId, back.assignment, ports.clock.now().toISOString());
}

/** Records on the lead's timeline, and announces, that its rep could not be told. */
async function recordFailure(ports: NotifyPorts, assigned: LeadAssigned, attempt: number, error: unknown): Promise<void> {
  const failed: NotificationFailed = {
    version: 1,
    lead: assigned.lead,
    repId: assigned.repId,
    channel: 'webhook',
    attempt,
    failedAt: ports.clock.now().toISOString(),
    error: (error as Error)?.message ?? String(error),
  };
  await ports.leads.appendTimeline(assigned.lead.leadId, { at: failed.failedAt, type: NOTIFICATION_FAILED, detail: { ...failed } }, [
    { detailType: NOTIFICATION_FAILED, detail: failed },
  ]);
}
