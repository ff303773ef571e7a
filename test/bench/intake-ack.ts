import { measureCpu, type CpuWindow } from './cpu-usage.js';
import { leadBody, leadEmail, postLead, readNotifications, warmUp, type PostResult } from './lead-api.js';
import { openLoop, sleep } from './load.js';
import type { BenchPlatform } from './platform-run.js';
import { summarize, type Summary } from './stats.js';

export interface IntakeAckResult {
  ratePerSecond: number;
  durationSeconds: number;
  sent: number;
  accepted: number;
  errors: number;
  errorSamples: string[];
  statuses: Record<string, number>;
  /** Acknowledgement latency of accepted leads under the open-loop load. */
  latency: Summary;
  /** One request at a time before the load, for comparison: what a lead costs with no queue. */
  unloaded: Summary;
  achievedRatePerSecond: number;
  sendLag: Summary;
  maxInFlight: number;
  /** Whether the async pipeline kept pace: how many of these leads had reached a rep when the last answer came. */
  notifiedWhenLoadEnded: number;
  /** CPU the platform uses while no lead moves (the queue pollers), measured before the load. */
  idleCpu: CpuWindow;
  cpu: CpuWindow;
}

/**
 * Intake acknowledgement under a steady open-loop load: sends are scheduled by the clock and never wait
 * for earlier answers, so queueing in the platform shows up as latency.
 */
export async function measureIntakeAck(
  { api, processes }: BenchPlatform,
  options: { runId: string; ratePerSecond: number; durationMs: number; warmups: number },
): Promise<IntakeAckResult> {
  const warm = await warmUp(api, options.runId, 'intake', options.warmups);
  await sleep(1000);
  const idle = measureCpu(processes);
  await sleep(3000);
  const idleCpu = idle.stop();
  const cpu = measureCpu(processes);
  const load = await openLoop<PostResult>({
    ratePerSecond: options.ratePerSecond,
    durationMs: options.durationMs,
    send: (i) => postLead(api, leadBody(options.runId, 'intake', i), i),
  });
  const cpuWindow = cpu.stop();
  const accepted = load.results.filter((r) => r.status === 202 && r.leadId);
  const failed = load.results.filter((r) => r.status !== 202 || !r.leadId);
  const statuses: Record<string, number> = {};
  for (const r of load.results) statuses[String(r.status || 'network error')] = (statuses[String(r.status || 'network error')] ?? 0) + 1;

  const emails = new Set(load.results.map((r) => leadEmail(options.runId, 'intake', r.index)));
  const notified = await readNotifications(api).catch(() => []);

  return {
    ratePerSecond: options.ratePerSecond,
    durationSeconds: options.durationMs / 1000,
    sent: load.results.length,
    accepted: accepted.length,
    errors: failed.length,
    errorSamples: [...new Set(failed.map((r) => r.error ?? `HTTP ${r.status}`))].slice(0, 5),
    statuses,
    latency: summarize(accepted.map((r) => r.ms)),
    unloaded: summarize(warm.slice(Math.floor(warm.length / 4)).map((r) => r.ms)),
    achievedRatePerSecond: load.results.length / (load.sendWindowMs / 1000 + 1 / options.ratePerSecond),
    sendLag: summarize(load.sendLagMs),
    maxInFlight: load.maxInFlight,
    notifiedWhenLoadEnded: notified.filter((n) => emails.has(n.payload?.lead?.email ?? '')).length,
    idleCpu,
    cpu: cpuWindow,
  };
}
