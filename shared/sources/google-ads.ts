import type { Attribution } from '../../events/lead-captured.js';
import { fieldMap } from '../domain/field-map.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import { ValidationError, type FieldProblem } from '../domain/errors.js';
import type { Delivery, InboundRequest, SourceAdapter, SourceContext } from './adapter.js';
import { idText, isJsonObject, parseExactJson, scalarText, type JsonObject } from './exact-json.js';
import { constantTimeEqual, ForbiddenError } from './signatures.js';
import { providerCatalog } from './catalog.js';
import { personFromFields } from '../domain/person-fields.js';

export const GOOGLE_PROVIDER = 'google_ads';

/** The int64 ids of a lead form delivery: JSON numbers that must stay exact text. */
const ID_FIELDS = ['lead_id', 'campaign_id', 'adgroup_id', 'creative_id', 'form_id', 'gcl_id', 'asset_id'] as const;

type PersonKey = 'name' | 'firstName' | 'lastName' | 'email' | 'phone';
/** Google's column ids for the person; WORK_* are used only when the personal one is absent. */
const PERSON_COLUMNS: Record<string, PersonKey> = {
  FULL_NAME: 'name', FIRST_NAME: 'firstName', LAST_NAME: 'lastName', EMAIL: 'email', PHONE_NUMBER: 'phone',
};
const FALLBACK_COLUMNS: Record<string, PersonKey> = { WORK_EMAIL: 'email', WORK_PHONE: 'phone' };

function readBody(request: InboundRequest): JsonObject {
  const body = parseExactJson(request.text);
  if (!isJsonObject(body)) throw new ValidationError('the body must be a JSON object');
  return body;
}

/**
 * Google signs nothing: the form's webhook key travels inside the body as `google_key`, so the body is
 * read here and the key compared in constant time.
 */
function verifyKey(request: InboundRequest, source: SourceContext): void {
  const expected = source.secrets.googleKey;
  const body = readBody(request);
  const key = body.google_key;
  if (typeof key !== 'string' || key === '') throw new ForbiddenError('the body has no google_key');
  if (!expected || !constantTimeEqual(key, expected)) {
    throw new ForbiddenError('google_key does not match the webhook key configured for this source');
  }
}

function columnsOf(body: JsonObject): { columns: Array<{ id: string; label: string; value: string }>; rejected: FieldProblem[] } {
  const data = body.user_column_data;
  const rejected: FieldProblem[] = [];
  const columns: Array<{ id: string; label: string; value: string }> = [];
  if (data === undefined) return { columns, rejected };
  if (!Array.isArray(data)) throw new ValidationError('user_column_data must be an array', [{ field: 'user_column_data', problem: 'must be an array' }]);
  data.forEach((column, i) => {
    const field = `user_column_data[${i}]`;
    if (!isJsonObject(column)) return rejected.push({ field, problem: 'must be an object' });
    const id = typeof column.column_id === 'string' ? column.column_id.trim() : '';
    const value = scalarText(column.string_value);
    if (!id) return rejected.push({ field, problem: 'column_id must be a non-empty string' });
    if (value === undefined) return rejected.push({ field, problem: 'string_value must be a string' });
    const label = typeof column.column_name === 'string' && column.column_name.trim() ? column.column_name.trim() : id;
    columns.push({ id, label, value: value.trim().slice(0, 10_000) });
  });
  return { columns, rejected };
}

/**
 * Reads a Google Ads lead form delivery: one lead per POST, ids as exact int64 text, the person from
 * `user_column_data`. An unreadable column is named in `rejected`; the lead still counts.
 */
function parseLead(request: InboundRequest, source: SourceContext): Delivery {
  const body = readBody(request);
  const externalIds: Record<string, string> = {};
  for (const key of ID_FIELDS) {
    const id = idText(body[key]);
    if (id) externalIds[key] = id;
  }
  const leadId = externalIds.lead_id;
  if (!leadId) throw new ValidationError('the lead has no lead_id', [{ field: 'lead_id', problem: 'must be a string or an integer' }]);
  const { columns, rejected } = columnsOf(body);

  const recognized: Partial<Record<PersonKey, string>> = {};
  const answers = fieldMap();
  for (const { id, label, value } of columns) {
    const key = PERSON_COLUMNS[id];
    if (key && value && recognized[key] === undefined) recognized[key] = value;
    else if (value) answers[label] = value;
  }
  for (const { id, value } of columns) {
    const key = FALLBACK_COLUMNS[id];
    if (key && value && recognized[key] === undefined) recognized[key] = value;
  }

  const person = personFromFields(recognized, { defaultCountry: source.defaultCountry, answers, badEmailAnswer: 'EMAIL' });

  // Google sends 0 for an id it has no value for (test data, or a lead without a creative).
  const present = (id: string | undefined) => (id && id !== '0' ? id : undefined);
  const attribution: Attribution = {};
  const gclid = present(externalIds.gcl_id);
  const campaignId = present(externalIds.campaign_id);
  const adsetId = present(externalIds.adgroup_id);
  const adId = present(externalIds.creative_id);
  const formId = present(externalIds.form_id);
  if (gclid) attribution.gclid = gclid;
  if (campaignId) attribution.campaignId = campaignId;
  if (adsetId) attribution.adsetId = adsetId;
  if (adId) attribution.adId = adId;
  if (formId) attribution.formId = formId;

  const lead: CanonicalLead = {
    channel: 'ad_form',
    provider: GOOGLE_PROVIDER,
    externalIds,
    person,
    answers,
    attribution,
    isTest: body.is_test === true,
    idempotencyKey: `google:${leadId}`,
  };
  return { kind: 'leads', leads: [lead], rejected };
}

/** Google Ads lead form extensions: the whole lead arrives in the webhook. */
export const googleAdsAdapter: SourceAdapter = {
  provider: GOOGLE_PROVIDER,
  ...providerCatalog.google_ads,
  accepts: ['application/json'],
  verify: verifyKey,
  parse: parseLead,
};
