import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * The SSM client, once per process, for the functions that manage source secrets; kept out of
 * `clients.ts` so functions that only read secrets (through the extension) do not bundle it.
 */
export const ssm = new SSMClient({});
