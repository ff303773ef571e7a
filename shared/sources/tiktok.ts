import type { Attribution } from '../../events/lead-captured.js';
import { fieldMap } from '../domain/field-map.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import { UnauthorizedError, ValidationError, type FieldProblem } from '../domain/errors.js';
import type { Delivery, InboundRequest, SourceAdapter, SourceContext } from './adapter.js';
import { epochToIso, idText, isJsonObject, parseExactJson, scalarText, type ExactJson, type JsonObject } from './exact-json.js';
import { assertFresh, constantTimeEqual, ForbiddenError, hmacHex, prefixed } from './signatures.js';
import { providerCatalog } from './catalog.js';
import { personFromFields } from '../domain/person-fields.js';

/*
 * What is known and what is leadflow's choice. TikTok documents, for its webhooks in general, a JSON
 * envelope `{client_key, event, create_time, user_openid, content}` whose `content` is a serialized
 * JSON string, signed by `TikTok-Signature: t=<unix s>,s=<hex HMAC-SHA256(client secret, t + "." + body)>`.
 * The body of a lead-generation delivery and how a lead webhook proves its origin are not documented
 * in the material leadflow could consult. So:
 * - every request must carry the source's `token` as a query parameter (the URL given to TikTok);
 *   when the source also has a `clientSecret`, the documented TikTok-Signature is required as well;
 * - the lead is read from the envelope's `content` when there is one, else from the body itself, as
 *   one lead or `leads: [...]`, with its ids at the top level or under `meta_data` and its answers
 *   under `lead_data` (an object of name → value, or a list of `{name, value}`).
 */

export const TIKTOK_PROVIDER = 'tiktok';

const SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;
const ID_FIELDS = ['lead_id', 'advertiser_id', 'page_id', 'form_id', 'campaign_id', 'adgroup_id', 'ad_id'] as const;
type PersonKey = 'name' | 'firstName' | 'lastName' | 'email' | 'phone';
const PERSON_FIELDS: Record<string, PersonKey> = {
  name: 'name', full_name: 'name', first_name: 'firstName', last_name: 'lastName',
  email: 'email', email_address: 'email', phone: 'phone', phone_number: 'phone',
};
const MAX_LEADS = 100;

function verifyTikTokSignature(request: InboundRequest, clientSecret: string): void {
  const header = request.headers['tiktok-signature'];
  if (!header) throw new UnauthorizedError('the TikTok-Signature header is missing');
  const parts = new Map(header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  }));
  const t = parts.get('t');
  const s = parts.get('s');
  if (!t || !/^\d{1,12}$/.test(t) || !s) throw new UnauthorizedError('TikTok-Signature must be "t=<unix seconds>,s=<hex>"');
  assertFresh(Number(t) * 1000, request.receivedAt, SIGNATURE_TOLERANCE_MS, 'TikTok');
  if (!constantTimeEqual(s.toLowerCase(), hmacHex(clientSecret, prefixed(`${t}.`, request.raw)))) {
    throw new UnauthorizedError('TikTok-Signature does not match the body signed with the client secret');
  }
}

/** The per-source token in the webhook URL; plus TikTok's own signature when a client secret is configured. */
function verifyRequest(request: InboundRequest, source: SourceContext): void {
  const expected = source.secrets.token;
  const token = request.query.token;
  if (!token) throw new UnauthorizedError('the webhook URL has no token parameter');
  if (!expected || !constantTimeEqual(token, expected)) {
    throw new ForbiddenError('the token parameter does not match the token configured for this source');
  }
  const clientSecret = source.secrets.clientSecret;
  if (clientSecret) verifyTikTokSignature(request, clientSecret);
}

function answersOf(leadData: ExactJson | undefined): Array<[string, string]> | string {
  if (leadData === undefined) return [];
  if (isJsonObject(leadData)) {
    return Object.entries(leadData).flatMap(([name, value]) => {
      const text = Array.isArray(value) ? value.map(scalarText).filter(Boolean).join(', ') : scalarText(value);
      return text === undefined ? [] : [[name, text] as [string, string]];
    });
  }
  if (!Array.isArray(leadData)) return 'lead_data must be an object or a list';
  const pairs: Array<[string, string]> = [];
  for (const item of leadData) {
    const name = isJsonObject(item) ? scalarText(item.name ?? item.field_name) : undefined;
    const value = isJsonObject(item) ? scalarText(item.value ?? item.field_value) : undefined;
    if (name === undefined || value === undefined) return 'every lead_data item needs a name and a value';
    pairs.push([name, value]);
  }
  return pairs;
}

function leadOf(item: ExactJson, source: SourceContext): CanonicalLead | string {
  if (!isJsonObject(item)) return 'must be an object';
  const meta: JsonObject = isJsonObject(item.meta_data) ? item.meta_data : item;
  const externalIds: Record<string, string> = {};
  for (const key of ID_FIELDS) {
    const id = idText(meta[key] ?? item[key]);
    if (id) externalIds[key] = id;
  }
  const leadId = externalIds.lead_id;
  if (!leadId) return 'lead_id must be a string or an integer';
  const createdAt = epochToIso(meta.create_time ?? item.create_time, 'seconds');
  if (createdAt) externalIds.create_time = createdAt;
  const pairs = answersOf(item.lead_data);
  if (typeof pairs === 'string') return pairs;

  const found: Partial<Record<PersonKey, string>> = {};
  const answers = fieldMap();
  const attribution: Attribution = {};
  for (const [name, raw] of pairs) {
    const value = raw.trim();
    if (!value) continue;
    const canonical = name.trim().toLowerCase().replace(/[\s.-]+/g, '_');
    const key = Object.hasOwn(PERSON_FIELDS, canonical) ? PERSON_FIELDS[canonical] : undefined;
    if (canonical === 'ttclid') attribution.ttclid = value.slice(0, 500);
    else if (key && found[key] === undefined) found[key] = value;
    else answers[name] = value.slice(0, 10_000);
  }
  const person = personFromFields(found, { defaultCountry: source.defaultCountry, answers, badEmailAnswer: 'email' });
  if (externalIds.campaign_id) attribution.campaignId = externalIds.campaign_id;
  // A TikTok ad group is what the other platforms call an ad set; an instant form is a "page".
  if (externalIds.adgroup_id) attribution.adsetId = externalIds.adgroup_id;
  if (externalIds.ad_id) attribution.adId = externalIds.ad_id;
  const formId = externalIds.form_id ?? externalIds.page_id;
  if (formId) attribution.formId = formId;
  const isTest = [meta.is_test, item.is_test, meta.test_lead, item.test_lead].some((flag) => flag === true);
  return {
    channel: 'ad_form',
    provider: TIKTOK_PROVIDER,
    externalIds,
    person,
    answers,
    attribution,
    isTest,
    idempotencyKey: `tiktok:${leadId}`,
  };
}

/** Reads one lead or a batch (`leads: [...]`); repeats of a lead id collapse, unreadable items are named. */
function parseDelivery(request: InboundRequest, source: SourceContext): Delivery {
  const body = parseExactJson(request.text);
  if (!isJsonObject(body)) throw new ValidationError('the body must be a JSON object');
  let payload: ExactJson = body;
  if (typeof body.content === 'string') {
    payload = parseExactJson(body.content);
    if (!isJsonObject(payload)) throw new ValidationError('content must hold a JSON object');
  }
  const batch = isJsonObject(payload) && Array.isArray(payload.leads) ? payload.leads : undefined;
  const items: ExactJson[] = batch ?? [payload];
  if (items.length > MAX_LEADS) throw new ValidationError(`a delivery may carry at most ${MAX_LEADS} leads`);
  const leads = new Map<string, CanonicalLead>();
  const rejected: FieldProblem[] = [];
  items.forEach((item, i) => {
    const lead = leadOf(item, source);
    if (typeof lead === 'string') rejected.push({ field: batch ? `leads[${i}]` : 'lead', problem: lead });
    else if (!leads.has(lead.externalIds.lead_id!)) leads.set(lead.externalIds.lead_id!, lead);
  });
  if (leads.size === 0) throw new ValidationError('the delivery has no readable lead', rejected);
  return { kind: 'leads', leads: [...leads.values()], rejected };
}

/** TikTok Lead Generation (instant forms): the whole lead arrives in the webhook. */
export const tiktokAdapter: SourceAdapter = {
  provider: TIKTOK_PROVIDER,
  ...providerCatalog.tiktok,
  accepts: ['application/json'],
  verify: verifyRequest,
  parse: parseDelivery,
};
