import { DeleteParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

/*
 * A source's secrets (signing secrets, verify tokens, API keys) are one SecureString parameter in SSM
 * Parameter Store, a JSON object by secret name: never in the table, never in a log, never returned by
 * the API after they are set. Intake reads them through the AWS Parameters and Secrets Lambda Extension
 * (an HTTP endpoint on localhost inside the Lambda sandbox, with its own cache), so the intake bundles
 * carry no SSM client; the admin API writes them with the SDK. Locally, the platform serves both APIs
 * from a parameter store kept in the data directory.
 */

/** The parameter holding a source's secrets. */
export function sourceSecretsParameter(prefix: string, sourceId: string): string {
  return `${prefix.replace(/\/+$/, '')}/${sourceId}`;
}

/** Where the environment says the source secrets live: the parameter prefix and the extension's port. */
export interface SecretsLocation {
  prefix: string;
  extensionPort: number;
  /** The Lambda session token, which the extension requires as proof the caller runs in the sandbox. */
  sessionToken: string;
}

/** The location from the environment the stack (or the local platform) sets. */
export function secretsLocationFromEnv(env: NodeJS.ProcessEnv = process.env): SecretsLocation {
  return {
    prefix: env.SOURCE_SECRETS_PREFIX?.trim() || '/leadflow/sources',
    extensionPort: Number(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT) || 2773,
    sessionToken: env.AWS_SESSION_TOKEN ?? '',
  };
}

/** Raised when a source's secrets cannot be read: the request must be answered 5xx so the sender retries. */
export class SecretsUnavailableError extends Error {
  override readonly name = 'SecretsUnavailableError';
}

/**
 * Reads a source's secrets through the Parameters and Secrets extension. A source that has none stored
 * gets an empty object (an adapter then refuses requests it cannot verify).
 */
export async function fetchSourceSecrets(location: SecretsLocation, sourceId: string, version?: number): Promise<Record<string, string>> {
  const name = sourceSecretsParameter(location.prefix, sourceId);
  // A version named by the source item is asked for exactly: the extension caches each version on its
  // own, so a rotated secret is read at once instead of after the extension's cache expires.
  const selector = version === undefined ? '' : `&version=${version}`;
  const url = `http://localhost:${location.extensionPort}/systemsmanager/parameters/get?name=${encodeURIComponent(name)}${selector}&withDecryption=true`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'X-Aws-Parameters-Secrets-Token': location.sessionToken },
      signal: AbortSignal.timeout(2000),
    });
  } catch (error) {
    throw new SecretsUnavailableError(`the secrets of source ${sourceId} could not be read: ${(error as Error).message}`);
  }
  const text = await response.text();
  // The extension passes SSM's ParameterNotFound through as a 400 naming it.
  if (response.status === 400 && text.includes('ParameterNotFound')) return {};
  if (!response.ok) throw new SecretsUnavailableError(`the secrets of source ${sourceId} could not be read: HTTP ${response.status}`);
  const value = (JSON.parse(text) as { Parameter?: { Value?: string } }).Parameter?.Value;
  if (!value) return {};
  const parsed = JSON.parse(value) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SecretsUnavailableError(`the secrets parameter of source ${sourceId} is not a JSON object`);
  }
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Stores (replaces) a source's secrets as one SecureString parameter and answers its new version, which
 * the source item then names: intake reads exactly that version.
 */
export async function storeSourceSecrets(
  ssm: SSMClient,
  prefix: string,
  sourceId: string,
  secrets: Record<string, string>,
): Promise<number | undefined> {
  const out = await ssm.send(
    new PutParameterCommand({
      Name: sourceSecretsParameter(prefix, sourceId),
      Value: JSON.stringify(secrets),
      Type: 'SecureString',
      Overwrite: true,
      Description: `leadflow source ${sourceId}: webhook secrets`,
    }),
  );
  return out.Version;
}

/** Deletes a source's secrets; a source that had none is not an error. */
export async function deleteSourceSecrets(ssm: SSMClient, prefix: string, sourceId: string): Promise<void> {
  try {
    await ssm.send(new DeleteParameterCommand({ Name: sourceSecretsParameter(prefix, sourceId) }));
  } catch (error) {
    if ((error as Error).name !== 'ParameterNotFound') throw error;
  }
}
