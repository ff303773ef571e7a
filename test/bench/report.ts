import { writeFileSync } from 'node:fs';
import type { CostEstimate } from './aws-cost.js';
import type { AssignmentReport } from './assignment.js';
import type { BundleSizes } from './bundle-sizes.js';
import type { BurstResult } from './burst.js';
import type { CaptureToNotifyResult } from './capture-to-notify.js';
import type { CpuWindow } from './cpu-usage.js';
import type { DynamoCeiling } from './dynamodb-ceiling.js';
import type { ProfileSummary } from './cpu-profile.js';
import type { FunctionProbe } from './function-probe.js';
import type { IntakeAckResult } from './intake-ack.js';
import type { PerLeadWindow } from './platform-stats.js';
import type { ReportReadResult } from './report-read.js';
import type { SustainedResult } from './sustained.js';
import { round, rounded, type Summary } from './stats.js';

/** One reported figure, with its budget from DESIGN.md when it has one. */
export interface Measurement {
  scenario: string;
  name: string;
  value: number | string | null;
  unit: string;
  /** The budget in words (`≤ 50 ms`); null for figures reported without one. */
  budget: string | null;
  /** Null when there is no budget or the figure could not be measured. */
  pass: boolean | null;
}

export interface BenchResults {
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    memoryGb: number;
    date: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd?: number[];
    /** Other people's DynamoDB Local and vitest processes running when the bench started: noise. */
    otherProcessesAtStart: Record<string, number>;
  };
  run: { id: string; seconds?: number; options: Record<string, unknown> };
  measurements: Measurement[];
  intake?: IntakeAckResult;
  captureToNotify?: CaptureToNotifyResult;
  /** The same at a rate below what DynamoDB Local carries here: what a local user can expect. */
  captureToNotifyWithinCeiling?: CaptureToNotifyResult;
  /** The platform's sustained end-to-end throughput, with table calls and CPU per lead counted over it. */
  sustained?: SustainedResult;
  /** The sustained throughput against what DynamoDB Local's PutItem ceiling allows at the counted calls per lead. */
  throughput?: {
    leadsPerSecond: number;
    /** The mean of the PutItem ceilings taken just before and just after the sustained loop. */
    putItemPerSecond: number;
    putItemPerSecondBefore: number;
    putItemPerSecondAfter: number;
    tableCallsPerLead: number;
    allowedLeadsPerSecond: number;
    ratio: number;
    /**
     * Cores other people's processes kept busy during the loop and (mean) during the PutItem ceilings: when
     * they differ much, the two rates were taken on different machines, in effect, and the ratio is not judged.
     */
    otherCoresDuringLoop: number;
    otherCoresDuringCeiling: number;
    /** DynamoDB Local's CPU per call, which contention changes less than rates: in the ceiling's puts and in the loop. */
    javaCpuMsPerPutItem: number;
    javaCpuMsPerTableCallInLoop: number;
  };
  /** DynamoDB Local's PutItem ceiling on the sustained platform before its loop (the full ceiling is taken after). */
  dynamoCeilingBefore?: DynamoCeiling;
  burst?: BurstResult;
  functions?: FunctionProbe[];
  dynamoCeiling?: DynamoCeiling;
  cost?: CostEstimate;
  bundles?: BundleSizes;
  /** A year's channel report read with 10k and 1M leads stored, and one day's build. */
  reports?: ReportReadResult;
  profile?: ProfileSummary & { scenario: string };
  errors: Array<{ scenario: string; message: string }>;
}

const ms = (v: number) => (Number.isFinite(v) ? round(v) : null);

/** Other processes' load, in cores, may differ this much between the loop and the ceilings for their ratio to be judged. */
const COMPARABLE_CORES = 0.3;
const comparable = (t: NonNullable<BenchResults['throughput']>) =>
  !(Math.abs(t.otherCoresDuringLoop - t.otherCoresDuringCeiling) > COMPARABLE_CORES);

/** The flat list of figures with budgets and verdicts, from whatever scenarios ran. */
export function measurementsOf(r: BenchResults): Measurement[] {
  const out: Measurement[] = [];
  const add = (scenario: string, name: string, value: number | string | null, unit: string, budget: string | null = null, pass: boolean | null = null) =>
    out.push({ scenario, name, value, unit, budget, pass: value === null ? null : pass });
  if (r.intake) {
    const i = r.intake;
    const s = `intake ack @ ${i.ratePerSecond}/s open loop, ${i.durationSeconds} s`;
    add(s, 'p50', ms(i.latency.p50), 'ms');
    add(s, 'p95', ms(i.latency.p95), 'ms');
    add(s, 'p99', ms(i.latency.p99), 'ms', '≤ 50 ms', i.latency.p99 <= 50);
    add(s, 'max', ms(i.latency.max), 'ms');
    add(s, 'errors (no 202 within 10 s)', i.errors, `of ${i.sent}`);
    add(s, 'achieved send rate', round(i.achievedRatePerSecond), 'req/s');
    add(s, 'p50 one at a time (warm-up)', ms(i.unloaded.p50), 'ms');
  }
  for (const c of [r.captureToNotify, r.captureToNotifyWithinCeiling]) {
    if (!c) continue;
    const s = `capture → notified @ ${c.ratePerSecond}/s, ${c.durationSeconds} s`;
    add(s, 'p50', ms(c.captureToNotify.p50), 'ms');
    add(s, 'p99', ms(c.captureToNotify.p99), 'ms', '≤ 1000 ms', c.captureToNotify.p99 <= 1000);
    add(s, 'max', ms(c.captureToNotify.max), 'ms');
    add(s, 'POSTs answered 202 within 10 s', `${c.acknowledged} / ${c.posted}`, 'leads');
    add(s, 'notified within 60 s', `${c.notifiedWithin60s} / ${c.posted}`, 'leads', 'all', c.notifiedWithin60s === c.posted && c.posted > 0);
    if (c.perLead) {
      add(s, 'table calls per lead (counted)', round(c.perLead.tableCallsPerLead), 'calls');
      add(s, 'CPU per lead, Node + DynamoDB Local', ms(c.perLead.cpuMsPerLead.total), 'ms');
    }
  }
  if (r.sustained) {
    const x = r.sustained;
    const p = x.perLead;
    const s = `sustained, closed loop of ${x.inSystem} leads, ${round(x.windowSeconds)} s`;
    add(s, 'capture → notified throughput', round(x.leadsPerSecond), 'leads/s');
    if (r.throughput) {
      const t = r.throughput;
      const judged = comparable(t);
      add(s, `÷ (PutItem ceiling ${Math.round(t.putItemPerSecond)}/s ÷ ${round(t.tableCallsPerLead)} calls per lead = ${round(t.allowedLeadsPerSecond)} leads/s)`, round(t.ratio * 100) / 100, '×', '≥ 0.7', judged ? t.ratio >= 0.7 : null);
      add(s, 'PutItem ceiling before / after the loop', `${Math.round(t.putItemPerSecondBefore)} / ${Math.round(t.putItemPerSecondAfter)}`, 'calls/s');
      add(
        s,
        judged ? 'cores other processes used: loop / ceilings' : 'ratio not judged: other processes used, loop / ceilings',
        `${round(t.otherCoresDuringLoop)} / ${round(t.otherCoresDuringCeiling)}`,
        `cores (judged within ${COMPARABLE_CORES})`,
      );
      add(s, 'DynamoDB Local CPU per call: loop\'s table calls / ceiling\'s PutItem', `${round(t.javaCpuMsPerTableCallInLoop)} / ${round(t.javaCpuMsPerPutItem)}`, 'ms');
    }
    add(s, 'table calls per lead, capture → notified', round(p.tableCallsPerLead), 'calls', '≤ 8', p.tableCallsPerLead <= 8);
    for (const [op, c] of Object.entries(p.table).sort(([, a], [, b]) => b.calls - a.calls)) add(s, `  ${op}`, round(c.calls), c.items > c.calls + 1e-9 ? `calls (${round(c.items)} items)` : 'calls');
    if (p.streamCallsPerLead) {
      add(s, 'DynamoDB Streams calls per lead', round(p.streamCallsPerLead), 'calls');
      for (const [op, c] of Object.entries(p.streams)) add(s, `  ${op}`, round(c.calls), 'calls');
    }
    add(s, 'DynamoDB Local requests no SDK client counted (included above)', round(p.uncountedDynamoRequestsPerLead), 'per lead', '0 (a check)', p.uncountedDynamoRequestsPerLead < 0.05);
    add(s, 'CPU per lead, Node + DynamoDB Local', ms(p.cpuMsPerLead.total), 'ms', '≤ 25 ms', p.cpuMsPerLead.total <= 25);
    add(s, '  Node (platform process)', ms(p.cpuMsPerLead.node), 'ms');
    add(s, '  DynamoDB Local (JVM)', ms(p.cpuMsPerLead.dynamodbLocal), 'ms');
  }
  if (r.burst) {
    const b = r.burst;
    const s = `burst of ${b.leads}, ${b.concurrency} in flight`;
    add(s, 'all acknowledged after', round(b.allAcknowledgedSeconds), 's');
    add(s, 'all assigned after', Number.isFinite(b.allAssignedSeconds) ? round(b.allAssignedSeconds) : null, 's');
    add(s, 'all notified after', Number.isFinite(b.allNotifiedSeconds) ? round(b.allNotifiedSeconds) : null, 's');
    add(s, 'notified', `${b.notified} / ${b.accepted}`, 'leads', 'all', b.notified === b.accepted && b.accepted === b.leads);
    add(s, 'capture → assigned p50', ms(b.captureToAssigned.p50), 'ms');
    add(s, 'capture → assigned p99', ms(b.captureToAssigned.p99), 'ms');
    add(s, 'capture → notified p50', ms(b.captureToNotified.p50), 'ms');
    add(s, 'capture → notified p99', ms(b.captureToNotified.p99), 'ms');
    const perRep = Object.entries(b.assignedPerRep).sort().map(([rep, n]) => `${rep} ${n}`).join(' / ');
    add(s, 'leads per rep', perRep || null, '', '333/333/334 ± 1', b.evenlyDistributed);
    add(s, 'distinct rotation tickets', b.distinctTickets, `of ${b.leads}`, `${b.leads}`, b.distinctTickets === b.leads);
    if (b.assignment) {
      const a = b.assignment;
      for (const p of ['p50', 'p90', 'p99', 'max'] as const) add(s, `assignment: capture → assigned ${p}`, ms(a.captureToAssigned[p]), 'ms');
      for (const p of ['p50', 'p90', 'p99', 'max'] as const) add(s, `assignment: qualified → assigned ${p}`, ms(a.qualifiedToAssigned[p]), 'ms');
      add(s, 'assignment: waited in a team queue', a.waitedInQueue, `of ${b.leads}`);
      add(s, 'assignment: not assigned', a.notAssigned, `of ${b.leads}`, '0', a.notAssigned === 0);
      const listed = Object.entries(a.perRep).map(([rep, x]) => `${rep} ${x.listed}`).join(' + ');
      add(s, 'assignment: distinct leads in the reps\' own lists', `${listed} = ${a.listedTotal}`, 'leads', `${b.leads}`, a.listedTotal === b.leads);
      add(s, 'assignment: leads assigned more than once', a.assignedMoreThanOnce + a.listedTwiceOrWrongly + a.notifiedToSeveralReps, 'leads', '0', a.eachAssignedOnce);
    }
  }
  if (r.reports) {
    const s = 'channel report, a year by channel and month (in EUR)';
    for (const x of r.reports.scales) {
      add(s, `read p50 with ${x.leadsPerYear.toLocaleString('en')} leads stored (${x.reportRows} rows, ${x.leadsCounted} leads counted)`, ms(x.readMs.p50), 'ms');
      add(s, `  table calls of one read`, Object.entries(x.readCalls).map(([k, v]) => `${k} ${v}`).join(', '), '');
      add(s, `build of one day of ${x.buildDay.leads} leads`, ms(x.buildDay.ms), `ms (${Object.entries(x.buildDay.calls).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    }
    add(s, 'read with 1M ÷ read with 10k', round(r.reports.ratio * 100) / 100, '×', '≤ 1.5', r.reports.ratio <= 1.5);
  }
  if (r.bundles) {
    if (r.bundles.available) {
      for (const f of r.bundles.functions) add('bundle (minified)', f.name, round(f.bytes / 1024), 'KB', '≤ 400 KB', f.pass);
    } else {
      add('bundle (minified)', 'bundle sizes: see test/infra/bundle-size.test.ts', r.bundles.reason, '');
    }
  }
  if (r.functions) {
    for (const f of r.functions) add('function, warm, one at a time', `${f.name} mean (p99)`, `${round(f.duration.mean)} (${round(f.duration.p99)})`, 'ms');
  }
  if (r.dynamoCeiling) {
    const d = r.dynamoCeiling;
    const s = `DynamoDB Local ceiling, file mode, ${d.concurrency} in flight`;
    for (const k of d.kinds) add(s, `${k.kind} per second`, Math.round(k.perSecond), 'calls/s');
    if (d.leadsPerSecond) {
      add(s, 'leads/s it allows: intake alone', ms(d.leadsPerSecond.intakeOnly), 'leads/s');
      add(s, 'leads/s it allows: whole flow', ms(d.leadsPerSecond.wholeFlow), 'leads/s');
    }
  }
  if (r.cost) {
    const basis = r.cost.basis === 'counted' ? 'counted calls' : 'traced flow';
    add(`AWS cost (list prices, us-east-1; ${basis})`, 'per 1,000 leads', Math.round(r.cost.usdPer1000Leads * 10000) / 10000, 'USD', '≤ $0.02', r.cost.usdPer1000Leads <= 0.02);
  }
  return out;
}

function table(headers: string[], rows: Array<Array<string | number | null>>): string[] {
  const text = rows.map((row) => row.map((c) => (c === null ? '—' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)];
}

const verdict = (pass: boolean | null) => (pass === null ? '' : pass ? 'PASS' : 'FAIL');

/** The measurements as an aligned text table for the terminal. */
export function consoleTable(measurements: Measurement[]): string {
  return table(
    ['scenario', 'measurement', 'value', 'budget', 'result'],
    measurements.map((m) => [m.scenario, m.name, m.value === null ? null : `${m.value} ${m.unit}`.trim(), m.budget ?? '', verdict(m.pass)]),
  ).join('\n');
}

function mdTable(headers: string[], rows: Array<Array<string | number | null>>): string[] {
  const cell = (c: string | number | null) => (c === null ? '—' : String(c).replaceAll('|', '\\|'));
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

const summaryRow = (label: string, s: Summary) => {
  const r = rounded(s);
  return [label, r.count, r.p50, r.p95, r.p99, r.max];
};

function cpuLines(cpu: CpuWindow): string[] {
  const parts = Object.entries(cpu.processes).map(([name, p]) => `${name} ${round(p.cores)}`);
  const machine = cpu.machine
    ? `; whole machine busy ${round(cpu.machine.busyCores)} of 2 cores, stolen by the hypervisor ${round(cpu.machine.stealCores)}, idle ${round(cpu.machine.idleCores)}`
    : '';
  return [`CPU over ${round(cpu.wallSeconds)} s, in cores: ${parts.join(', ')}${machine}.`];
}

const perOp = (ops: Record<string, { calls: number }>) =>
  Object.entries(ops)
    .sort(([, a], [, b]) => b.calls - a.calls)
    .map(([op, c]) => `${round(c.calls)} ${op}`)
    .join(', ');

/** One sentence of what each lead of a window cost the platform, from its counters. */
function perLeadLine(p: PerLeadWindow): string {
  return (
    `Per notified lead, counted in the platform over the window (${p.notified} notified, ${p.captured} captured): ` +
    `**${round(p.tableCallsPerLead)} table calls** (${perOp(p.table) || 'none'})` +
    (p.streamCallsPerLead ? `, ${round(p.streamCallsPerLead)} stream calls (${perOp(p.streams)})` : '') +
    `; **${round(p.cpuMsPerLead.total)} CPU ms** (Node ${round(p.cpuMsPerLead.node)}, DynamoDB Local ${round(p.cpuMsPerLead.dynamodbLocal)}).`
  );
}

/** The sustained throughput, against the storage ceiling, with what one lead costs by operation and process. */
function sustainedSection(x: SustainedResult, t: BenchResults['throughput'], ceiling: DynamoCeiling | undefined): string[] {
  const p = x.perLead;
  const wire = (service: string, op: string) => p.dynamodbLocalRequests[service]?.[op];
  const opRows = (service: string, ops: PerLeadWindow['table']) =>
    Object.entries(ops)
      .sort(([, a], [, b]) => b.calls - a.calls)
      .map(([op, c]) => [service, op, round(c.calls), round(c.attempts), round(c.items), wire(service, op) === undefined ? null : round(wire(service, op)!), c.uncounted ? round(c.uncounted) : null, c.errors ? round(c.errors) : 0]);
  const ratio = t
    ? `The PutItem ceiling of DynamoDB Local measured on the same platform just before and just after the loop ` +
      `(${Math.round(t.putItemPerSecondBefore)} and ${Math.round(t.putItemPerSecondAfter)} calls/s, mean ${Math.round(t.putItemPerSecond)}, with ${ceiling?.concurrency ?? 16} in flight, file mode) ` +
      `÷ ${round(t.tableCallsPerLead)} table calls per lead allows ${round(t.allowedLeadsPerSecond)} leads/s; the platform carried **${round(t.ratio * 100) / 100} ×** that (budget ≥ 0.7). ` +
      `Other people's processes kept ${round(t.otherCoresDuringLoop)} cores busy during the loop and ${round(t.otherCoresDuringCeiling)} during the PutItem ceilings` +
      (comparable(t)
        ? '.'
        : `: more than ${COMPARABLE_CORES} apart, so the two rates were taken on what was in effect a different machine and the ratio is not judged.`) +
      ` Contention changes CPU per call less than rates: DynamoDB Local spent ${round(t.javaCpuMsPerTableCallInLoop)} CPU ms per table call in the loop and ${round(t.javaCpuMsPerPutItem)} per PutItem in the ceiling.`
    : 'The storage ceiling was not measured in this run, so there is no ratio.';
  return [
    '## 3. Sustained throughput, and what one lead costs',
    '',
    `A closed loop kept ${x.inSystem} leads between capture and notification (a new POST for each notification, read from GET /_local/stats) ` +
      `for ${round(x.warmupSeconds)} s of warm-up and a ${round(x.windowSeconds)} s window: **${round(x.leadsPerSecond)} leads/s** notified. ` +
      `${x.posted} posted, ${x.rejected} rejected; the backlog ${x.drained ? `drained ${round(x.drainedSeconds)} s after the window` : `had not drained ${round(x.drainedSeconds)} s after the window`}. ${ratio}`,
    '',
    'Calls per lead over the window, from the SDK clients\' own counters in the platform process (shared/observability/call-counter.ts), beside the requests DynamoDB Local got from that process on the wire ' +
      '(by `X-Amz-Target`, whichever client sent them); attempts include the SDK\'s retries, items the entries of batches and transactions. ' +
      'Requests on the wire beyond the counted attempts came from a client that does not count its calls: they are added to the calls and shown as uncounted.',
    '',
    ...mdTable(['service', 'operation', 'calls', 'attempts', 'items', 'requests on the wire', 'uncounted', 'errors'], [
      ...opRows('DynamoDB', p.table),
      ...opRows('DynamoDBStreams', p.streams),
      ...Object.entries(p.other).flatMap(([service, ops]) => opRows(service, ops)),
    ]),
    '',
    `Table calls per lead: **${round(p.tableCallsPerLead)}** (budget ≤ 8); DynamoDB Streams calls: ${p.streamCallsPerLead ? round(p.streamCallsPerLead) : 'none (no streams client in this build)'}; ` +
      `requests to DynamoDB Local no SDK counter saw: ${round(p.uncountedDynamoRequestsPerLead)} per lead. ` +
      'The SQS calls are the local runtime\'s (the bus\'s sends for the rules, the pollers\' receives and deletes, idle long polls included), not what AWS would make.',
    '',
    ...mdTable(['function', 'invocations per lead', 'mean ms in the platform'], Object.entries(p.invocations).map(([fn, n]) => [fn, round(n), round(p.invocationMs[fn] ?? Number.NaN)])),
    '',
    (Object.keys(p.scheduled).length
      ? `Scheduled runs in the window, whose calls are in the counts: ${Object.entries(p.scheduled).map(([fn, n]) => `${fn} ×${n}`).join(', ')}. `
      : 'No scheduled function ran in the window. ') +
      `CPU per lead from the processes' own accounting (process.cpuUsage() of the platform, utime + stime of DynamoDB Local's JVM from /proc): ` +
      `**${round(p.cpuMsPerLead.total)} ms** = Node ${round(p.cpuMsPerLead.node)} + DynamoDB Local ${round(p.cpuMsPerLead.dynamodbLocal)} (budget ≤ 25 ms); ` +
      `in cores: Node ${round(p.cores.node)}, DynamoDB Local ${round(p.cores.dynamodbLocal)}${p.dynamodbLocalRestarted ? ' (DynamoDB Local was restarted in the window: its CPU is approximate)' : ''}.`,
    '',
    ...cpuLines(x.cpu),
    '',
    ...mdTable(['latency (ms)', 'n', 'p50', 'p95', 'p99', 'max'], [summaryRow('intake ack in the closed loop', x.intakeAck)]),
    '',
  ];
}

/** The burst's assignment: latency with p90, the per-rep split from three sides, queue waits, double assignments. */
function assignmentSection(leads: number, a: AssignmentReport): string[] {
  const withP90 = (label: string, x: Summary) => {
    const r = rounded(x);
    return [label, r.count, r.p50, r.p90, r.p99, r.max];
  };
  return [
    '### Assignment under the burst',
    '',
    'Each lead read back with GET /v1/leads/{id} once the burst settled: `assignedAt − capturedAt` and `assignedAt − qualifiedAt`.',
    '',
    ...mdTable(['latency (ms)', 'n', 'p50', 'p90', 'p99', 'max'], [
      withP90('capture → assigned', a.captureToAssigned),
      withP90('qualified → assigned', a.qualifiedToAssigned),
      ...Object.entries(a.perRep).map(([rep, x]) => withP90(`capture → assigned, ${rep}`, x.captureToAssigned)),
    ]),
    '',
    ...mdTable(
      ['rep', 'owner on the lead', 'in the rep\'s own list (GET /v1/rep/leads)', 'notified (demo webhook)'],
      [...Object.entries(a.perRep).map(([rep, x]) => [rep, x.owned, x.listed, x.notified]), ['total', Object.values(a.perRep).reduce((s, x) => s + x.owned, 0), a.listedTotal, Object.values(a.perRep).reduce((s, x) => s + x.notified, 0)]],
    ),
    '',
    `${a.waitedInQueue} of ${leads} leads waited in a team queue (a \`Lead Waiting\` entry on the timeline); ${a.notAssigned} were not assigned when read back. ` +
      `Assigned more than once: ${a.assignedMoreThanOnce} by the timeline (a second \`Lead Assigned\` or a \`Lead Reassigned\`), ` +
      `${a.listedTwiceOrWrongly} in two reps' lists or a non-owner's list, ${a.notifiedToSeveralReps} notified to two reps: ` +
      `**${a.eachAssignedOnce ? `each of the ${leads} leads was assigned exactly once` : 'NOT every lead was assigned exactly once'}**.`,
    '',
  ];
}

/** The human report: budgets first, then what each scenario saw and where the time went. */
export function markdownReport(r: BenchResults): string {
  const m = r.machine;
  const lines: string[] = [
    '# leadflow benchmark results',
    '',
    `Run \`${r.run.id}\` on ${m.date}: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}; ` +
      `${r.run.seconds ? `${round(r.run.seconds)} s in all` : ''}${r.run.options.scale !== 1 ? `, at --scale ${r.run.options.scale} (shorter loads, a smaller burst)` : ''}. ` +
      'Written by `npm run bench` (test/bench/run.ts); machine-readable in results.json.',
    '',
    `Load average at start ${m.loadAverageAtStart.map(round).join(' / ')}${m.loadAverageAtEnd ? `, at end ${m.loadAverageAtEnd.map(round).join(' / ')}` : ''}; ` +
      `other processes at start: ${Object.entries(m.otherProcessesAtStart).map(([k, v]) => `${v} ${k}`).join(', ')}. ` +
      'The platform, DynamoDB Local and the load generator share the same 2 cores, so figures are for this machine, not for AWS.',
    '',
    '## Budgets (DESIGN.md) and figures',
    '',
    ...mdTable(['scenario', 'measurement', 'value', 'budget', 'result'], r.measurements.map((x) => [x.scenario, x.name, x.value === null ? null : `${x.value} ${x.unit}`.trim(), x.budget ?? '', verdict(x.pass)])),
    '',
  ];
  if (r.errors.length) lines.push('## Errors', '', ...r.errors.map((e) => `- ${e.scenario}: ${e.message}`), '');
  const latencyHeaders = ['latency (ms)', 'n', 'p50', 'p95', 'p99', 'max'];
  if (r.intake) {
    const i = r.intake;
    lines.push(
      '## 1. Intake acknowledgement',
      '',
      `${i.sent} POSTs scheduled by the clock at ${i.ratePerSecond}/s for ${i.durationSeconds} s (open loop; achieved ${round(i.achievedRatePerSecond)}/s, ` +
        `send lag p99 ${round(i.sendLag.p99)} ms, at most ${i.maxInFlight} in flight). Timed from just before sending to the body fully read. ` +
        `Statuses: ${Object.entries(i.statuses).map(([k, v]) => `${k} × ${v}`).join(', ')}.`,
      '',
      ...mdTable(latencyHeaders, [summaryRow('under load (202s)', i.latency), summaryRow('one at a time (warm-up; the pipeline busy with earlier ones)', i.unloaded)]),
      '',
      ...cpuLines(i.cpu),
      '',
      `Idle, before the load: ${cpuLines(i.idleCpu)[0]}`,
      '',
      `The rest of the pipeline shares the process and DynamoDB Local: ${i.notifiedWhenLoadEnded} of the ${i.sent} leads posted (timed-out ones included) had reached their rep when the last answer came.`,
      '',
    );
    if (i.errorSamples.length) lines.push(`Errors seen: ${i.errorSamples.map((e) => `\`${e}\``).join('; ')}`, '');
  }
  for (const c of [r.captureToNotify, r.captureToNotifyWithinCeiling]) {
    if (!c) continue;
    lines.push(
      `## 2. Capture → rep notified at ${c.ratePerSecond} leads/s`,
      '',
      `${c.posted} leads at ${c.ratePerSecond}/s for ${c.durationSeconds} s (open loop); ${c.acknowledged} POSTs answered 202 within the client's 10 s. ` +
        `Followed by email to the demo receiver: ${c.notified} notified, ${c.notifiedWithin60s} within 60 s of capture, ${c.notNotified} not notified ` +
        `when the wait ended ${round(c.waitedForNotificationsSeconds)} s after the last answer.`,
      '',
      ...mdTable(latencyHeaders, [
        summaryRow('captureToNotifyMs (lead)', c.captureToNotify),
        summaryRow('demo receiver receivedAt − capturedAt', c.receiverCheck),
        summaryRow('capture → qualified', c.stages.captureToQualified),
        summaryRow('qualified → assigned', c.stages.qualifiedToAssigned),
        summaryRow('assigned → notified', c.stages.assignedToNotified),
        summaryRow('intake ack at this rate', c.intakeAck),
      ]),
      '',
      ...cpuLines(c.cpu),
      '',
      ...(c.perLead ? [perLeadLine(c.perLead), ''] : []),
    );
  }
  if (r.sustained) lines.push(...sustainedSection(r.sustained, r.throughput, r.dynamoCeiling));
  if (r.burst) {
    const b = r.burst;
    lines.push(
      '## 4. Burst',
      '',
      `${b.leads} leads posted with ${b.concurrency} in flight: all acknowledged after ${round(b.allAcknowledgedSeconds)} s, ` +
        `all assigned after ${round(b.allAssignedSeconds)} s, all notified after ${round(b.allNotifiedSeconds)} s (from the first send). ` +
        `Per rep, assigned: ${JSON.stringify(b.assignedPerRep)}; notified: ${JSON.stringify(b.notifiedPerRep)}; ${b.distinctTickets} distinct rotation tickets.`,
      '',
      ...mdTable(latencyHeaders, [
        summaryRow('intake ack', b.intakeAck),
        summaryRow('capture → assigned', b.captureToAssigned),
        summaryRow('capture → notified', b.captureToNotified),
      ]),
      '',
      ...cpuLines(b.cpu),
      '',
    );
    if (b.assignment) lines.push(...assignmentSection(b.leads, b.assignment));
  }
  if (r.functions) {
    lines.push(
      '## Functions, invoked one at a time (warm)',
      '',
      'Each handler invoked directly in the bench process against the platform\'s DynamoDB Local, publishing to a stub bus so nothing runs in the background, with inputs that take a new lead\'s path. ' +
        'DynamoDB time counts overlapping calls once; "other" is parsing, validation, middlewares and, for notify, the webhook call. ' +
        'WRU and RRU are what AWS would bill for the calls, worked out from the items they wrote and read (test/bench/dynamo-billing.ts).',
      '',
      ...mdTable(
        ['function', 'MB', 'mean ms', 'p50', 'p99', 'DynamoDB ms', 'PutEvents ms', 'other ms', 'DynamoDB calls', 'WRU', 'RRU'],
        r.functions.map((f) => [
          f.name,
          f.memoryMb,
          round(f.duration.mean),
          round(f.duration.p50),
          round(f.duration.p99),
          round(f.dynamoMs),
          round(f.putEventsMs),
          round(f.otherMs),
          Object.entries(f.calls).map(([c, n]) => `${c} ×${round(n)}`).join(', '),
          round(f.wru),
          round(f.rru),
        ]),
      ),
      '',
    );
  }
  if (r.dynamoCeiling) {
    const d = r.dynamoCeiling;
    lines.push(
      '## What DynamoDB Local can carry here',
      '',
      `Each kind of call a lead makes, ${d.kinds[0]?.calls ?? 0} times with ${d.concurrency} in flight from the bench process, against the idle platform's DynamoDB Local (file mode: \`-dbPath\`, \`-sharedDb\`), right after the sustained run on it.` +
        (d.leadsPerSecond
          ? ` A lead makes ${Object.entries(d.leadsPerSecond.callsPerLead).map(([c, n]) => `${round(n)} ${c}`).join(', ')} ` +
            `(${d.leadsPerSecond.counted ? 'counted in the platform under the sustained load' : 'estimated from the probe and the traced flow'}), ` +
            `so DynamoDB Local alone allows about **${round(d.leadsPerSecond.intakeOnly)} leads/s through intake** (with nothing else running) ` +
            `and **${round(d.leadsPerSecond.wholeFlow)} leads/s through the whole flow**, each call at the rate of its kind.`
          : ''),
      '',
      ...mdTable(
        ['call', 'calls/s', 'p50 ms', 'p99 ms', 'DynamoDB Local CPU ms per call', 'errors', 'cores other processes used'],
        d.kinds.map((k) => [k.kind, Math.round(k.perSecond), round(k.latency.p50), round(k.latency.p99), round(k.javaCpuMsPerCall), k.errors, round(k.otherCores)]),
      ),
      '',
    );
  }
  if (r.cost) {
    const c = r.cost;
    lines.push(
      '## 5. AWS cost per 1,000 leads (estimate)',
      '',
      `Requests per lead (${c.basis === 'counted' ? 'counted in the platform under the sustained load' : 'traced from the probe; no counted calls in this run'}) × public on-demand list prices in us-east-1 (test/bench/aws-cost.ts, to be checked). ` +
        `**$${c.usdPer1000Leads.toFixed(4)} per 1,000 leads**; with every function running 3× as long: $${c.usdPer1000LeadsAtTripleDuration.toFixed(4)}; ` +
        `with queue consumers always getting full batches: $${c.usdPer1000LeadsWithFullBatches.toFixed(4)}.`,
      '',
      ...mdTable(
        ['service', 'what', 'per lead', 'unit', 'USD per 1,000 leads'],
        c.lines.map((l) => [l.service, l.item, round(l.perLead * 10000) / 10000, l.unit, l.usdPer1000Leads.toFixed(5)]),
      ),
      '',
      `A lead's flow traced through the topology's rules from the events each probed function published (${c.basis === 'counted' ? 'for the event names; the counts above are the platform\'s' : 'the counts above'}): ` +
        `${Object.entries(c.flow.invocations).map(([fn, n]) => `${fn} ×${n}`).join(', ')}; events ${c.flow.events.join(', ')}; ${c.flow.queueMessages} queue message(s).`,
      '',
      `DynamoDB calls per lead as the code makes them, each item billed by AWS's on-demand rules: ${round(c.perLead.wru)} WRU and ${round(c.perLead.rru)} RRU per lead. ` +
        '(DynamoDB Local\'s own ReturnConsumedCapacity is not used: it undercounts transactions whose items share a partition key.)',
      '',
      ...(c.dynamoByOperation
        ? [
            'By operation: items counted per lead × request units per item, from the probe\'s billed calls below weighted by each function\'s invocations per lead.',
            '',
            ...mdTable(
              ['operation', 'calls per lead', 'items per lead', 'WRU per item', 'RRU per item', 'WRU', 'RRU', 'units from'],
              c.dynamoByOperation.map((o) => [o.operation, round(o.callsPerLead), round(o.itemsPerLead), round(o.wruPerItem), round(o.rruPerItem), round(o.wru), round(o.rru), o.unitsFrom]),
            ),
            '',
            'The probe\'s calls, one invocation of each function, billed item by item:',
            '',
          ]
        : []),
      ...mdTable(
        ['function', 'runs per lead', 'call', 'part', 'item', 'bytes', 'WRU', 'RRU'],
        c.dynamoOps.map((o) => [o.fn, o.times, o.call, o.action, o.item, o.bytes, o.wru, o.rru]),
      ),
      '',
      ...c.assumptions.map((a) => `- ${a}`),
      '',
    );
  }
  if (r.reports) {
    lines.push(
      '## Channel report read and build',
      '',
      'A year of the channel report read by channel and month, in EUR, the two years read in turns. 10k (2025): every lead\'s funnel marks written and each day built by the builder. 1M (2024): the day rows the builder makes from 1M leads written directly, plus one real day of marks, whose build is timed.',
      '',
      ...mdTable(
        ['leads in the year', 'stored as', 'read p50 ms', 'read p95 ms', 'read calls', 'items read', 'one day built: leads', 'ms', 'calls'],
        r.reports.scales.map((x) => [
          x.leadsPerYear, x.stored, round(x.readMs.p50), round(x.readMs.p95), Object.entries(x.readCalls).map(([k, v]) => `${k} ${v}`).join(', '), x.itemsRead,
          x.buildDay.leads, round(x.buildDay.ms), Object.entries(x.buildDay.calls).map(([k, v]) => `${k} ${v}`).join(', '),
        ]),
      ),
      '',
      `Read with 1M ÷ read with 10k: ${round(r.reports.ratio * 100) / 100} (goal ≤ 1.5).`,
      '',
    );
  }
  if (r.bundles) {
    lines.push('## 6. Bundle sizes', '');
    if (r.bundles.available) {
      lines.push(...mdTable(['function', 'minified KB', 'budget', 'result'], r.bundles.functions.map((f) => [f.name, round(f.bytes / 1024), '400 KB', verdict(f.pass)])), '');
    } else {
      lines.push(`bundle sizes: see test/infra/bundle-size.test.ts (${r.bundles.reason}).`, '');
    }
  }
  if (r.profile) {
    const p = r.profile;
    lines.push(
      `## Where the platform process spent its CPU (${p.scenario})`,
      '',
      `V8 CPU profile of the platform's Node process (test/bench/cpu-profiler.mjs): ${round(p.busyMs / 1000)} s busy, ${round(p.idleMs / 1000)} s idle. Self time:`,
      '',
      ...mdTable(['module', 'ms', '% of busy'], p.byModule.map((x) => [x.name, x.ms, x.share])),
      '',
      ...mdTable(['function', 'ms', '% of busy'], p.byFunction.map((x) => [x.name, x.ms, x.share])),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes results.json and RESULTS.md. */
export function writeReports(r: BenchResults, jsonPath: string, markdownPath: string): void {
  // NaN (nothing measured) becomes null; other numbers keep six significant digits.
  const json = JSON.stringify(r, (_k, v: unknown) => (typeof v !== 'number' ? v : Number.isFinite(v) ? Number(v.toPrecision(6)) : null), 2);
  writeFileSync(jsonPath, `${json}\n`);
  writeFileSync(markdownPath, markdownReport(r));
}
