import { randomBytes } from 'node:crypto';
import type { Source } from '../domain/directory.js';
import { ValidationError, type FieldProblem } from '../domain/errors.js';
import type { SecretSpec } from './adapter.js';
import { providerCatalog } from './catalog.js';
import { MAX_KEY_OVERLAP_SECONDS } from './key-rotation.js';

const catalog: Record<string, { secrets: readonly SecretSpec[] }> = providerCatalog;

/**
 * Secrets leadflow can choose itself when the admin does not give them: tokens the admin then pastes
 * into the provider's console, as opposed to secrets the provider issues (app secrets, auth tokens).
 */
const GENERATED_SECRETS: Record<string, readonly string[]> = {
  html_form: ['key'],
  tilda: ['token'],
  signed_json: ['secret'],
  call_webhook: ['signingSecret'],
  meta_lead_ads: ['verifyToken'],
  tiktok: ['token'],
};

const SOURCE_ID = /^[a-z0-9][a-z0-9_-]{1,62}$/;
const COUNTRY = /^[A-Z]{2}$/;
const CREATE_FIELDS = ['sourceId', 'name', 'provider', 'secrets', 'defaultCountry', 'allowedOrigins', 'teamId', 'redirectUrl', 'enabled', 'trackingNumbers'];
const UPDATE_FIELDS = ['name', 'secrets', 'defaultCountry', 'allowedOrigins', 'teamId', 'redirectUrl', 'enabled', 'trackingNumbers', 'previousKeyValidSeconds'];
/** Attribution a tracking number may carry. */
const TRACKING_KEYS = new Set(['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'campaignId', 'adsetId', 'adId', 'landingPage']);

/** A source as an admin creates or changes it: its settings, and secrets that go to the secret store only. */
export interface SourceInput {
  settings: Partial<Omit<Source, 'secretNames' | 'createdAt' | 'updatedAt'>>;
  secrets: Record<string, string>;
  /** On a key change: how long the replaced key keeps working (0, the default, ends it at once). */
  previousKeyValidSeconds?: number;
}

function isOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Reads a create (`mode: 'create'`) or update request body, naming every problem: unknown fields, an
 * unknown provider, secrets the provider does not use, a malformed country, origin or URL.
 */
export function readSourceInput(body: unknown, mode: 'create' | 'update', provider?: string): SourceInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('the body must be a JSON object');
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const allowed = mode === 'create' ? CREATE_FIELDS : UPDATE_FIELDS;
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) problems.push({ field: key, problem: `is not a source setting; known: ${allowed.join(', ')}` });
  }
  const settings: SourceInput['settings'] = {};
  const string = (field: string, max: number, required: boolean): string | undefined => {
    const value = input[field];
    if (value === undefined || value === null) {
      if (required) problems.push({ field, problem: 'is required' });
      return undefined;
    }
    if (typeof value !== 'string' || !value.trim()) problems.push({ field, problem: 'must be a non-empty string' });
    else if (value.length > max) problems.push({ field, problem: `must be at most ${max} characters` });
    else return value.trim();
    return undefined;
  };

  const effectiveProvider = mode === 'create' ? string('provider', 50, true) : provider;
  const adapter = effectiveProvider && Object.hasOwn(catalog, effectiveProvider) ? { provider: effectiveProvider, ...catalog[effectiveProvider]! } : undefined;
  if (mode === 'create' && effectiveProvider && !adapter) {
    problems.push({ field: 'provider', problem: `"${effectiveProvider}" is not a provider leadflow reads; known: ${Object.keys(catalog).join(', ')}` });
  }
  if (mode === 'create') {
    settings.provider = effectiveProvider;
    const sourceId = string('sourceId', 63, false);
    if (sourceId !== undefined && !SOURCE_ID.test(sourceId)) {
      problems.push({ field: 'sourceId', problem: 'must be 2-63 lowercase letters, digits, - or _, starting with a letter or digit' });
    }
    settings.sourceId = sourceId;
  }
  const name = string('name', 200, mode === 'create');
  if (name !== undefined) settings.name = name;
  const country = string('defaultCountry', 10, false);
  if (country !== undefined) {
    if (!COUNTRY.test(country)) problems.push({ field: 'defaultCountry', problem: 'must be an ISO 3166 country code such as US or DE' });
    else settings.defaultCountry = country;
  }
  const teamId = string('teamId', 100, false);
  if (teamId !== undefined) settings.teamId = teamId;
  const redirectUrl = string('redirectUrl', 2000, false);
  if (redirectUrl !== undefined) {
    if (!isHttpUrl(redirectUrl)) problems.push({ field: 'redirectUrl', problem: 'must be an http or https URL' });
    else settings.redirectUrl = redirectUrl;
  }
  if (input.enabled !== undefined) {
    if (typeof input.enabled !== 'boolean') problems.push({ field: 'enabled', problem: 'must be true or false' });
    else settings.enabled = input.enabled;
  }
  if (input.allowedOrigins !== undefined) {
    const origins = input.allowedOrigins;
    if (!Array.isArray(origins) || origins.length > 50) {
      problems.push({ field: 'allowedOrigins', problem: 'must be a list of at most 50 origins' });
    } else {
      origins.forEach((o, i) => {
        if (typeof o !== 'string' || !isOrigin(o)) {
          problems.push({ field: `allowedOrigins[${i}]`, problem: 'must be an origin like https://www.example.com (no path), or *' });
        }
      });
      if (!problems.some((p) => p.field.startsWith('allowedOrigins'))) settings.allowedOrigins = origins as string[];
    }
  }

  if (input.trackingNumbers !== undefined) {
    const numbers = input.trackingNumbers;
    if (!numbers || typeof numbers !== 'object' || Array.isArray(numbers)) {
      problems.push({ field: 'trackingNumbers', problem: 'must be an object of attribution by E.164 tracking number' });
    } else {
      const before = problems.length;
      for (const [number, attribution] of Object.entries(numbers)) {
        if (!/^\+[1-9]\d{6,14}$/.test(number)) problems.push({ field: `trackingNumbers.${number}`, problem: 'must be an E.164 number like +14155550100' });
        if (!attribution || typeof attribution !== 'object' || Array.isArray(attribution)) {
          problems.push({ field: `trackingNumbers.${number}`, problem: 'must be an object such as {"utm_source": "google", "utm_campaign": "spring"}' });
          continue;
        }
        for (const [key, value] of Object.entries(attribution)) {
          if (!TRACKING_KEYS.has(key)) problems.push({ field: `trackingNumbers.${number}.${key}`, problem: `is not attribution; use ${[...TRACKING_KEYS].join(', ')}` });
          else if (typeof value !== 'string' || !value || value.length > 500) problems.push({ field: `trackingNumbers.${number}.${key}`, problem: 'must be a non-empty string' });
        }
      }
      if (problems.length === before) settings.trackingNumbers = numbers as Record<string, Record<string, string>>;
    }
  }

  const secrets: Record<string, string> = {};
  if (input.secrets !== undefined) {
    if (!input.secrets || typeof input.secrets !== 'object' || Array.isArray(input.secrets)) {
      problems.push({ field: 'secrets', problem: 'must be an object of secret values by name' });
    } else {
      const known = new Set(adapter?.secrets.map((s) => s.name) ?? []);
      for (const [key, value] of Object.entries(input.secrets)) {
        if (adapter && !known.has(key)) {
          problems.push({ field: `secrets.${key}`, problem: `is not a secret ${adapter.provider} uses; it uses ${[...known].join(', ') || 'none'}` });
        } else if (typeof value !== 'string' || !value.trim() || value.length > 2048) {
          problems.push({ field: `secrets.${key}`, problem: 'must be a non-empty string of at most 2048 characters' });
        } else secrets[key] = value.trim();
      }
    }
  }
  if (mode === 'create' && adapter) {
    const generated = GENERATED_SECRETS[adapter.provider] ?? [];
    for (const spec of adapter.secrets) {
      if (spec.required && !secrets[spec.name] && !generated.includes(spec.name)) {
        problems.push({ field: `secrets.${spec.name}`, problem: `is required: ${spec.description}` });
      }
    }
  }
  let previousKeyValidSeconds: number | undefined;
  if (input.previousKeyValidSeconds !== undefined) {
    const seconds = input.previousKeyValidSeconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > MAX_KEY_OVERLAP_SECONDS) {
      problems.push({ field: 'previousKeyValidSeconds', problem: `must be a whole number of seconds from 0 to ${MAX_KEY_OVERLAP_SECONDS}` });
    } else if (effectiveProvider !== 'html_form' || !secrets.key) {
      problems.push({ field: 'previousKeyValidSeconds', problem: 'applies only to a new secrets.key of an html_form source' });
    } else previousKeyValidSeconds = seconds;
  }
  if (problems.length) throw new ValidationError('the source settings are invalid', problems);
  return { settings, secrets, ...(previousKeyValidSeconds !== undefined ? { previousKeyValidSeconds } : {}) };
}

/** Fills in the secrets leadflow generates for the provider and the admin did not give; returns those it made. */
export function generateMissingSecrets(provider: string, secrets: Record<string, string>): Record<string, string> {
  const made: Record<string, string> = {};
  for (const name of GENERATED_SECRETS[provider] ?? []) {
    if (!secrets[name]) made[name] = randomBytes(24).toString('base64url');
  }
  return made;
}

/**
 * The URL to paste into the provider's console. Senders that cannot sign carry their token in the
 * URL (Tilda's `token`, a plain form's `key`), so it is complete only when the token is known, at
 * creation; later the URL names the parameter for the admin to fill in.
 */
export function webhookUrlOf(apiBase: string, source: Pick<Source, 'sourceId' | 'provider'>, secrets: Record<string, string> = {}): string {
  const url = `${apiBase.replace(/\/+$/, '')}/v1/hooks/${source.provider}/${encodeURIComponent(source.sourceId)}`;
  const param = source.provider === 'tilda' || source.provider === 'tiktok' ? 'token' : source.provider === 'html_form' ? 'key' : undefined;
  if (!param) return url;
  // An admin-chosen token may hold `+`, `&` or `#`: unencoded, the pasted URL would carry another value.
  const value = secrets[param];
  return `${url}?${param}=${value === undefined ? `<${param}>` : encodeURIComponent(value)}`;
}
