import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/**
 * Replaces `@aws-sdk/credential-provider-node` in the Lambda bundles (see `bundling.ts`). Lambda puts the
 * execution role's credentials in the environment, which is the first link of the SDK's default chain, so
 * the other links (SSO, profiles, process, web identity, IMDS and the STS/SSO clients they carry) are
 * never reached there and only add about 130 KB to every bundle.
 */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
