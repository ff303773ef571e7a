import { EVENT_SOURCE } from './common.js';
import { CALL_TRACKED, LEAD_ASSIGNED, LEAD_CAPTURED, LEAD_QUALIFIED, LEAD_REFERENCED, LEAD_STATUS_CHANGED, LEAD_TAKEN_BACK, LEAD_WITHDRAWN, REP_NOTIFIED } from './detail-types.js';

/** The EventBridge patterns the topology routes by; one per consumer, named after what it selects. */
export const patterns = {
  leadCaptured: { source: [EVENT_SOURCE], 'detail-type': [LEAD_CAPTURED] },
  leadQualified: { source: [EVENT_SOURCE], 'detail-type': [LEAD_QUALIFIED] },
  leadAssigned: { source: [EVENT_SOURCE], 'detail-type': [LEAD_ASSIGNED] },
  leadAssignedWithDeadline: { source: [EVENT_SOURCE], 'detail-type': [LEAD_ASSIGNED], detail: { slaDeadline: [{ exists: true }] } },
  leadTakenBack: { source: [EVENT_SOURCE], 'detail-type': [LEAD_TAKEN_BACK] },
  leadReferenced: { source: [EVENT_SOURCE], 'detail-type': [LEAD_REFERENCED, LEAD_WITHDRAWN] },
  callTracked: { source: [EVENT_SOURCE], 'detail-type': [CALL_TRACKED] },
  leadWon: { source: [EVENT_SOURCE], 'detail-type': [LEAD_STATUS_CHANGED], detail: { to: ['won'] } },
  funnelProgress: {
    source: [EVENT_SOURCE],
    'detail-type': [LEAD_CAPTURED, LEAD_QUALIFIED, LEAD_ASSIGNED, REP_NOTIFIED, LEAD_STATUS_CHANGED, LEAD_TAKEN_BACK, CALL_TRACKED],
  },
} as const;
