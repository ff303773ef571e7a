/** The environment every function reads. */
export interface Config {
  TABLE_NAME: string;
  EVENT_BUS_NAME: string;
  /** How long a rep's webhook may take to answer before the attempt counts as failed. */
  NOTIFY_TIMEOUT_MS: number;
  /** Window in which an identical submission from the same source is the same lead. */
  DEDUPE_WINDOW_SECONDS: number;
  /** Window in which a returning person's new lead is merged into their open lead instead of being worked twice. */
  MERGE_WINDOW_SECONDS: number;
  /** Key of the HMAC that signs accept links; only functions that sign or verify them need it. */
  LINK_SIGNING_SECRET?: string;
  /** Base URL reps reach the API at, for the links in their notifications. */
  PUBLIC_API_URL?: string;
}

/** Shortest signing secret accepted: 32 characters, as many bits as the HMAC-SHA256 it keys. */
const MIN_SECRET_LENGTH = 32;

/**
 * Parses the environment, naming every missing or malformed variable in one error, so a cold start with
 * bad configuration fails at once instead of a request failing later. Endpoint overrides for the local
 * runtime are the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables, so nothing here knows whether it
 * runs locally. Written out rather than with a schema library: four variables do not justify one in
 * every bundle, and the intake function's bundle has no room to spare.
 */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const required = (key: string): string => {
    const value = env[key]?.trim();
    if (!value) problems.push(`Environment variable ${key} is required`);
    return value ?? '';
  };
  const positiveWhole = (key: string, defaultValue: number): number => {
    const raw = env[key]?.trim();
    if (!raw) return defaultValue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) problems.push(`Environment variable ${key} must be a positive whole number, not "${raw}"`);
    return value;
  };
  const config: Config = {
    TABLE_NAME: required('TABLE_NAME'),
    EVENT_BUS_NAME: required('EVENT_BUS_NAME'),
    NOTIFY_TIMEOUT_MS: positiveWhole('NOTIFY_TIMEOUT_MS', 5000),
    DEDUPE_WINDOW_SECONDS: positiveWhole('DEDUPE_WINDOW_SECONDS', 600),
    MERGE_WINDOW_SECONDS: positiveWhole('MERGE_WINDOW_SECONDS', 86_400),
  };
  const secret = env.LINK_SIGNING_SECRET?.trim();
  if (secret) {
    if (secret.length < MIN_SECRET_LENGTH) {
      problems.push(`Environment variable LINK_SIGNING_SECRET must be at least ${MIN_SECRET_LENGTH} characters, not ${secret.length}`);
    }
    config.LINK_SIGNING_SECRET = secret;
  }
  const publicUrl = env.PUBLIC_API_URL?.trim();
  if (publicUrl) {
    if (!/^https?:\/\/[^\s/]+/.test(publicUrl)) problems.push(`Environment variable PUBLIC_API_URL must be an http(s) URL, not "${publicUrl}"`);
    config.PUBLIC_API_URL = publicUrl;
  }
  if (problems.length) throw new Error(`leadflow configuration is invalid: ${problems.join('; ')}`);
  return config;
}

/**
 * The secret and public URL of accept links, for the functions that sign or verify them; throws naming
 * each missing variable, so such a function fails at its cold start rather than at its first lead.
 */
export function acceptLinkConfig(config: Config): { secret: string; publicApiUrl: string } {
  const missing = [
    config.LINK_SIGNING_SECRET ? '' : 'Environment variable LINK_SIGNING_SECRET is required to sign and verify accept links',
    config.PUBLIC_API_URL ? '' : 'Environment variable PUBLIC_API_URL is required to put the API address in accept links',
  ].filter(Boolean);
  if (missing.length) throw new Error(`leadflow configuration is invalid: ${missing.join('; ')}`);
  return { secret: config.LINK_SIGNING_SECRET!, publicApiUrl: config.PUBLIC_API_URL! };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use and then kept. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
