import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { clockTicksPerSecond, pidsMatching, readProcStat } from '../../infra/local/process-cpu.js';

export { pidsMatching };

export type ProcessGroups = Record<string, number[]>;

interface Snapshot {
  atMs: number;
  groups: Record<string, number>;
  machine?: { busy: number; idle: number; steal: number };
}

/** CPU time used during a window, in seconds and in cores (seconds per wall-clock second). */
export interface CpuWindow {
  wallSeconds: number;
  processes: Record<string, { cpuSeconds: number; cores: number }>;
  /** The whole machine: what every process used, including other people's, and what the hypervisor stole. */
  machine?: { busyCores: number; stealCores: number; idleCores: number };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function processTicks(pid: number): number {
  const stat = readProcStat(pid);
  return stat ? stat.utimeTicks + stat.stimeTicks : 0;
}

function machineTicks(): Snapshot['machine'] {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number) as number[];
  return { busy: user! + nice! + system! + irq! + softirq!, idle: idle! + iowait!, steal: steal ?? 0 };
}

function snapshot(groups: ProcessGroups): Snapshot {
  return {
    atMs: performance.now(),
    groups: Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids.reduce((s, p) => s + processTicks(p), 0)])),
    machine: machineTicks(),
  };
}

/** Starts measuring the CPU time of the given process groups; `stop()` returns what each used since. */
export function measureCpu(groups: ProcessGroups): { stop(): CpuWindow } {
  const start = snapshot(groups);
  const ownStart = process.cpuUsage();
  return {
    stop() {
      const end = snapshot(groups);
      const own = process.cpuUsage(ownStart);
      const wallSeconds = (end.atMs - start.atMs) / 1000;
      const processes: CpuWindow['processes'] = {};
      for (const name of Object.keys(groups)) {
        const cpuSeconds = (end.groups[name]! - start.groups[name]!) / clockTicksPerSecond();
        processes[name] = { cpuSeconds, cores: cpuSeconds / wallSeconds };
      }
      const benchSeconds = (own.user + own.system) / 1e6;
      processes['bench client'] = { cpuSeconds: benchSeconds, cores: benchSeconds / wallSeconds };
      let machine: CpuWindow['machine'];
      if (start.machine && end.machine) {
        const ticks = (k: 'busy' | 'idle' | 'steal') => (end.machine![k] - start.machine![k]) / clockTicksPerSecond() / wallSeconds;
        machine = { busyCores: ticks('busy'), stealCores: ticks('steal'), idleCores: ticks('idle') };
      }
      return { wallSeconds, processes, machine };
    },
  };
}
