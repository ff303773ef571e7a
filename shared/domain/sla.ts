import type { SlaPolicy } from './directory.js';

/*
 * SLA watches are filed by the UTC minute their deadline falls in (`SLA#2026-03-01T12:07`), so the
 * sweeper reads only the minutes that have come due, one Query each, and never scans. The sweeper keeps
 * a cursor: the oldest minute that may still hold a watch. A minute is finished once it is in the past
 * and every watch in it was handled; the minute we are in never is (more deadlines may fall in it).
 */

const MINUTE_MS = 60_000;
/** Where a sweeper with no cursor yet starts looking back from. */
export const FIRST_SWEEP_LOOKBACK_MINUTES = 60;
/** At most this many minutes are read per sweep, so a sweeper that was down catches up over a few runs. */
export const MAX_BUCKETS_PER_SWEEP = 180;

/** The minute bucket of an instant: `YYYY-MM-DDTHH:MM` in UTC. */
export function slaBucketOf(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 16);
}

function bucketStartMs(bucket: string): number {
  const ms = Date.parse(`${bucket}:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(bucket) || Number.isNaN(ms)) throw new Error(`not an SLA minute bucket: "${bucket}"`);
  return ms;
}

/**
 * The minute buckets a sweep at `now` reads, oldest first: from the cursor (or an hour back on the first
 * sweep) through the current minute, at most `MAX_BUCKETS_PER_SWEEP`.
 */
export function dueBuckets(cursor: string | undefined, now: Date, max = MAX_BUCKETS_PER_SWEEP): string[] {
  const last = bucketStartMs(slaBucketOf(now));
  const first = cursor ? Math.min(bucketStartMs(cursor), last) : last - FIRST_SWEEP_LOOKBACK_MINUTES * MINUTE_MS;
  const buckets: string[] = [];
  for (let t = first; t <= last && buckets.length < max; t += MINUTE_MS) buckets.push(slaBucketOf(new Date(t)));
  return buckets;
}

/**
 * Where the next sweep starts: the first bucket read that still holds a watch it could not finish, else
 * the bucket after the last one read, but never past the current minute (which may still get watches).
 */
export function nextCursor(read: string[], unfinished: ReadonlySet<string>, now: Date): string | undefined {
  const firstUnfinished = read.find((b) => unfinished.has(b));
  if (firstUnfinished) return firstUnfinished;
  const last = read.at(-1);
  if (!last) return undefined;
  const current = slaBucketOf(now);
  const after = slaBucketOf(new Date(bucketStartMs(last) + MINUTE_MS));
  return after < current ? after : current;
}

/** The sort-key bound of a bucket's query: every watch whose deadline is at or before `now`. */
export function dueSortKeyBound(now: Date): string {
  // Sort keys are `<deadline ISO>#<leadId>`; `$` sorts after `#`, so every key with deadline <= now is below it.
  return `${now.toISOString()}$`;
}

/** The part of a lead the SLA decision reads. */
export interface SlaLeadState {
  ownerId?: string;
  /** Deadlines missed so far; the lead is in assignment `slaMisses + 1`. */
  slaMisses?: number;
  acceptedAt?: string;
  status: string;
}

/** A watch: this assignment of this lead must be accepted by `deadline`. */
export interface SlaWatch {
  leadId: string;
  repId: string;
  teamId: string;
  assignment: number;
  deadline: string;
}

/** What to do about a watch that came due. */
export type SlaVerdict = { missed: true } | { missed: false; why: string };

/**
 * Whether the watched assignment missed its deadline at `now`: it did if the lead is still with that rep,
 * in that assignment, not accepted and not closed when the deadline has passed.
 */
export function judgeWatch(lead: SlaLeadState | undefined, watch: SlaWatch, now: Date): SlaVerdict {
  if (!lead) return { missed: false, why: 'the lead no longer exists' };
  if (lead.acceptedAt) return { missed: false, why: 'the lead was accepted' };
  if (lead.ownerId !== watch.repId || (lead.slaMisses ?? 0) + 1 !== watch.assignment) {
    return { missed: false, why: 'the lead has been assigned again since' };
  }
  if (['won', 'lost', 'contacted', 'qualified'].includes(lead.status)) return { missed: false, why: `the lead is ${lead.status}` };
  if (Date.parse(watch.deadline) > now.getTime()) return { missed: false, why: 'the deadline has not passed' };
  return { missed: true };
}

/** Whether a lead that has now missed `misses` deadlines goes to the team's manager (once, at the threshold). */
export function reachesEscalation(misses: number, policy: Pick<SlaPolicy, 'escalateAfterMisses'> | undefined): boolean {
  return policy !== undefined && policy.escalateAfterMisses > 0 && misses === policy.escalateAfterMisses;
}
