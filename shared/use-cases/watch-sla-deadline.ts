import type { LeadAssigned } from '../../events/lead-assigned.js';
import { assignmentOf } from '../store/sla-store.js';
import type { LeadStore, SlaStore } from './ports.js';

export interface WatchSlaPorts {
  leads: Pick<LeadStore, 'getLead'>;
  sla: SlaStore;
}

/**
 * Lead Assigned with an SLA deadline → a watch filed under the deadline's minute, for the sweeper. The
 * assignment number is read from the lead; an event about an owner or deadline the lead no longer has
 * is stale and files nothing. Filing the same watch again changes nothing.
 */
export async function watchSlaDeadline(ports: WatchSlaPorts, assigned: LeadAssigned): Promise<{ watched: boolean }> {
  if (!assigned.slaDeadline) return { watched: false };
  const lead = await ports.leads.getLead(assigned.lead.leadId);
  if (!lead || lead.ownerId !== assigned.repId || lead.slaDeadline !== assigned.slaDeadline) return { watched: false };
  await ports.sla.putSlaWatch({
    leadId: lead.leadId,
    repId: assigned.repId,
    teamId: assigned.teamId,
    assignment: assignmentOf(lead),
    deadline: assigned.slaDeadline,
  });
  return { watched: true };
}
