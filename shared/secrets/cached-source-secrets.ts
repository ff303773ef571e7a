import { readThroughCache } from '../store/read-through-cache.js';
import { fetchSourceSecrets, secretsLocationFromEnv } from './source-secrets.js';

/*
 * The one cache of source secrets, for every function that reads them (the intake families and
 * fetch-leads). Secrets are cached by the version the source item names: a version never changes, so
 * the cache is never stale, and a rotation (a new version on the item, which is read on every request)
 * is used at once. A source with no version recorded (stored before versions were) is read through a
 * 2-second cache instead. Sources and keys themselves are never cached (see shared/intake/source-cache.ts).
 */
const byVersion = readThroughCache((versioned) => {
  const [sourceId, version] = versioned.split('\u0000') as [string, string];
  return fetchSourceSecrets(secretsLocationFromEnv(), sourceId, Number(version));
}, 3_600_000);
const unversioned = readThroughCache((sourceId) => fetchSourceSecrets(secretsLocationFromEnv(), sourceId), 2_000);

/** A source's secrets by name, of the version its item names. */
export function cachedSourceSecrets(sourceId: string, version?: number): Promise<Record<string, string>> {
  return version === undefined ? unversioned(sourceId) : byVersion(`${sourceId}\u0000${version}`);
}
