import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffSeconds } from '../../shared/domain/backoff.js';

const noJitter = () => 0;
const fullJitter = () => 1;

describe('backoffSeconds', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('grows fourfold from 5 seconds per attempt without jitter', () => {
    expect([1, 2, 3].map((a) => backoffSeconds(a, noJitter))).toEqual([5, 20, 80]);
  });

  it('caps the wait at 300 seconds', () => {
    expect(backoffSeconds(4, noJitter)).toBe(300);
    expect(backoffSeconds(10, noJitter)).toBe(300);
    expect(backoffSeconds(1000, noJitter)).toBe(300);
  });

  it('treats attempt 0 and negative attempts like the first', () => {
    expect(backoffSeconds(0, noJitter)).toBe(5);
    expect(backoffSeconds(-3, noJitter)).toBe(5);
  });

  it('takes off at most 20% with the largest jitter', () => {
    expect([1, 2, 3, 4].map((a) => backoffSeconds(a, fullJitter))).toEqual([4, 16, 64, 240]);
  });

  it('takes off half of the jitter range at random 0.5', () => {
    expect(backoffSeconds(3, () => 0.5)).toBe(72);
    expect(backoffSeconds(5, () => 0.5)).toBe(270);
  });

  it('stays within 80% to 100% of the base for any random value', () => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const base = Math.min(300, 5 * 4 ** (attempt - 1));
      for (let i = 0; i < 100; i++) {
        const wait = backoffSeconds(attempt, () => i / 100);
        expect(wait).toBeGreaterThanOrEqual(Math.round(base * 0.8));
        expect(wait).toBeLessThanOrEqual(base);
      }
    }
  });

  it('rounds to whole seconds', () => {
    expect(backoffSeconds(1, () => 0.37)).toBe(5);
    expect(backoffSeconds(2, () => 0.123)).toBe(20);
    expect(backoffSeconds(3, () => 0.123)).toBe(78);
  });

  it('uses Math.random when no random source is given', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    expect(backoffSeconds(2)).toBe(16);
  });
});
