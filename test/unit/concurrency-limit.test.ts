import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../infra/local/concurrency-limit.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued promise callback run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Counts tasks running at once and remembers the highest count. */
function meter() {
  const m = { running: 0, peak: 0, started: [] as string[] };
  const task =
    <T>(name: string, work: Promise<T>) =>
    async (): Promise<T> => {
      m.running++;
      m.peak = Math.max(m.peak, m.running);
      m.started.push(name);
      try {
        return await work;
      } finally {
        m.running--;
      }
    };
  return { m, task };
}

describe('concurrencyLimit', () => {
  it('starts at most limit tasks and queues the rest', async () => {
    const limited = concurrencyLimit(2);
    const { m, task } = meter();
    const gates = [0, 1, 2, 3, 4].map(() => deferred<number>());
    const results = gates.map((g, i) => limited(task(`t${i}`, g.promise)));
    await settle();
    expect(m.started).toEqual(['t0', 't1']);
    gates[0]!.resolve(0);
    await settle();
    expect(m.started).toEqual(['t0', 't1', 't2']);
    gates.forEach((g, i) => g.resolve(i));
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(m.peak).toBe(2);
  });

  it('starts queued tasks in the order they were submitted', async () => {
    const limited = concurrencyLimit(1);
    const { m, task } = meter();
    const results = ['a', 'b', 'c', 'd'].map((name) => limited(task(name, Promise.resolve(name))));
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(m.started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never runs more than limit tasks while 50 tasks of uneven length complete', async () => {
    const limited = concurrencyLimit(3);
    const { m, task } = meter();
    const gates = Array.from({ length: 50 }, () => deferred<number>());
    const results = gates.map((g, i) => limited(task(`t${i}`, g.promise)));
    // Finish tasks in a scrambled order, letting the queue move between each.
    for (const i of Array.from({ length: 50 }, (_, i) => (i * 17) % 50)) {
      await settle();
      gates[i]!.resolve(i);
    }
    expect(await Promise.all(results)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(m.peak).toBe(3);
    expect(m.started).toHaveLength(50);
  });

  it('passes a failing task its own rejection and keeps the queue moving', async () => {
    const limited = concurrencyLimit(1);
    const { m, task } = meter();
    const failing = limited(task('bad', Promise.reject(new Error('boom'))));
    const next = limited(task('next', Promise.resolve('ok')));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    expect(m.started).toEqual(['bad', 'next']);
    expect(m.running).toBe(0);
  });

  it('frees the slot of a task that throws synchronously', async () => {
    const limited = concurrencyLimit(1);
    const failing = limited(() => {
      throw new Error('sync boom');
    });
    await expect(failing).rejects.toThrow('sync boom');
    await expect(limited(async () => 'after')).resolves.toBe('after');
  });

  it('runs tasks at once while fewer than limit are running', async () => {
    const limited = concurrencyLimit(5);
    const { m, task } = meter();
    const gates = [0, 1, 2].map(() => deferred<void>());
    const results = gates.map((g, i) => limited(task(`t${i}`, g.promise)));
    await settle();
    expect(m.running).toBe(3);
    gates.forEach((g) => g.resolve());
    await Promise.all(results);
  });

  it('keeps the limit when a new task is submitted just as a running one finishes', async () => {
    const limited = concurrencyLimit(1);
    const { m, task } = meter();
    const first = deferred<string>();
    let firstWork!: Promise<string>;
    const a = limited(() => (firstWork = task('a', first.promise)()));
    const b = limited(task('b', Promise.resolve('b')));
    // Submitted by whoever else was waiting on the first task's work, e.g. a poller that reacts to it.
    const c = firstWork.then(() => limited(task('c', new Promise<string>((r) => setTimeout(() => r('c'), 5)))));
    first.resolve('a');
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(m.peak).toBe(1);
  });
});
