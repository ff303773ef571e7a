import { ValidationError, type FieldProblem } from './errors.js';
import { isCurrency } from './lead-status.js';

/** Ad platforms whose spend leadflow pulls through their APIs every day. */
export const PULL_PLATFORMS = {
  meta: { secrets: ['accessToken'], accountId: 'the ad account id (with or without act_)' },
  google_ads: { secrets: ['developerToken', 'clientId', 'clientSecret', 'refreshToken'], accountId: 'the customer id (123-456-7890)' },
  yandex_direct: { secrets: ['token'], accountId: 'the client login (for agency accounts; optional otherwise)' },
} as const;
export type PullPlatform = keyof typeof PULL_PLATFORMS;

/** The result of a connection's last pull, kept on it for the admin to see. */
export interface LastPull {
  at: string;
  from: string;
  to: string;
  ok: boolean;
  inserted?: number;
  replaced?: number;
  unchanged?: number;
  skipped?: number;
  error?: string;
}

/**
 * An ad account whose spend is pulled daily. Its API credentials are in the secret store, never in the
 * table; `secretNames` says which are set.
 */
export interface SpendConnection {
  connectionId: string;
  platform: PullPlatform;
  accountId?: string;
  /** Google Ads: the manager account (MCC) the credentials act through, sent as login-customer-id. */
  loginCustomerId?: string;
  /** Yandex Direct reports name no currency: the account's currency. */
  currency?: string;
  enabled: boolean;
  secretNames: string[];
  createdAt: string;
  updatedAt: string;
  lastPull?: LastPull;
}

/**
 * The name a connection's secrets are stored under, beside the sources' (`<prefix>/<name>`). A dot
 * cannot appear in a source id, so the two never collide.
 */
export function connectionSecretsName(connectionId: string): string {
  return `spend.${connectionId}`;
}

const CONNECTION_ID = /^[a-z0-9][a-z0-9_-]{1,62}$/;
const FIELDS = ['platform', 'accountId', 'loginCustomerId', 'currency', 'enabled', 'secrets'];

/** Whether a connection id is well formed (as source ids are). */
export function isConnectionId(value: string): boolean {
  return CONNECTION_ID.test(value);
}

/**
 * Reads `PUT /v1/spend/connections/{id}`: the platform, account, currency and secrets, naming every
 * problem. Secrets may be left out on an update to keep the stored ones (`existing` names them).
 */
export function readConnectionInput(
  body: unknown,
  existing?: Pick<SpendConnection, 'platform' | 'secretNames'>,
): { settings: Pick<SpendConnection, 'platform' | 'accountId' | 'loginCustomerId' | 'currency' | 'enabled'>; secrets?: Record<string, string> } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('the body must be a JSON object');
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(input)) if (!FIELDS.includes(key)) problems.push({ field: key, problem: `is not a connection setting; known: ${FIELDS.join(', ')}` });
  const platform = (input.platform ?? existing?.platform) as string;
  if (!Object.hasOwn(PULL_PLATFORMS, platform)) problems.push({ field: 'platform', problem: `must be one of ${Object.keys(PULL_PLATFORMS).join(', ')}` });
  const text = (field: string, pattern: RegExp, what: string) => {
    const v = input[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || !pattern.test(v.trim())) problems.push({ field, problem: `must be ${what}` });
    else return v.trim();
    return undefined;
  };
  let accountId = text('accountId', /^[\w.@-]{1,100}$/, 'an account id');
  if (platform === 'meta' && accountId) accountId = accountId.replace(/^act_/, '');
  if (platform === 'google_ads' && accountId) accountId = accountId.replace(/-/g, '');
  const loginCustomerId = text('loginCustomerId', /^[\d-]{1,20}$/, 'a Google Ads customer id')?.replace(/-/g, '');
  const currency = text('currency', /^[A-Z]{3}$/, 'an ISO 4217 currency code');
  if (currency && !isCurrency(currency)) problems.push({ field: 'currency', problem: `"${currency}" is not an ISO 4217 currency code` });
  if ((platform === 'meta' || platform === 'google_ads') && !accountId) problems.push({ field: 'accountId', problem: `is required: ${PULL_PLATFORMS[platform].accountId}` });
  if (platform === 'yandex_direct' && !currency) problems.push({ field: 'currency', problem: 'is required: Yandex Direct reports do not name their currency' });
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') problems.push({ field: 'enabled', problem: 'must be true or false' });
  let secrets: Record<string, string> | undefined;
  const known = Object.hasOwn(PULL_PLATFORMS, platform) ? (PULL_PLATFORMS[platform as PullPlatform].secrets as readonly string[]) : [];
  if (input.secrets !== undefined) {
    if (!input.secrets || typeof input.secrets !== 'object' || Array.isArray(input.secrets)) problems.push({ field: 'secrets', problem: 'must be an object of secret names to values' });
    else {
      secrets = {};
      for (const [name, value] of Object.entries(input.secrets as Record<string, unknown>)) {
        if (!known.includes(name)) problems.push({ field: `secrets.${name}`, problem: `is not a ${platform} secret; known: ${known.join(', ')}` });
        else if (typeof value !== 'string' || !value.trim()) problems.push({ field: `secrets.${name}`, problem: 'must be a non-empty string' });
        else secrets[name] = value.trim();
      }
    }
  }
  const have = new Set([...(secrets ? Object.keys(secrets) : existing?.platform === platform ? existing.secretNames : [])]);
  for (const name of known) if (!have.has(name)) problems.push({ field: `secrets.${name}`, problem: 'is required' });
  if (problems.length) throw new ValidationError('the spend connection is invalid', problems);
  return { settings: { platform: platform as PullPlatform, accountId, loginCustomerId, currency, enabled: (input.enabled as boolean | undefined) ?? true }, secrets };
}
