import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, describeWindow, nextRestart } from '../../infra/local/restart-policy.js';

const policy = { maxRestarts: 3, windowMs: 60_000, baseDelayMs: 250, maxDelayMs: 800 };

describe('nextRestart', () => {
  it('restarts the first exit after the base delay', () => {
    expect(nextRestart(policy, [], 1_000_000)).toEqual({ restart: true, delayMs: 250 });
  });

  it('doubles the delay for each restart already in the window, up to the maximum', () => {
    const now = 1_000_000;
    expect(nextRestart(policy, [now - 3000], now)).toEqual({ restart: true, delayMs: 500 });
    expect(nextRestart(policy, [now - 3000, now - 2000], now)).toEqual({ restart: true, delayMs: 800 });
  });

  it('gives up once the window holds the maximum number of restarts', () => {
    const now = 1_000_000;
    expect(nextRestart(policy, [now - 3000, now - 2000, now - 1000], now)).toEqual({ restart: false, restartsInWindow: 3 });
  });

  it('forgets restarts older than the window, so a service that crashes once a day is always restarted', () => {
    const now = 10_000_000;
    const daysAgo = [now - 3 * 86_400_000, now - 2 * 86_400_000, now - 86_400_000];
    expect(nextRestart(policy, daysAgo, now)).toEqual({ restart: true, delayMs: 250 });
    expect(nextRestart(policy, [...daysAgo, now - 60_000, now - 59_999, now - 1], now)).toEqual({ restart: true, delayMs: 800 });
  });

  it('allows five restarts in two minutes by default, the last after 4 s', () => {
    const now = 1_000_000;
    const four = [now - 40_000, now - 30_000, now - 20_000, now - 10_000];
    expect(nextRestart(DEFAULT_RESTART_POLICY, four, now)).toEqual({ restart: true, delayMs: 4000 });
    expect(nextRestart(DEFAULT_RESTART_POLICY, [...four, now - 1], now)).toEqual({ restart: false, restartsInWindow: 5 });
  });
});

describe('describeWindow', () => {
  it('says whole minutes in minutes and anything else in seconds', () => {
    expect(describeWindow(120_000)).toBe('2 minutes');
    expect(describeWindow(60_000)).toBe('1 minute');
    expect(describeWindow(90_000)).toBe('90 s');
  });
});
