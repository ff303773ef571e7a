import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';
import { pidsMatching, type ProcessGroups } from './cpu-usage.js';
import type { LeadApi } from './lead-api.js';
import { sleep } from './load.js';

/** A local platform started for one scenario, with what the bench needs to drive and observe it. */
export interface BenchPlatform {
  platform: RunningPlatform;
  api: LeadApi;
  /** The platform's own processes, for CPU accounting: its Node process and DynamoDB Local. */
  processes: ProcessGroups;
}

const STOP_TIMEOUT_MS = 30_000;
const PROFILER = pathToFileURL(join(import.meta.dirname, 'cpu-profiler.mjs')).href;

/** Data directories of platforms started and not yet cleaned up, for an emergency stop. */
const active = new Set<string>();

function kill(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Runs `scenario` against a platform started as `npm start` runs it, with a fresh data directory, and
 * always stops the platform and removes the directory afterwards, also when the scenario fails. With
 * `cpuProfileDir`, the platform's Node process writes a V8 CPU profile there when it exits
 * (see cpu-profiler.mjs).
 */
export async function withPlatform<T>(
  options: { cpuProfileDir?: string },
  scenario: (bench: BenchPlatform) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadflow-bench-'));
  active.add(dataDir);
  // Every process this platform starts names the data directory on its command line.
  const ownProcesses = () => pidsMatching(dataDir);
  let platform: RunningPlatform | undefined;
  try {
    // The platform process inherits this process's environment when it is spawned, and only then.
    const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, LEADFLOW_BENCH_CPU_PROFILE_DIR: process.env.LEADFLOW_BENCH_CPU_PROFILE_DIR };
    try {
      if (options.cpuProfileDir) {
        process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --import ${PROFILER}`.trim();
        process.env.LEADFLOW_BENCH_CPU_PROFILE_DIR = options.cpuProfileDir;
      }
      platform = await startPlatformProcess({ dataDir });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const api: LeadApi = {
      apiUrl: platform.apiUrl,
      sourceKey: platform.credentials.sources[0]!.key,
      adminToken: platform.credentials.adminToken,
    };
    const processes: ProcessGroups = {
      'platform (node)': pidsMatching(`--data-dir ${dataDir}`),
      'DynamoDB Local (java)': pidsMatching(`${dataDir}/dynamodb`),
    };
    return await scenario({ platform, api, processes });
  } finally {
    if (platform) {
      const stopped = await Promise.race([platform.stop().then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
      if (!stopped) console.error(`the platform did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
    }
    // Whatever is left of this run (a platform that failed to start, an orphaned DynamoDB Local) goes too.
    const leftovers = ownProcesses().filter((pid) => pid !== process.pid);
    if (leftovers.length) {
      kill(leftovers);
      await sleep(500);
    }
    removeDataDir(dataDir);
    active.delete(dataDir);
  }
}

/**
 * Kills the processes of every platform still running and removes their data: for Ctrl-C and the bench's
 * overall time limit, when there is no time for an orderly stop.
 */
export function abortAllPlatforms(): void {
  for (const dataDir of active) {
    kill(pidsMatching(dataDir).filter((pid) => pid !== process.pid));
    removeDataDir(dataDir);
  }
  active.clear();
}
