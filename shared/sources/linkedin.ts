import { UnauthorizedError, ValidationError } from '../domain/errors.js';
import type { Delivery, InboundRequest, LeadReference, SourceAdapter, SourceContext } from './adapter.js';
import { epochToIso, isJsonObject, parseExactJson, type ExactJson } from './exact-json.js';
import { constantTimeEqual, hmacHex, prefixed, requireSecret } from './signatures.js';
import { providerCatalog } from './catalog.js';

export const LINKEDIN_PROVIDER = 'linkedin';

const LEAD_URN = /^urn:li:leadGenFormResponse:([A-Za-z0-9_-]{1,200})$/;
const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

/**
 * Answers LinkedIn's endpoint validation (sent on registration and every 2 hours): the challenge
 * code back with its HMAC under the app's client secret.
 */
function answerChallenge(request: InboundRequest, source: SourceContext): Delivery {
  const clientSecret = requireSecret(source.secrets, 'clientSecret', 'LinkedIn');
  const challengeCode = request.query.challengeCode;
  if (!challengeCode || challengeCode.length > 200) {
    throw new ValidationError('challengeCode is required and at most 200 characters');
  }
  return {
    kind: 'reply',
    statusCode: 200,
    contentType: 'application/json',
    body: JSON.stringify({ challengeCode, challengeResponse: hmacHex(clientSecret, challengeCode) }),
  };
}

/** LinkedIn signs "hmacsha256=" followed by the raw body, and sends only the hex digest. */
function verifySignature(request: InboundRequest, source: SourceContext): void {
  const clientSecret = requireSecret(source.secrets, 'clientSecret', 'LinkedIn');
  const signature = request.headers['x-li-signature']?.trim();
  if (!signature) throw new UnauthorizedError('the X-LI-Signature header is missing');
  if (!HEX_SIGNATURE.test(signature)) throw new UnauthorizedError('X-LI-Signature must be 64 hex digits');
  const expected = hmacHex(clientSecret, prefixed('hmacsha256=', request.raw));
  if (!constantTimeEqual(signature.toLowerCase(), expected)) {
    throw new UnauthorizedError('X-LI-Signature does not match the body signed with the client secret');
  }
}

/** An URN field as text, or a nested `{ sponsoredAccount: urn }`-style object as `key=urn`. */
function urnText(value: ExactJson | undefined): string | undefined {
  if (typeof value === 'string' && value.startsWith('urn:li:')) return value.slice(0, 300);
  if (isJsonObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (typeof inner === 'string' && inner.startsWith('urn:li:')) return inner.slice(0, 300);
      if (key && isJsonObject(inner)) return urnText(inner);
    }
  }
  return undefined;
}

/**
 * Reads a Lead Sync notification (`type: LEAD_ACTION`). It carries no personal data: a CREATED lead
 * becomes a reference to read from the API, a DELETED one a suppression (the member withdrew it and
 * it must not be worked).
 */
function parseNotification(request: InboundRequest): Delivery {
  const body = parseExactJson(request.text);
  if (!isJsonObject(body)) throw new ValidationError('the body must be a JSON object');
  if (body.type !== 'LEAD_ACTION') {
    const type = typeof body.type === 'string' ? body.type.slice(0, 60) : 'none';
    return { kind: 'ignored', reason: `notifications of type "${type}" carry no leads` };
  }
  const urn = body.leadGenFormResponse;
  const leadId = typeof urn === 'string' ? LEAD_URN.exec(urn)?.[1] : undefined;
  if (!leadId) {
    throw new ValidationError('the notification names no lead', [
      { field: 'leadGenFormResponse', problem: 'must be an urn:li:leadGenFormResponse URN' },
    ]);
  }
  const action = body.leadAction;
  if (action === 'DELETED') return { kind: 'suppressions', provider: LINKEDIN_PROVIDER, externalIds: [leadId] };
  if (action !== 'CREATED') {
    throw new ValidationError('the notification has an unknown lead action', [
      { field: 'leadAction', problem: 'must be CREATED or DELETED' },
    ]);
  }
  const externalIds: Record<string, string> = { lead_urn: urn as string };
  const form = urnText(body.leadGenForm);
  const owner = urnText(body.owner);
  const associated = urnText(body.associatedEntity);
  if (form) externalIds.form = form;
  if (owner) externalIds.owner = owner;
  if (associated) externalIds.associated_entity = associated;
  if (typeof body.leadType === 'string') externalIds.lead_type = body.leadType.slice(0, 60);
  const createdAt = epochToIso(body.occurredAt, 'milliseconds');
  const ref: LeadReference = {
    provider: LINKEDIN_PROVIDER,
    externalId: leadId,
    externalIds,
    attribution: form ? { formId: form } : {},
    isTest: false,
  };
  if (createdAt) ref.createdAt = createdAt;
  return { kind: 'lead-refs', refs: [ref], rejected: [] };
}

/** LinkedIn Lead Sync webhooks: the lead is read from the Lead Sync API afterwards (`linkedin-api.ts`). */
export const linkedInAdapter: SourceAdapter = {
  provider: LINKEDIN_PROVIDER,
  ...providerCatalog.linkedin,
  accepts: ['application/json'],
  handshake: answerChallenge,
  verify: verifySignature,
  parse: parseNotification,
};
