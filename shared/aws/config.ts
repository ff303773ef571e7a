import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';

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
 * runs locally. Built on Powertools' env getters rather than a schema library: they are already in
 * every bundle with the logger, and the intake function's bundle has no room to spare.
 */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const saved = process.env;
  // The Powertools getters read process.env; point them at the environment being parsed.
  process.env = env;
  const read = <T>(key: string, get: () => T): T => {
    try {
      return get();
    } catch (error) {
      problems.push((error as Error).message);
      return undefined as T;
    }
  };
  const nonEmpty = (key: string) =>
    read(key, () => {
      const value = getStringFromEnv({ key });
      if (!value) throw new Error(`Environment variable ${key} is required`);
      return value;
    });
  const positive = (key: string, defaultValue: number) =>
    read(key, () => {
      const value = getNumberFromEnv({ key, defaultValue });
      if (!Number.isInteger(value) || value <= 0) throw new Error(`Environment variable ${key} must be a positive whole number`);
      return value;
    });
  try {
    const config: Config = {
      TABLE_NAME: nonEmpty('TABLE_NAME'),
      EVENT_BUS_NAME: nonEmpty('EVENT_BUS_NAME'),
      NOTIFY_TIMEOUT_MS: positive('NOTIFY_TIMEOUT_MS', 5000),
      DEDUPE_WINDOW_SECONDS: positive('DEDUPE_WINDOW_SECONDS', 600),
    };
    if (problems.length) throw new Error(`leadflow configuration is invalid: ${problems.join('; ')}`);
    return config;
  } finally {
    process.env = saved;
  }
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use and then kept. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
