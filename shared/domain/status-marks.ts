import type { LeadStatusChanged } from '../../events/lead-status-changed.js';
import type { Revenue } from './lead-status.js';

/** A funnel step a rep's status change reached, with what the report needs from it. */
export interface StatusMark {
  stage: 'accepted' | 'contacted' | 'won' | 'lost';
  latencyMs?: number;
  revenue?: Revenue;
}

/**
 * The funnel steps one Lead Status Changed reaches. One event can reach two: the first change after
 * assignment also accepts the lead (it carries captureToAcceptMs), and the first change that reaches
 * the person (contacted, qualified or won) records first contact (captureToContactMs). A move to
 * `qualified` that records neither reaches no step the report counts.
 */
export function statusMarksOf(change: LeadStatusChanged): StatusMark[] {
  const marks: StatusMark[] = [];
  if (change.to === 'accepted' || change.captureToAcceptMs !== undefined) {
    marks.push({ stage: 'accepted', ...(change.captureToAcceptMs !== undefined ? { latencyMs: change.captureToAcceptMs } : {}) });
  }
  if (change.to === 'contacted' || change.captureToContactMs !== undefined) {
    marks.push({ stage: 'contacted', ...(change.captureToContactMs !== undefined ? { latencyMs: change.captureToContactMs } : {}) });
  }
  if (change.to === 'won') marks.push({ stage: 'won', ...(change.revenue ? { revenue: change.revenue } : {}) });
  if (change.to === 'lost') marks.push({ stage: 'lost' });
  return marks;
}
