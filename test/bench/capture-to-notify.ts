import { measureCpu, type CpuWindow } from './cpu-usage.js';
import { leadBody, leadEmail, postLead, readLeads, waitForNotifications, warmUp, type PostResult } from './lead-api.js';
import { openLoop } from './load.js';
import type { BenchPlatform } from './platform-run.js';
import { perLeadBetween, readPlatformStats, type PerLeadWindow } from './platform-stats.js';
import { summarize, type Summary } from './stats.js';

const NOTIFY_DEADLINE_MS = 60_000;

export interface CaptureToNotifyResult {
  ratePerSecond: number;
  durationSeconds: number;
  posted: number;
  /** POSTs answered 202 within the client's timeout; the others may still have gone through. */
  acknowledged: number;
  postErrors: number;
  notified: number;
  notifiedWithin60s: number;
  notNotified: number;
  /** `captureToNotifyMs` as the platform recorded it on each notified lead. */
  captureToNotify: Summary;
  /** The same from the demo receiver: when the webhook call arrived, minus the lead's capturedAt. */
  receiverCheck: Summary;
  /** Where the time goes between capture and notification, from each lead's timestamps. */
  stages: { captureToQualified: Summary; qualifiedToAssigned: Summary; assignedToNotified: Summary };
  intakeAck: Summary;
  waitedForNotificationsSeconds: number;
  cpu: CpuWindow;
  /** Table calls, invocations and CPU per notified lead, from the platform's counters over the same window. */
  perLead: PerLeadWindow;
}

const gap = (from: string | undefined, to: string | undefined) => (from && to ? [Date.parse(to) - Date.parse(from)] : []);

/**
 * Capture → rep notified at a steady open-loop rate: every lead is followed (by its email, so those whose
 * POST timed out count too) until its rep's webhook has it, or 60 s after the last send; the notified
 * leads are then read back for the platform's own `captureToNotifyMs`.
 */
export async function measureCaptureToNotify(
  { api, processes }: BenchPlatform,
  options: { runId: string; ratePerSecond: number; durationMs: number; warmups: number },
): Promise<CaptureToNotifyResult> {
  await warmUp(api, options.runId, 'notify', options.warmups);

  const statsBefore = await readPlatformStats(api);
  const cpu = measureCpu(processes);
  const load = await openLoop<PostResult>({
    ratePerSecond: options.ratePerSecond,
    durationMs: options.durationMs,
    send: (i) => postLead(api, leadBody(options.runId, 'notify', i), i),
  });
  const acknowledged = load.results.filter((r) => r.status === 202 && r.leadId);
  const emails = load.results.map((r) => leadEmail(options.runId, 'notify', r.index));
  const { notified, waitedMs } = await waitForNotifications(api, emails, { timeoutMs: NOTIFY_DEADLINE_MS, pollMs: 1000 });
  const cpuWindow = cpu.stop();
  const perLead = perLeadBetween(statsBefore, await readPlatformStats(api));

  const ids = [...notified.values()].flatMap((n) => (n.payload.leadId ? [n.payload.leadId] : []));
  const leads = [...(await readLeads(api, ids)).values()];
  const latencies = leads.flatMap((l) => (typeof l.captureToNotifyMs === 'number' ? [l.captureToNotifyMs] : []));
  return {
    ratePerSecond: options.ratePerSecond,
    durationSeconds: options.durationMs / 1000,
    posted: load.results.length,
    acknowledged: acknowledged.length,
    postErrors: load.results.length - acknowledged.length,
    notified: notified.size,
    notifiedWithin60s: latencies.filter((ms) => ms <= NOTIFY_DEADLINE_MS).length,
    notNotified: load.results.length - notified.size,
    captureToNotify: summarize(latencies),
    receiverCheck: summarize([...notified.values()].flatMap((n) => gap(n.payload.lead?.capturedAt, n.receivedAt))),
    stages: {
      captureToQualified: summarize(leads.flatMap((l) => gap(l.capturedAt, l.qualifiedAt))),
      qualifiedToAssigned: summarize(leads.flatMap((l) => gap(l.qualifiedAt, l.assignedAt))),
      assignedToNotified: summarize(leads.flatMap((l) => gap(l.assignedAt, l.notifiedAt))),
    },
    intakeAck: summarize(acknowledged.map((r) => r.ms)),
    waitedForNotificationsSeconds: waitedMs / 1000,
    cpu: cpuWindow,
    perLead,
  };
}
