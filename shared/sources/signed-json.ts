import type { CanonicalLead } from '../domain/canonical-lead.js';
import { ClientError, UnauthorizedError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { Delivery, SourceAdapter, SourceContext } from './adapter.js';
import { flattenJsonFields, parseJsonBody, readFormLead } from './form-lead.js';
import { assertFresh, constantTimeEqual, hmacHex, prefixed, requireSecret } from './signatures.js';
import type { FormFields } from './web-form.js';
import { providerCatalog } from './catalog.js';

/** How far the sender's clock may be from ours before a signed request counts as a replay. */
const MAX_SKEW_MS = 300 * 1000;
const MAX_BATCH = 100;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads one JSON object of form fields, as POST /v1/leads takes them. An `event_id` serves as the
 * idempotency key when there is no `idempotency_key` (it goes last, so an explicit key wins).
 */
function signedJsonLead(item: unknown, source: SourceContext, fallbackKey?: string): CanonicalLead {
  const fields: FormFields = [];
  const eventIds: FormFields = [];
  for (const [key, value] of flattenJsonFields(item)) {
    if (key.trim().toLowerCase() === 'event_id') eventIds.push(['idempotency_key', value]);
    else fields.push([key, value]);
  }
  if (fallbackKey) eventIds.push(['idempotency_key', fallbackKey]);
  return readFormLead([...fields, ...eventIds], { provider: 'signed_json', defaultCountry: source.defaultCountry });
}

/** What was wrong with one item of a batch, named by its place in `leads`. */
function problemsOf(error: ClientError, index: number): FieldProblem[] {
  const at = `leads[${index}]`;
  if (error.fields.length === 0) return [{ field: at, problem: error.message }];
  return error.fields.map((f) => ({ field: `${at}.${f.field}`, problem: f.problem }));
}

function readBatch(body: Record<string, unknown>, items: unknown[], source: SourceContext): Delivery {
  if (items.length === 0) throw new ValidationError('the batch is empty', [{ field: 'leads', problem: 'must hold at least one lead' }]);
  if (items.length > MAX_BATCH) {
    throw new ValidationError(`a batch may hold at most ${MAX_BATCH} leads`, [{ field: 'leads', problem: `has ${items.length} items` }]);
  }
  const batchId = typeof body.event_id === 'string' && body.event_id.trim() ? body.event_id.trim() : undefined;
  const leads: CanonicalLead[] = [];
  const rejected: FieldProblem[] = [];
  items.forEach((item, index) => {
    try {
      leads.push(signedJsonLead(item, source, batchId && `${batchId}:${index}`));
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      rejected.push(...problemsOf(error, index));
    }
  });
  if (leads.length === 0) throw new ValidationError('no lead in the batch could be read', rejected);
  return { kind: 'leads', leads, rejected };
}

/**
 * A generic signed JSON webhook for senders without an adapter of their own (WordPress plugins,
 * Jotform, Zapier, in-house code). `X-Leadflow-Signature: sha256=` is the hex HMAC-SHA256 of
 * `X-Leadflow-Timestamp + "." + body`, the timestamp in unix seconds; the body is one lead's form fields
 * or `{"leads": [...]}`, where unreadable items are named in `rejected` and the rest are accepted.
 */
export const signedJsonAdapter: SourceAdapter = {
  provider: 'signed_json',
  ...providerCatalog.signed_json,
  accepts: ['application/json'],
  verify(request, source) {
    const secret = requireSecret(source.secrets, 'secret', 'signed_json');
    const signature = request.headers['x-leadflow-signature'];
    const timestamp = request.headers['x-leadflow-timestamp'];
    if (!signature) throw new UnauthorizedError('the X-Leadflow-Signature header is missing');
    if (!timestamp) throw new UnauthorizedError('the X-Leadflow-Timestamp header is missing');
    if (!/^\d{1,12}$/.test(timestamp)) throw new UnauthorizedError('the X-Leadflow-Timestamp header must be unix seconds');
    assertFresh(Number(timestamp) * 1000, request.receivedAt, MAX_SKEW_MS, 'X-Leadflow-Timestamp');
    if (!signature.startsWith('sha256=')) throw new UnauthorizedError('the X-Leadflow-Signature header must start with "sha256="');
    const expected = hmacHex(secret, prefixed(`${timestamp}.`, request.raw));
    if (!constantTimeEqual(signature.slice('sha256='.length).toLowerCase(), expected)) {
      throw new UnauthorizedError("the X-Leadflow-Signature does not match the body signed with this source's secret");
    }
  },
  parse(request, source): Delivery {
    const body = parseJsonBody(request.text);
    if (isRecord(body) && Array.isArray(body.leads)) return readBatch(body, body.leads, source);
    return { kind: 'leads', leads: [signedJsonLead(body, source)], rejected: [] };
  },
};
