import type { FormFields } from './web-form.js';

/** Field names site builders and form services use for a hidden field that only bots fill in. */
export const DEFAULT_HONEYPOT_FIELDS = ['website_url', 'hp', '_gotcha', 'honeypot'] as const;

/** The answer a lead carries when its honeypot was filled; default scoring disqualifies on it. */
export const HONEYPOT_ANSWER = '_honeypot';

/**
 * Takes the honeypot fields out of a submission and says whether any was filled. A filled honeypot
 * does not reject the submission, which would tell the bot what to change: callers keep the lead and
 * mark it with `HONEYPOT_ANSWER`, and qualification disqualifies it. Names compare case-insensitively.
 */
export function separateHoneypot(fields: FormFields, names: Iterable<string> = DEFAULT_HONEYPOT_FIELDS): { fields: FormFields; filled: boolean } {
  const honeypots = new Set([...names].map((name) => name.trim().toLowerCase()));
  const kept: FormFields = [];
  let filled = false;
  for (const [key, value] of fields) {
    if (!honeypots.has(key.trim().toLowerCase())) kept.push([key, value]);
    else if (value.trim()) filled = true;
  }
  return { fields: kept, filled };
}
