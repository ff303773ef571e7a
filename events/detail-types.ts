/**
 * The detail-type of every leadflow event. Kept apart from the schemas so a function that only names
 * an event (intake publishes Lead Captured without parsing one) does not bundle the schema library.
 */
/** The EventBridge `source` of every event leadflow publishes. */
export const EVENT_SOURCE = 'leadflow';

export const LEAD_CAPTURED = 'Lead Captured';
export const LEAD_QUALIFIED = 'Lead Qualified';
export const LEAD_DISQUALIFIED = 'Lead Disqualified';
export const LEAD_ASSIGNED = 'Lead Assigned';
export const REP_NOTIFIED = 'Rep Notified';
export const NOTIFICATION_FAILED = 'Notification Failed';
export const LEAD_REFERENCED = 'Lead Referenced';
export const LEAD_WITHDRAWN = 'Lead Withdrawn';
export const CALL_TRACKED = 'Call Tracked';
export const LEAD_STATUS_CHANGED = 'Lead Status Changed';
export const LEAD_TAKEN_BACK = 'Lead Taken Back';
