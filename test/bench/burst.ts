import { performance } from 'node:perf_hooks';
import { measureCpu, type CpuWindow } from './cpu-usage.js';
import { tallyAssignment, type AssignmentReport } from './assignment.js';
import { leadBody, leadEmail, postLead, readLeads, readNotifications, readRepLeadIds, waitForNotifications, warmUp } from './lead-api.js';
import { withConcurrency } from './load.js';
import type { BenchPlatform } from './platform-run.js';
import { summarize, type Summary } from './stats.js';

export interface BurstResult {
  leads: number;
  concurrency: number;
  accepted: number;
  errors: number;
  /** From the first send until every lead was acknowledged, assigned, and notified. */
  allAcknowledgedSeconds: number;
  allAssignedSeconds: number;
  allNotifiedSeconds: number;
  notified: number;
  intakeAck: Summary;
  captureToAssigned: Summary;
  captureToNotified: Summary;
  /** Leads per rep as assigned (the lead's owner) and as notified (the demo receiver). */
  assignedPerRep: Record<string, number>;
  notifiedPerRep: Record<string, number>;
  /** Round robin must hand out each rotation ticket once. */
  distinctTickets: number;
  evenlyDistributed: boolean;
  /** Capture → assigned and qualified → assigned, per rep, queue waits, and whether any lead went out twice. */
  assignment: AssignmentReport;
  cpu: CpuWindow;
  /** A lead of the burst that reached its rep, for the probe and the item sizes. */
  sampleLeadId?: string;
}

const count = (values: string[]) => values.reduce<Record<string, number>>((m, v) => ((m[v] = (m[v] ?? 0) + 1), m), {});

/**
 * A burst: `leads` leads posted at once through `concurrency` client connections to the demo team, then
 * followed until all are assigned and their reps notified (at most `timeoutMs`).
 */
export async function measureBurst(
  { api, processes }: BenchPlatform,
  options: { runId: string; leads: number; concurrency: number; warmups: number; timeoutMs: number; reps: string[] },
): Promise<BurstResult> {
  await warmUp(api, options.runId, 'burst', options.warmups);

  const cpu = measureCpu(processes);
  const startEpochMs = Date.now();
  const t0 = performance.now();
  // A burst queues in the platform, so posts wait as long as API Gateway would (30 s) before giving up.
  const posts = await withConcurrency(options.leads, options.concurrency, (i) => postLead(api, leadBody(options.runId, 'burst', i), i, 30_000));
  const allAcknowledgedSeconds = (performance.now() - t0) / 1000;
  const accepted = posts.filter((r) => r.status === 202 && r.leadId);
  const emails = posts.map((r) => leadEmail(options.runId, 'burst', r.index));
  const { notified } = await waitForNotifications(api, emails, { timeoutMs: options.timeoutMs, pollMs: 250 });
  const cpuWindow = cpu.stop();
  // Leads are followed by email, so one whose POST timed out but went through is counted too.
  const ids = [...new Set([...accepted.map((r) => r.leadId!), ...[...notified.values()].flatMap((n) => (n.payload.leadId ? [n.payload.leadId] : []))])];

  // Everything has settled by now, so the read-back may use more connections.
  const leads = [...(await readLeads(api, ids, 16)).values()];
  const repLists = Object.fromEntries(await Promise.all(options.reps.map(async (rep) => [rep, await readRepLeadIds(api, rep)] as const)));
  const assignment = tallyAssignment({ expected: options.leads, leads, repLists, notifications: await readNotifications(api) });
  const since = (iso: string | undefined) => (iso ? (Date.parse(iso) - startEpochMs) / 1000 : Number.NaN);
  const latest = (values: number[]) => (values.length ? Math.max(...values) : Number.NaN);
  const assigned = leads.filter((l) => l.assignedAt && l.ownerId);
  const done = leads.filter((l) => l.notifiedAt);
  const assignedPerRep = count(assigned.map((l) => l.ownerId!));
  const notifiedPerRep = count([...notified.values()].map((n) => n.repId));
  // Round robin gives each rep the floor or the ceiling of an equal share; the budget allows one more either way.
  const share = options.leads / options.reps.length;
  const [low, high] = [Math.floor(share) - 1, Math.ceil(share) + 1];
  const evenlyDistributed =
    assigned.length === options.leads && options.reps.every((rep) => (assignedPerRep[rep] ?? 0) >= low && (assignedPerRep[rep] ?? 0) <= high);
  return {
    leads: options.leads,
    concurrency: options.concurrency,
    accepted: accepted.length,
    errors: posts.length - accepted.length,
    allAcknowledgedSeconds,
    allAssignedSeconds: assigned.length === options.leads ? latest(assigned.map((l) => since(l.assignedAt))) : Number.NaN,
    allNotifiedSeconds: done.length === options.leads ? latest(done.map((l) => since(l.notifiedAt))) : Number.NaN,
    notified: done.length,
    intakeAck: summarize(accepted.map((r) => r.ms)),
    captureToAssigned: summarize(assigned.map((l) => Date.parse(l.assignedAt!) - Date.parse(l.capturedAt))),
    captureToNotified: summarize(done.map((l) => l.captureToNotifyMs ?? Date.parse(l.notifiedAt!) - Date.parse(l.capturedAt))),
    assignedPerRep,
    notifiedPerRep,
    distinctTickets: new Set(assigned.map((l) => l.routingTrace?.ticket)).size,
    evenlyDistributed,
    assignment,
    cpu: cpuWindow,
    sampleLeadId: done[0]?.leadId,
  };
}
