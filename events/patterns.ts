import { EVENT_SOURCE } from './common.js';
import { LEAD_CAPTURED } from './lead-captured.js';
import { LEAD_QUALIFIED } from './lead-qualified.js';
import { LEAD_ASSIGNED } from './lead-assigned.js';
import { REP_NOTIFIED } from './rep-notified.js';

/** The EventBridge patterns the topology routes by; one per consumer, named after what it selects. */
export const patterns = {
  leadCaptured: { source: [EVENT_SOURCE], 'detail-type': [LEAD_CAPTURED] },
  leadQualified: { source: [EVENT_SOURCE], 'detail-type': [LEAD_QUALIFIED] },
  leadAssigned: { source: [EVENT_SOURCE], 'detail-type': [LEAD_ASSIGNED] },
  funnelProgress: {
    source: [EVENT_SOURCE],
    'detail-type': [LEAD_CAPTURED, LEAD_QUALIFIED, LEAD_ASSIGNED, REP_NOTIFIED],
  },
} as const;
