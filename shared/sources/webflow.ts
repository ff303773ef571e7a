import * as z from 'zod/mini';
import { UnauthorizedError } from '../domain/errors.js';
import type { Delivery, SourceAdapter } from './adapter.js';
import { flattenJsonFields, idempotencyKeyOf, parseContract, parseJsonBody, readFormLead } from './form-lead.js';
import { assertFresh, constantTimeEqual, hmacHex, prefixed } from './signatures.js';
import { providerCatalog } from './catalog.js';

/** Webflow's documented limit: a request signed more than 5 minutes before it arrives is refused. */
const MAX_AGE_MS = 5 * 60 * 1000;

const submissionSchema = z.object({
  name: z.optional(z.string()),
  siteId: z.optional(z.string()),
  data: z.record(z.string(), z.unknown()),
  id: z.optional(z.string()),
  formId: z.optional(z.string()),
});

/** The v1 shape, still sent by webhooks added in the site's dashboard. */
const legacySubmissionSchema = z.object({
  name: z.optional(z.string()),
  site: z.optional(z.string()),
  data: z.record(z.string(), z.unknown()),
  _id: z.optional(z.string()),
});

const envelopeSchema = z.object({ triggerType: z.string(), payload: z.unknown() });

interface Submission {
  data: Record<string, unknown>;
  id?: string;
  formId?: string;
  siteId?: string;
}

/** Reads either body shape into one submission, or says why there is none. */
function submissionOf(body: unknown): Submission | { ignored: string } {
  if (typeof body === 'object' && body !== null && 'triggerType' in body) {
    const envelope = parseContract(envelopeSchema, body, 'Webflow webhook');
    if (envelope.triggerType !== 'form_submission') {
      return { ignored: `Webflow ${envelope.triggerType} events carry no form submission` };
    }
    const { data, id, formId, siteId } = parseContract(submissionSchema, envelope.payload, 'Webflow form submission', ['payload']);
    return { data, id, formId, siteId };
  }
  const legacy = parseContract(legacySubmissionSchema, body, 'Webflow form submission');
  return { data: legacy.data, id: legacy._id, siteId: legacy.site };
}

/**
 * Webflow form submissions. Webhooks created through the API are signed: `x-webflow-signature` is the
 * hex HMAC-SHA256 of `x-webflow-timestamp + ":" + body`. Webhooks added in the dashboard are not signed
 * at all, so a source configured without a secret accepts unsigned requests.
 *
 * Only the signature over the raw bytes is accepted. Webflow's sample receivers hash
 * `JSON.stringify(req.body)`, which matches only when the bytes sent are already compact JSON, so those
 * senders are covered by the raw-bytes check too. Also accepting a signature over our own
 * re-serialization would accept other byte sequences that parse to the same value (duplicate keys,
 * numbers rounded by JSON.parse), and would make verification depend on how JSON.parse reads the body.
 */
export const webflowAdapter: SourceAdapter = {
  provider: 'webflow',
  ...providerCatalog.webflow,
  accepts: ['application/json'],
  verify(request, source) {
    const secret = source.secrets.secret;
    if (!secret) return;
    const signature = request.headers['x-webflow-signature'];
    const timestamp = request.headers['x-webflow-timestamp'];
    if (!signature || !timestamp) {
      throw new UnauthorizedError('the x-webflow-signature and x-webflow-timestamp headers are required for this source');
    }
    if (!/^\d{1,15}$/.test(timestamp)) throw new UnauthorizedError('the x-webflow-timestamp header must be milliseconds since 1970');
    assertFresh(Number(timestamp), request.receivedAt, MAX_AGE_MS, 'Webflow');
    const expected = hmacHex(secret, prefixed(`${timestamp}:`, request.raw));
    if (!constantTimeEqual(signature.toLowerCase(), expected)) {
      throw new UnauthorizedError("the x-webflow-signature does not match the body signed with this source's secret");
    }
  },
  parse(request, source): Delivery {
    const submission = submissionOf(parseJsonBody(request.text));
    if ('ignored' in submission) return { kind: 'ignored', reason: submission.ignored };
    // Webflow writes a phone field as a JSON number when the visitor typed only digits; fields read it as text.
    const lead = readFormLead(flattenJsonFields(submission.data), {
      provider: 'webflow',
      defaultCountry: source.defaultCountry,
      keepWithOneContact: true,
    });
    if (submission.id) lead.externalIds.submissionId = submission.id;
    if (submission.formId) {
      lead.externalIds.formId = submission.formId;
      lead.attribution.formId = submission.formId;
    }
    if (submission.siteId) lead.externalIds.siteId = submission.siteId;
    const key = idempotencyKeyOf(submission.id);
    if (key) lead.idempotencyKey = key;
    return { kind: 'leads', leads: [lead], rejected: [] };
  },
};
