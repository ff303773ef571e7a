import { createHash } from 'node:crypto';
import type { Attribution, Person } from '../../events/lead-captured.js';
import type { Channel } from '../../events/common.js';

/** A lead as a source adapter hands it to intake: normalized, before it has an id. */
export interface CanonicalLead {
  channel: Channel;
  provider: string;
  externalIds: Record<string, string>;
  person: Person;
  message?: string;
  answers: Record<string, string>;
  attribution: Attribution;
  isTest: boolean;
  /** The sender's own key for this submission, when it gives one. */
  idempotencyKey?: string;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A fingerprint of what the person submitted, independent of field order and formatting, so that a
 * double-clicked submit or a sender's retry without an id is recognised as the same lead.
 */
export function contentFingerprint(lead: CanonicalLead): string {
  const { person, message, answers, attribution, externalIds } = lead;
  return createHash('sha256')
    .update(canonicalJson({ person, message, answers, attribution, externalIds }))
    .digest('base64url');
}
