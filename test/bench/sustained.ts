import { performance } from 'node:perf_hooks';
import type { PlatformStats } from '../../infra/local/platform-stats.js';
import { measureCpu, type CpuWindow } from './cpu-usage.js';
import { leadBody, postLead, warmUp, type PostResult } from './lead-api.js';
import { sleep } from './load.js';
import type { BenchPlatform } from './platform-run.js';
import { perLeadBetween, readPlatformStats, type PerLeadWindow } from './platform-stats.js';
import { summarize, type Summary } from './stats.js';

export interface SustainedResult {
  /** Leads kept between capture and notification at all times (a closed loop). */
  inSystem: number;
  /** From the first POST until the window began: at least the warm-up asked for, and one full turnover. */
  warmupSeconds: number;
  /** The measured window, by the platform's clock. */
  windowSeconds: number;
  posted: number;
  /** POSTs answered with an error status; they never enter the pipeline. */
  rejected: number;
  /** Leads notified per second over the window: the platform's sustained end-to-end throughput. */
  leadsPerSecond: number;
  /** What each lead of the window cost the platform: table calls by operation, invocations, CPU. */
  perLead: PerLeadWindow;
  /** The same window seen from outside: the platform's processes, the bench, the whole machine. */
  cpu: CpuWindow;
  intakeAck: Summary;
  /** After the window: how long until every accepted lead was notified (the loop stops topping up). */
  drainedSeconds: number;
  drained: boolean;
}

/**
 * The platform's sustained end-to-end throughput: a closed loop keeps `inSystem` leads between capture
 * and notification (a new POST for each notification, read from GET /_local/stats), enough to keep every
 * stage busy, so after a warm-up the rate of notifications is what the platform carries on this machine.
 * The window lasts `windowMs`, longer (up to three times) until 3 × `inSystem` leads have been notified in it.
 * Per-lead calls and CPU come from the platform's counters over the same window; in a closed loop the work
 * in flight is the same at both ends, so it divides by the leads notified in between. Afterwards the loop
 * stops and the backlog drains, leaving the platform idle for what runs next on it (the storage ceiling).
 */
export async function measureSustained(
  { api, processes }: BenchPlatform,
  options: { runId: string; inSystem: number; warmupMs: number; windowMs: number; pollMs?: number; drainTimeoutMs?: number },
): Promise<SustainedResult> {
  const pollMs = options.pollMs ?? 200;
  await warmUp(api, options.runId, 'sustained', 10);

  const base = await readPlatformStats(api);
  const posts: Array<Promise<PostResult>> = [];
  let posted = 0;
  let rejected = 0;
  const send = () => {
    const i = posted++;
    posts.push(
      postLead(api, leadBody(options.runId, 'sustained', i), i, 30_000).then((r) => {
        // A timed-out POST may have gone through, so only an error status takes a lead out of the loop.
        if (r.status >= 400) rejected++;
        return r;
      }),
    );
  };
  const topUp = (notified: number) => {
    while (posted - rejected - notified < options.inSystem) send();
  };

  // Counts over the window are divided by the leads notified in it, while up to `inSystem` leads are
  // part done at either end; the window starts once the first leads have all gone through (a steady
  // mix of stages) and lasts until several times `inSystem` have, so that part stays a small share.
  topUp(0);
  const t0 = performance.now();
  const giveUpAt = t0 + options.warmupMs + 3 * options.windowMs + 120_000;
  let last = base;
  let start: PlatformStats | undefined;
  let cpu: ReturnType<typeof measureCpu> | undefined;
  let warmupMs = 0;
  const notifiedSince = (s: PlatformStats) => last.notifications - s.notifications;
  for (;;) {
    await sleep(pollMs);
    last = await readPlatformStats(api);
    if (!start && performance.now() - t0 >= options.warmupMs && notifiedSince(base) >= options.inSystem) {
      start = last;
      cpu = measureCpu(processes);
      warmupMs = performance.now() - t0;
    }
    if (start) {
      const seconds = last.uptimeSeconds - start.uptimeSeconds;
      if (seconds >= options.windowMs / 1000 && (notifiedSince(start) >= 3 * options.inSystem || seconds >= (3 * options.windowMs) / 1000)) break;
    }
    if (performance.now() > giveUpAt) throw new Error(`the closed loop did not finish its window; ${notifiedSince(base)} of ${posted} notified`);
    topUp(notifiedSince(base));
  }
  const cpuWindow = cpu!.stop();
  const perLead = perLeadBetween(start!, last);

  const results = await Promise.all(posts);
  const drainStart = performance.now();
  const drainLimit = drainStart + (options.drainTimeoutMs ?? 60_000);
  let drained = false;
  while (performance.now() < drainLimit) {
    const s = await readPlatformStats(api);
    if (s.notifications - base.notifications >= posted - rejected) {
      drained = true;
      break;
    }
    await sleep(250);
  }
  return {
    inSystem: options.inSystem,
    warmupSeconds: warmupMs / 1000,
    windowSeconds: perLead.seconds,
    posted,
    rejected,
    leadsPerSecond: perLead.notified / perLead.seconds,
    perLead,
    cpu: cpuWindow,
    intakeAck: summarize(results.filter((r) => r.status === 202).map((r) => r.ms)),
    drainedSeconds: (performance.now() - drainStart) / 1000,
    drained,
  };
}
