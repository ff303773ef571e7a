import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.js';
import { apiClient, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';
import { fuzzRoutes } from '../support/route-fuzz.js';

/*
 * Hostile requests over every route of the topology. Bounded for CI (a few seconds); replay or go longer
 * with FUZZ_SEED=<seed> FUZZ_REQUESTS=<n> npx vitest run test/e2e/route-fuzz.test.ts.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 400);

let platform: RunningPlatform;
let repToken: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  const issued = await apiClient(platform.apiUrl)('POST', '/v1/admin/reps/alice/token', { key: platform.credentials.adminToken });
  repToken = issued.body.token;
});

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

describe(`hostile requests over every route (seed ${SEED}, ${REQUESTS} requests)`, () => {
  it('never get a 5xx', { timeout: Math.max(60_000, REQUESTS * 100) }, async () => {
    const { credentials } = platform;
    const results = await fuzzRoutes({
      apiUrl: platform.apiUrl,
      seed: SEED,
      count: REQUESTS,
      credentials: {
        adminToken: credentials.adminToken,
        sourceKey: credentials.sources[0]!.key,
        repToken,
        known: { sourceId: credentials.sources[0]!.sourceId, repId: 'alice', teamId: credentials.team.teamId },
      },
    });
    const covered = new Set(results.map((r) => r.request.route));
    expect(covered.size).toBe(topology.routes.length);
    const failures = results
      .filter((r) => r.status >= 500)
      .map((r) => `${r.status} ${r.request.method} ${r.request.path.slice(0, 120)} ${JSON.stringify(r.request.headers).slice(0, 200)} ${r.request.body?.toString('utf8').slice(0, 200) ?? ''}`);
    expect(failures, `replay with FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS}`).toEqual([]);
  });
});
