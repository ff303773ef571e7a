import { describe, expect, it } from 'vitest';
import { priorityLane } from '../../infra/local/priority-lane.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the local priority lane', () => {
  it('halves the background slots while requests answer slower than the target, down to one', async () => {
    let clock = 0;
    const lane = priorityLane({ targetMs: 25, maxBackground: 8, now: () => clock });
    await lane.request(async () => {
      clock += 100;
    });
    for (let i = 0; i < 5; i++) await lane.background(async () => undefined);
    expect(lane.state.allowed).toBe(1);
  });

  it('grows the slots back one at a time once requests are fast or absent', async () => {
    let clock = 0;
    const lane = priorityLane({ targetMs: 25, maxBackground: 4, now: () => clock });
    await lane.request(async () => {
      clock += 100;
    });
    for (let i = 0; i < 3; i++) await lane.background(async () => undefined);
    expect(lane.state.allowed).toBe(1);
    clock += 5_000;
    await lane.background(async () => undefined);
    expect(lane.state.allowed).toBe(2);
    for (let i = 0; i < 5; i++) await lane.background(async () => undefined);
    expect(lane.state.allowed).toBe(4);
  });

  it('runs at most the allowed background tasks at once and queues the rest, never requests', async () => {
    const lane = priorityLane({ targetMs: 25, maxBackground: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await gate;
      running--;
    };
    const all = [lane.background(task), lane.background(task), lane.background(task)];
    await tick();
    expect(lane.state).toMatchObject({ running: 2, waiting: 1 });
    let answered = false;
    await lane.request(async () => {
      answered = true;
    });
    expect(answered).toBe(true);
    release();
    await Promise.all(all);
    expect(most).toBe(2);
  });
});
