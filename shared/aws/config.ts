/** The environment every function reads. */
export interface Config {
  TABLE_NAME: string;
  EVENT_BUS_NAME: string;
  /** How long a rep's webhook may take to answer before the attempt counts as failed. */
  NOTIFY_TIMEOUT_MS: number;
  /** Window in which an identical submission from the same source is the same lead. */
  DEDUPE_WINDOW_SECONDS: number;
}

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
  };
  if (problems.length) throw new Error(`leadflow configuration is invalid: ${problems.join('; ')}`);
  return config;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use and then kept. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
