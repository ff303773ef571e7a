import { randomUUID } from 'node:crypto';
import { topology, type ScheduleSpec } from '../topology.js';

const UNIT_MS = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/**
 * Milliseconds between runs of a `rate(...)` expression, with EventBridge's rules: a positive whole
 * number, the unit singular for 1 and plural otherwise.
 */
export function rateToMs(expression: string): number {
  const m = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  const value = Number(m?.[1]);
  const unit = m?.[2] ?? '';
  if (!m || value < 1 || (value === 1) === unit.endsWith('s')) {
    throw new Error(`invalid schedule expression "${expression}"; use rate(1 minute) or rate(N minutes|hours|days) with N > 1`);
  }
  return value * UNIT_MS[unit as keyof typeof UNIT_MS];
}

/** The schedules the local runtime runs, with the interval each runs at. */
export function localSchedules(): Array<{ name: string; expression: string; function: string; everyMs: number }> {
  return Object.entries(topology.schedules).map(([name, spec]: [string, ScheduleSpec]) => ({
    name,
    expression: spec.expression,
    function: spec.function,
    everyMs: rateToMs(spec.expression),
  }));
}

/**
 * Runs the topology's schedules on their rates, invoking each function with the event EventBridge
 * Scheduler sends. `runNow` runs one at once, for tests and the "build now" button.
 */
export function startScheduler(
  invoke: (schedule: ScheduleSpec, event: unknown) => Promise<unknown>,
  onError: (name: string, error: unknown) => void,
): { runNow(name: keyof typeof topology.schedules): Promise<unknown>; stop(): void } {
  const entries = Object.entries(topology.schedules) as Array<[keyof typeof topology.schedules, ScheduleSpec]>;
  const run = (name: string, spec: ScheduleSpec) =>
    invoke(spec, {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      time: new Date().toISOString(),
      detail: { schedule: name },
    });
  const timers = entries.map(([name, spec]) =>
    setInterval(() => run(name, spec).catch((e: unknown) => onError(name, e)), rateToMs(spec.expression)),
  );
  return {
    runNow: (name) => run(name, topology.schedules[name]),
    stop: () => timers.forEach(clearInterval),
  };
}
