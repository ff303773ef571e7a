import { describe, expect, it } from 'vitest';
import { clockTicksPerSecond, cpuMsOf, parseProcStat, readProcStat } from '../../infra/local/process-cpu.js';

// A real line from a DynamoDB Local JVM, and one whose command name holds a space and parentheses.
const JAVA =
  '48213 (java) S 48190 48190 47950 0 -1 1077936384 182734 0 3 0 5321 871 0 0 20 0 41 0 9138811 3862822912 96711 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0';
const ODD = '77 (my (odd) proc) R 1 77 77 0 -1 4194560 10 0 0 0 12 3 0 0 20 0 1 0 500 1000 10 18446744073709551615';

describe('parseProcStat', () => {
  it('reads state, parent, user and system ticks and the start time of a stat line', () => {
    expect(parseProcStat(JAVA)).toEqual({ pid: 48213, command: 'java', state: 'S', ppid: 48190, utimeTicks: 5321, stimeTicks: 871, startTicks: 9138811 });
  });

  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    expect(parseProcStat(ODD)).toMatchObject({ pid: 77, command: 'my (odd) proc', state: 'R', ppid: 1, utimeTicks: 12, stimeTicks: 3, startTicks: 500 });
  });

  it('answers undefined for a line that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 (cut short) S 1')).toBeUndefined();
  });
});

describe('cpuMsOf', () => {
  it('converts ticks to milliseconds at the kernel\'s clock rate', () => {
    const perTick = 1000 / clockTicksPerSecond();
    expect(cpuMsOf(parseProcStat(JAVA)!)).toEqual({ userMs: 5321 * perTick, systemMs: 871 * perTick });
  });
});

describe.runIf(process.platform === 'linux')('readProcStat', () => {
  it('reads this process, with the CPU it has used so far', () => {
    const stat = readProcStat(process.pid)!;
    expect(stat).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(stat.utimeTicks + stat.stimeTicks).toBeGreaterThan(0);
  });
});
