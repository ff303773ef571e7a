import type { Attribution } from '../../events/lead-captured.js';
import { UnauthorizedError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { Delivery, InboundRequest, LeadReference, SourceAdapter, SourceContext } from './adapter.js';
import { epochToIso, idText, isJsonObject, parseExactJson, type ExactJson } from './exact-json.js';
import { constantTimeEqual, ForbiddenError, hmacHex, requireSecret } from './signatures.js';
import { providerCatalog } from './catalog.js';

export const META_PROVIDER = 'meta_lead_ads';

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;
const MAX_CHALLENGE_LENGTH = 200;

/**
 * Answers Meta's subscription handshake: it calls the callback URL with the verify token it was given
 * and expects the challenge back as the plain body.
 */
function answerHandshake(request: InboundRequest, source: SourceContext): Delivery {
  const mode = request.query['hub.mode'];
  const token = request.query['hub.verify_token'];
  const challenge = request.query['hub.challenge'];
  const expected = source.secrets.verifyToken;
  if (mode !== 'subscribe') throw new ForbiddenError('hub.mode must be "subscribe"');
  if (!expected || token === undefined || !constantTimeEqual(token, expected)) {
    throw new ForbiddenError('hub.verify_token does not match the verify token configured for this source');
  }
  if (!challenge || challenge.length > MAX_CHALLENGE_LENGTH) {
    throw new ValidationError(`hub.challenge is required and at most ${MAX_CHALLENGE_LENGTH} characters`);
  }
  return { kind: 'reply', statusCode: 200, contentType: 'text/plain', body: challenge };
}

/** Meta signs the exact bytes it sent (with non-ASCII escaped as \uXXXX), so only the raw body will do. */
function verifySignature(request: InboundRequest, source: SourceContext): void {
  const appSecret = requireSecret(source.secrets, 'appSecret', 'Meta');
  const header = request.headers['x-hub-signature-256'];
  if (!header) throw new UnauthorizedError('the X-Hub-Signature-256 header is missing');
  const match = SIGNATURE.exec(header.trim());
  if (!match?.[1]) throw new UnauthorizedError('X-Hub-Signature-256 must be "sha256=" followed by 64 hex digits');
  if (!constantTimeEqual(match[1].toLowerCase(), hmacHex(appSecret, request.raw))) {
    throw new UnauthorizedError('X-Hub-Signature-256 does not match the body signed with the app secret');
  }
}

/** Reads one `leadgen` change into a reference, or names what is wrong with it. */
function referenceOf(value: ExactJson | undefined): LeadReference | string {
  if (!isJsonObject(value)) return 'value must be an object';
  const leadgenId = idText(value.leadgen_id);
  if (!leadgenId || !/^\d+$/.test(leadgenId)) return 'value.leadgen_id must be a numeric id';
  const externalIds: Record<string, string> = {};
  for (const key of ['page_id', 'form_id', 'ad_id', 'adgroup_id'] as const) {
    const id = idText(value[key]);
    if (id) externalIds[key] = id;
  }
  const createdAt = epochToIso(value.created_time, 'seconds');
  if (createdAt) externalIds.created_time = createdAt;
  const attribution: Attribution = {};
  const campaignId = idText(value.campaign_id);
  // In this payload adgroup_id is the legacy name of the *ad* (it equals ad_id), not of the ad set.
  const adsetId = idText(value.adset_id);
  const adId = externalIds.ad_id ?? externalIds.adgroup_id;
  if (campaignId) attribution.campaignId = campaignId;
  if (adsetId) attribution.adsetId = adsetId;
  if (adId) attribution.adId = adId;
  if (externalIds.form_id) attribution.formId = externalIds.form_id;
  const ref: LeadReference = { provider: META_PROVIDER, externalId: leadgenId, externalIds, attribution, isTest: false };
  if (createdAt) ref.createdAt = createdAt;
  return ref;
}

/**
 * Reads a Meta `leadgen` notification: ids only, batched as `entry[].changes[]`. The same lead may come
 * twice, even in one POST, so references are collapsed by leadgen id. A malformed change is named in
 * `rejected` and the others still count.
 */
function parseNotification(request: InboundRequest): Delivery {
  const body = parseExactJson(request.text);
  if (!isJsonObject(body)) throw new ValidationError('the body must be a JSON object');
  if (body.object !== 'page') {
    const object = typeof body.object === 'string' ? body.object.slice(0, 50) : 'none';
    return { kind: 'ignored', reason: `notifications for object "${object}" carry no leads` };
  }
  const entries = body.entry;
  if (!Array.isArray(entries)) throw new ValidationError('the notification has no entry list', [{ field: 'entry', problem: 'must be an array' }]);
  const refs = new Map<string, LeadReference>();
  const rejected: FieldProblem[] = [];
  entries.forEach((entry, e) => {
    const changes = isJsonObject(entry) ? entry.changes : undefined;
    if (!Array.isArray(changes)) {
      rejected.push({ field: `entry[${e}].changes`, problem: 'must be an array' });
      return;
    }
    changes.forEach((change, c) => {
      const field = `entry[${e}].changes[${c}]`;
      if (!isJsonObject(change)) {
        rejected.push({ field, problem: 'must be an object' });
        return;
      }
      if (change.field !== 'leadgen') return;
      const ref = referenceOf(change.value);
      if (typeof ref === 'string') rejected.push({ field, problem: ref });
      else if (!refs.has(ref.externalId)) refs.set(ref.externalId, ref);
    });
  });
  if (refs.size === 0 && rejected.length > 0) {
    throw new ValidationError('no change in the notification could be read', rejected);
  }
  if (refs.size === 0) return { kind: 'ignored', reason: 'the notification has no leadgen changes' };
  return { kind: 'lead-refs', refs: [...refs.values()], rejected };
}

/** Meta Lead Ads webhooks (`leadgen` on a page): the lead itself is read from the Graph API afterwards. */
export const metaLeadAdsAdapter: SourceAdapter = {
  provider: META_PROVIDER,
  ...providerCatalog.meta_lead_ads,
  accepts: ['application/json'],
  handshake: answerHandshake,
  verify: verifySignature,
  parse: parseNotification,
};
