import { z } from 'zod';

/**
 * The environment every function reads, parsed once at import so a missing variable fails the cold start
 * with its own name instead of failing a request later. Endpoint overrides for the local runtime are the
 * SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables, so nothing here knows whether it runs locally.
 */
const configSchema = z.object({
  TABLE_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1),
  /** How long a rep's webhook may take to answer before the attempt counts as failed. */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** Window in which an identical submission from the same source is the same lead. */
  DEDUPE_WINDOW_SECONDS: z.coerce.number().int().positive().default(600),
});

export type Config = z.infer<typeof configSchema>;

/** Parses `env` or throws an error naming every missing or malformed variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`leadflow configuration is invalid: ${problems}`);
  }
  return result.data;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use and then kept. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
