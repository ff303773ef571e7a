import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of a Linux `/proc/<pid>/stat` line the local runtime and the bench use. */
export interface ProcStat {
  pid: number;
  /** The executable's name as the kernel keeps it (at most 15 characters), without the parentheses. */
  command: string;
  state: string;
  ppid: number;
  /** CPU time in user and kernel mode, in clock ticks (see `clockTicksPerSecond`). */
  utimeTicks: number;
  stimeTicks: number;
  /** When the process started, in clock ticks after boot: tells a restarted process from one with the same pid. */
  startTicks: number;
}

/**
 * Parses one `/proc/<pid>/stat` line (proc(5)). The command name sits in parentheses and may itself hold
 * spaces and parentheses, so the fields are counted from the last `)`: state is field 3, ppid 4, utime 14,
 * stime 15 and starttime 22 of the line.
 */
export function parseProcStat(line: string): ProcStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(line.slice(0, open).trim());
  const fields = line.slice(close + 2).trim().split(/\s+/);
  const number = (i: number) => Number(fields[i]);
  const stat = {
    pid,
    command: line.slice(open + 1, close),
    state: fields[0] ?? '',
    ppid: number(1),
    utimeTicks: number(11),
    stimeTicks: number(12),
    startTicks: number(19),
  };
  return [stat.pid, stat.ppid, stat.utimeTicks, stat.stimeTicks, stat.startTicks].every(Number.isInteger) ? stat : undefined;
}

let ticks: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`), read once; 100, the usual value, if it cannot be read. */
export function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    try {
      const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      ticks = Number.isInteger(value) && value > 0 ? value : 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A process's stat line, parsed; undefined once it has exited (or off Linux). */
export function readProcStat(pid: number): ProcStat | undefined {
  const line = read(`/proc/${pid}/stat`);
  return line === undefined ? undefined : parseProcStat(line);
}

/** A process's command line with its arguments joined by spaces; '' when it cannot be read. */
export function commandLine(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ').trim();
}

/** Pids whose command line contains `needle` (Linux /proc; none elsewhere). */
export function pidsMatching(needle: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((e) => /^\d+$/.test(e) && commandLine(Number(e)).includes(needle)).map(Number);
}

/** CPU milliseconds a process has used, user and system, from its stat line. */
export function cpuMsOf(stat: ProcStat): { userMs: number; systemMs: number } {
  const msPerTick = 1000 / clockTicksPerSecond();
  return { userMs: stat.utimeTicks * msPerTick, systemMs: stat.stimeTicks * msPerTick };
}
