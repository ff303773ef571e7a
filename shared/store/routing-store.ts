/**
 * What routing keeps in the table besides leads: each rep's load counters (leads this hour, today, open)
 * and each team's queue of leads waiting for a rep. Caps hold under concurrency because a rep is claimed
 * by a conditional `ADD` on their counters, never by comparing a count read earlier.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadRef } from '../../events/common.js';
import type { Rep, Team } from '../domain/directory.js';
import type { RepLoad } from '../domain/routing/eligibility.js';
import { localDate, localHour } from '../domain/routing/working-hours.js';
import { keys } from './keys.js';
import { isConditionFailure, getAll, queryAll, withoutKeys, writeIf, type Table } from './table.js';

const HOUR_COUNTER_TTL_S = 2 * 86_400;
const DAY_COUNTER_TTL_S = 3 * 86_400;


/** A team as stored; undefined when there is no such team. */
export async function getTeam(table: Table, teamId: string): Promise<Team | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.team(teamId) }));
  return out.Item ? (withoutKeys(out.Item) as unknown as Team) : undefined;
}

/** The counters a rep's load is read from at `now`: their local clock hour and local day. */
function loadKeys(rep: Rep, now: Date) {
  return {
    hour: keys.repLoadHour(rep.repId, localHour(now, rep.timeZone)),
    day: keys.repLoadDay(rep.repId, localDate(now, rep.timeZone)),
    open: keys.repOpenLeads(rep.repId),
  };
}

/** Each rep's load at `now`, read in BatchGetItem calls (three counters per rep); a missing counter is 0. */
export async function readLoads(table: Table, reps: readonly Rep[], now: Date): Promise<Map<string, RepLoad>> {
  const wanted = reps.map((rep) => ({ rep, ...loadKeys(rep, now) }));
  const all = wanted.flatMap((w) => [w.hour, w.day, w.open]);
  const found = new Map<string, number>();
  for (let i = 0; i < all.length; i += 99) {
    for (const item of await getAll(table, all.slice(i, i + 99))) found.set(`${item.PK}|${item.SK}`, Number(item.n ?? 0));
  }
  const count = (k: { PK: string; SK: string }) => Math.max(0, found.get(`${k.PK}|${k.SK}`) ?? 0);
  return new Map(wanted.map((w) => [w.rep.repId, { thisHour: count(w.hour), today: count(w.day), open: count(w.open) }]));
}

/** Adds `by` to a counter, only while it stays within `cap` when a cap is given; false when it would not. */
async function addToCounter(table: Table, key: { PK: string; SK: string }, by: number, cap: number | undefined, expiresAt?: number): Promise<boolean> {
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: key,
      UpdateExpression: `ADD n :by${expiresAt ? ' SET expiresAt = if_not_exists(expiresAt, :ttl)' : ''}`,
      ConditionExpression: cap === undefined ? undefined : 'attribute_not_exists(n) OR n < :cap',
      ExpressionAttributeValues: { ':by': by, ...(cap === undefined ? {} : { ':cap': cap }), ...(expiresAt ? { ':ttl': expiresAt } : {}) },
    }),
  );
}

/** A successful claim of a rep: which counters it incremented, so it can be given back. */
export interface RepClaim {
  repId: string;
  hour: { PK: string; SK: string };
  day: { PK: string; SK: string };
  open: { PK: string; SK: string };
}

/**
 * Counts one more lead against a rep, unless that would pass their hourly or daily cap: the hourly
 * counter is incremented only while below the cap, then the daily one likewise (giving the hour back if
 * the day is full), then the open count. Concurrent claims can therefore never exceed a cap; a crash
 * between the two steps can only make a counter high, never let a cap be passed.
 */
export async function claimRep(table: Table, rep: Rep, now: Date): Promise<{ claim?: RepClaim; why?: string }> {
  const k = loadKeys(rep, now);
  const nowS = Math.floor(now.getTime() / 1000);
  if (!(await addToCounter(table, k.hour, 1, rep.caps?.perHour, nowS + HOUR_COUNTER_TTL_S))) {
    return { why: `hourly cap of ${rep.caps?.perHour} filled meanwhile` };
  }
  if (!(await addToCounter(table, k.day, 1, rep.caps?.perDay, nowS + DAY_COUNTER_TTL_S))) {
    await addToCounter(table, k.hour, -1, undefined);
    return { why: `daily cap of ${rep.caps?.perDay} filled meanwhile` };
  }
  await addToCounter(table, k.open, 1, undefined);
  return { claim: { repId: rep.repId, ...k } };
}

/** Gives back a claim whose lead went elsewhere (it was assigned by another delivery meanwhile). */
export async function releaseClaim(table: Table, claim: RepClaim): Promise<void> {
  await Promise.all([
    addToCounter(table, claim.hour, -1, undefined),
    addToCounter(table, claim.day, -1, undefined),
    releaseOpenLead(table, claim.repId),
  ]);
}

/**
 * One fewer open lead for the rep: call it when a lead of theirs is won, lost or handed to another rep,
 * so least-loaded routing sees what they really hold. Never goes below zero.
 */
export async function releaseOpenLead(table: Table, repId: string): Promise<void> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.repOpenLeads(repId),
        UpdateExpression: 'ADD n :minus',
        ConditionExpression: 'n > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** A lead in a team's queue. */
export interface WaitingLead {
  teamId: string;
  lead: LeadRef;
  queuedAt: string;
  why: string;
}

/** Puts a lead in its team's queue (again is harmless: the key is the lead's capture time and id). */
export async function enqueueWaiting(table: Table, waiting: WaitingLead): Promise<void> {
  await table.client.send(
    new PutCommand({
      TableName: table.name,
      Item: { ...keys.teamWaiting(waiting.teamId, waiting.lead.capturedAt, waiting.lead.leadId), ...waiting },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  ).catch((error: unknown) => {
    if (!isConditionFailure(error)) throw error;
  });
}

/** The leads waiting for a rep of the team, oldest capture first. */
export async function listWaiting(table: Table, teamId: string): Promise<WaitingLead[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :wait)',
    ExpressionAttributeValues: { ':pk': keys.teamPartition(teamId), ':wait': keys.teamWaitingPrefix },
    ConsistentRead: true,
  });
  return items.map((i) => withoutKeys(i) as unknown as WaitingLead);
}

/** Takes a lead out of its team's queue (it was assigned). */
export async function removeWaiting(table: Table, teamId: string, lead: Pick<LeadRef, 'leadId' | 'capturedAt'>): Promise<void> {
  await table.client.send(new DeleteCommand({ TableName: table.name, Key: keys.teamWaiting(teamId, lead.capturedAt, lead.leadId) }));
}
