import { describe, expect, it } from 'vitest';
import {
  dueBuckets,
  dueSortKeyBound,
  FIRST_SWEEP_LOOKBACK_MINUTES,
  judgeWatch,
  MAX_BUCKETS_PER_SWEEP,
  nextCursor,
  reachesEscalation,
  slaBucketOf,
  type SlaWatch,
} from '../../shared/domain/sla.js';

const now = new Date('2026-03-29T01:02:45.123Z');
const watch: SlaWatch = { leadId: 'L1', repId: 'ana', teamId: 't', assignment: 1, deadline: '2026-03-29T01:01:30.000Z' };

describe('SLA minute buckets', () => {
  it('files a deadline under its UTC minute, whatever offset it is written in', () => {
    expect(slaBucketOf('2026-03-29T01:59:59.999Z')).toBe('2026-03-29T01:59');
    expect(slaBucketOf('2026-03-29T03:00:00+02:00')).toBe('2026-03-29T01:00');
  });

  it('reads from the cursor through the current minute, both included', () => {
    expect(dueBuckets('2026-03-29T00:59', now)).toEqual(['2026-03-29T00:59', '2026-03-29T01:00', '2026-03-29T01:01', '2026-03-29T01:02']);
  });

  it('reads the last hour on the first sweep, when there is no cursor', () => {
    const buckets = dueBuckets(undefined, now);
    expect(buckets).toHaveLength(FIRST_SWEEP_LOOKBACK_MINUTES + 1);
    expect(buckets[0]).toBe('2026-03-29T00:02');
    expect(buckets.at(-1)).toBe('2026-03-29T01:02');
  });

  it('reads at most the cap per sweep after a long outage, oldest first', () => {
    const buckets = dueBuckets('2026-03-28T00:00', now);
    expect(buckets).toHaveLength(MAX_BUCKETS_PER_SWEEP);
    expect(buckets[0]).toBe('2026-03-28T00:00');
  });

  it('reads only the current minute when the cursor is ahead of the clock', () => {
    expect(dueBuckets('2026-03-29T05:00', now)).toEqual(['2026-03-29T01:02']);
  });

  it('crosses midnight and month ends minute by minute', () => {
    expect(dueBuckets('2026-02-28T23:59', new Date('2026-03-01T00:01:00Z'))).toEqual([
      '2026-02-28T23:59',
      '2026-03-01T00:00',
      '2026-03-01T00:01',
    ]);
  });

  it('keeps the current minute as the cursor after a clean sweep, since more deadlines may fall in it', () => {
    const read = dueBuckets('2026-03-29T00:59', now);
    expect(nextCursor(read, new Set(), now)).toBe('2026-03-29T01:02');
  });

  it('moves the cursor only up to the first bucket that still holds an unfinished watch', () => {
    const read = dueBuckets('2026-03-29T00:59', now);
    expect(nextCursor(read, new Set(['2026-03-29T01:00', '2026-03-29T01:01']), now)).toBe('2026-03-29T01:00');
  });

  it('moves the cursor to the bucket after a capped catch-up, not to the current minute', () => {
    const read = dueBuckets('2026-03-28T00:00', now);
    expect(nextCursor(read, new Set(), now)).toBe('2026-03-28T03:00');
  });

  it('bounds a bucket query so a deadline equal to now is due and one a millisecond later is not', () => {
    const bound = dueSortKeyBound(now);
    expect(`${now.toISOString()}#L1` < bound).toBe(true);
    expect(`${new Date(now.getTime() + 1).toISOString()}#L1` < bound).toBe(false);
    expect(`${new Date(now.getTime() - 1).toISOString()}#zzzz` < bound).toBe(true);
  });
});

describe('judging a due watch', () => {
  const lead = { ownerId: 'ana', status: 'assigned' };

  it('calls it missed when the rep still holds the unaccepted lead in the watched assignment after the deadline', () => {
    expect(judgeWatch(lead, watch, now)).toEqual({ missed: true });
  });

  it('does not call it missed before the deadline', () => {
    expect(judgeWatch(lead, watch, new Date('2026-03-29T01:01:29.999Z'))).toEqual({ missed: false, why: 'the deadline has not passed' });
  });

  it('closes the watch when the lead was accepted, moved on, closed or deleted', () => {
    expect(judgeWatch({ ...lead, acceptedAt: '2026-03-29T01:00:00Z' }, watch, now).missed).toBe(false);
    expect(judgeWatch({ ...lead, ownerId: 'ben' }, watch, now).missed).toBe(false);
    expect(judgeWatch({ ...lead, slaMisses: 1 }, watch, now)).toEqual({ missed: false, why: 'the lead has been assigned again since' });
    expect(judgeWatch({ ...lead, status: 'won' }, watch, now).missed).toBe(false);
    expect(judgeWatch(undefined, watch, now).missed).toBe(false);
  });

  it('escalates exactly once, at the configured number of misses', () => {
    const policy = { escalateAfterMisses: 2 };
    expect([1, 2, 3].map((m) => reachesEscalation(m, policy))).toEqual([false, true, false]);
    expect(reachesEscalation(2, undefined)).toBe(false);
  });
});
