import { createHash } from 'node:crypto';
import { fieldMap } from '../domain/field-map.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { InboundRequest } from '../sources/adapter.js';
import type { RawRequest } from '../store/lead-store.js';

/** Archived bodies keep their first 64 KB: a DynamoDB item stops at 400 KB, and the lead is kept whole anyway. */
const MAX_ARCHIVED_BODY = 65_536;
/** Answers beyond these bounds are cut, so Lead Captured stays far below EventBridge's 256 KB entry limit. */
const MAX_ANSWERS = 200;
const MAX_ANSWER_LENGTH = 10_000;
const MAX_ANSWERS_BYTES = 120_000;

/** Headers worth keeping with an archived request; signatures and tokens are not among them. */
const ARCHIVED_HEADERS = ['user-agent', 'content-type', 'x-forwarded-for'];

const REDACTED = '[redacted]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The body with every whole field value that is one of the source's secrets replaced: some senders put
 * their shared secret in the body (Google Ads' `google_key`), and secrets are never kept in the table.
 * Whole values only (a JSON string, a urlencoded value), so a short secret does not mangle other text.
 */
function redactSecrets(body: string, secrets: Readonly<Record<string, string | undefined>>): string {
  let redacted = body;
  for (const secret of new Set(Object.values(secrets))) {
    if (!secret) continue;
    redacted = redacted.split(JSON.stringify(secret)).join(JSON.stringify(REDACTED));
    for (const encoded of new Set([encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')])) {
      redacted = redacted.replace(new RegExp(`(^|&)([^=&]*)=${escapeRegExp(encoded)}(?=&|$)`, 'g'), `$1$2=${encodeURIComponent(REDACTED)}`);
    }
  }
  return redacted;
}

/**
 * What is archived about a webhook request: its body (cut at 64 KB, with the whole body's hash; the
 * source's secrets redacted), a few headers.
 */
export function rawRequestOf(request: InboundRequest, secrets: Readonly<Record<string, string | undefined>> = {}): RawRequest & { bodyBytes?: number; bodySha256?: string } {
  const cut = request.raw.length > MAX_ARCHIVED_BODY;
  return {
    contentType: request.mediaType,
    body: redactSecrets(cut ? request.raw.subarray(0, MAX_ARCHIVED_BODY).toString('utf8') : request.text, secrets),
    headers: Object.fromEntries(ARCHIVED_HEADERS.filter((h) => request.headers[h]).map((h) => [h, request.headers[h]!])),
    ...(cut ? { bodyBytes: request.raw.length, bodySha256: createHash('sha256').update(request.raw).digest('hex') } : {}),
  };
}

/** A lead whose answers fit the event and item limits; what is cut is said in an `_truncated` answer. */
export function boundLead(lead: CanonicalLead): CanonicalLead {
  const entries = Object.entries(lead.answers);
  let bytes = 0;
  let cut = false;
  const kept: Array<[string, string]> = [];
  for (const [key, value] of entries.slice(0, MAX_ANSWERS)) {
    const v = value.length > MAX_ANSWER_LENGTH ? value.slice(0, MAX_ANSWER_LENGTH) : value;
    if (v !== value) cut = true;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(v);
    if (bytes > MAX_ANSWERS_BYTES) {
      cut = true;
      break;
    }
    kept.push([key.slice(0, 200), v]);
  }
  if (!cut && entries.length <= MAX_ANSWERS && !Object.hasOwn(lead.answers, '__proto__')) return lead;
  // fieldMap also renames a `__proto__` answer, which adapters that assign answers one by one let through.
  if (!cut && entries.length <= MAX_ANSWERS) return { ...lead, answers: fieldMap(kept) };
  return { ...lead, answers: fieldMap([...kept, ['_truncated', `answers over ${MAX_ANSWERS} fields or ${MAX_ANSWERS_BYTES} bytes were cut`]]) };
}
