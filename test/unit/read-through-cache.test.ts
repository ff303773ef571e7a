import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readThroughCache } from '../../shared/store/read-through-cache.js';

describe('readThroughCache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-05T10:00:00.000Z'));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks a key up once and answers repeat reads within the TTL from the cache', async () => {
    const lookup = vi.fn(async (key: string) => `value-of-${key}`);
    const read = readThroughCache(lookup, 30_000);
    expect(await read('src-1')).toBe('value-of-src-1');
    vi.advanceTimersByTime(29_999);
    expect(await read('src-1')).toBe('value-of-src-1');
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('looks the key up again once the TTL has passed', async () => {
    let version = 0;
    const lookup = vi.fn(async () => ++version);
    const read = readThroughCache(lookup, 30_000);
    expect(await read('src-1')).toBe(1);
    vi.advanceTimersByTime(30_000);
    expect(await read('src-1')).toBe(2);
    vi.advanceTimersByTime(10_000);
    expect(await read('src-1')).toBe(2);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('keeps each key apart', async () => {
    const lookup = vi.fn(async (key: string) => key.toUpperCase());
    const read = readThroughCache(lookup, 30_000);
    expect(await Promise.all([read('a'), read('b'), read('a'), read('b')])).toEqual(['A', 'B', 'A', 'B']);
    expect(lookup.mock.calls).toEqual([['a'], ['b']]);
  });

  it('shares one lookup among concurrent reads of the same key', async () => {
    let release!: (value: string) => void;
    const lookup = vi.fn(() => new Promise<string>((r) => (release = r)));
    const read = readThroughCache(lookup, 30_000);
    const reads = [read('k'), read('k'), read('k')];
    release('v');
    expect(await Promise.all(reads)).toEqual(['v', 'v', 'v']);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('does not remember a failed lookup, so the next read tries again', async () => {
    const lookup = vi
      .fn<(key: string) => Promise<string>>()
      .mockRejectedValueOnce(new Error('throttled'))
      .mockResolvedValueOnce('v');
    const read = readThroughCache(lookup, 30_000);
    await expect(read('k')).rejects.toThrow('throttled');
    expect(await read('k')).toBe('v');
    expect(await read('k')).toBe('v');
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('caches undefined answers like any other value', async () => {
    const lookup = vi.fn(async () => undefined);
    const read = readThroughCache(lookup, 30_000);
    expect(await read('missing')).toBeUndefined();
    expect(await read('missing')).toBeUndefined();
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('forgets every entry once more than 10000 keys are cached', async () => {
    const lookup = vi.fn(async (key: string) => key);
    const read = readThroughCache(lookup, 30_000);
    for (let i = 0; i <= 10_000; i++) await read(`k${i}`);
    expect(lookup).toHaveBeenCalledTimes(10_001);
    await read('k0');
    expect(lookup).toHaveBeenCalledTimes(10_001);
    await read('one-more');
    await read('k0');
    expect(lookup).toHaveBeenCalledTimes(10_003);
  });

  it('does not let a slow failed lookup evict the newer value that replaced it', async () => {
    let call = 0;
    const lookup = vi.fn(
      (key: string) =>
        new Promise<string>((resolve, reject) => {
          call++;
          if (call === 1) setTimeout(() => reject(new Error('timeout')), 2_000);
          else resolve(`${key}-fresh`);
        }),
    );
    const read = readThroughCache(lookup, 1_000);
    const slow = read('k');
    slow.catch(() => undefined);
    vi.advanceTimersByTime(1_500);
    expect(await read('k')).toBe('k-fresh');
    await vi.advanceTimersByTimeAsync(600);
    await expect(slow).rejects.toThrow('timeout');
    expect(await read('k')).toBe('k-fresh');
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('does not remember an unknown key when told not to, so a key created a moment later works', async () => {
    const known = new Set<string>();
    const lookup = vi.fn(async (key: string) => (known.has(key) ? { key } : undefined));
    const read = readThroughCache(lookup, 30_000, { cacheUndefined: false });
    expect(await read('new-key')).toBeUndefined();
    known.add('new-key');
    expect(await read('new-key')).toEqual({ key: 'new-key' });
    expect(await read('new-key')).toEqual({ key: 'new-key' });
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('remembers an unknown key by default', async () => {
    const lookup = vi.fn(async () => undefined);
    const read = readThroughCache(lookup, 30_000);
    await read('k');
    await read('k');
    expect(lookup).toHaveBeenCalledTimes(1);
  });
});
