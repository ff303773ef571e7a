/*
 * A plain form's key can be rotated with an overlap: the replaced key stays in the source's secrets under
 * these names, with the time it stops working, so pages still carrying it keep posting until the admin's
 * chosen moment. The new key works from the first request after the change; neither is ever cached.
 */

/** Secret name of the key a rotation replaced. */
export const PREVIOUS_KEY = 'previousKey';
/** Secret name of when the replaced key stops working (ISO 8601). */
export const PREVIOUS_KEY_UNTIL = 'previousKeyUntil';
/** The longest overlap an admin may choose: a week, enough to redeploy every page that embeds the key. */
export const MAX_KEY_OVERLAP_SECONDS = 7 * 24 * 3600;
