/**
 * Reads for validating and simulating routing configs: the teams and reps a config points at, their
 * loads, and the most recent leads. Only reads: a simulation must leave no trace in the table.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DirectorySnapshot } from '../domain/config-validation.js';
import { daysBefore, dayOf } from '../domain/days.js';
import type { Rep, Team } from '../domain/directory.js';
import type { Lead } from '../domain/lead.js';
import type { RoutingSnapshot } from '../domain/routing-simulation.js';
import { listTeamReps } from './directory-store.js';
import { keys } from './keys.js';
import { readLoads } from './routing-store.js';
import { getAll, withoutKeys, type Table } from './table.js';

async function getItem<T>(table: Table, key: { PK: string; SK: string }): Promise<T | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: key }));
  return out.Item ? (withoutKeys(out.Item) as unknown as T) : undefined;
}

/**
 * The named teams with their reps, and the named reps with their teams, and every one of those reps'
 * loads at `now`. Teams that do not exist are simply absent.
 */
export async function readRoutingSnapshot(
  table: Table,
  wanted: { teamIds: readonly string[]; repIds: readonly string[] },
  now: Date,
): Promise<RoutingSnapshot> {
  const namedReps = (await Promise.all(wanted.repIds.map((id) => getItem<Rep>(table, keys.rep(id))))).filter((r): r is Rep => Boolean(r));
  const teamIds = [...new Set([...wanted.teamIds, ...namedReps.map((r) => r.teamId)])];
  const found = await Promise.all(
    teamIds.map(async (teamId) => ({ team: await getItem<Team>(table, keys.team(teamId)), reps: await listTeamReps(table, teamId) })),
  );
  const teams = new Map<string, Team>();
  const repsByTeam = new Map<string, Rep[]>();
  const reps = new Map<string, Rep>(namedReps.map((r) => [r.repId, r]));
  for (const { team, reps: members } of found) {
    if (!team) continue;
    teams.set(team.teamId, team);
    repsByTeam.set(team.teamId, members);
    for (const rep of members) reps.set(rep.repId, rep);
  }
  const loads = await readLoads(table, [...reps.values()], now);
  return { teams, repsByTeam, reps, loads };
}

/** What validation needs from a snapshot: active reps per existing team, and which reps exist. */
export function directoryOf(snapshot: RoutingSnapshot): DirectorySnapshot {
  return {
    activeRepsByTeam: new Map([...snapshot.teams.keys()].map((id) => [id, (snapshot.repsByTeam.get(id) ?? []).filter((r) => r.active).length])),
    reps: new Map([...snapshot.reps.values()].map((r) => [r.repId, { active: r.active }])),
  };
}

/** How far back `recentLeadIds` looks for captured leads. */
export const RECENT_LEADS_DAYS = 90;

/**
 * The ids of the last `count` leads captured, newest first. Each captured lead is marked in its capture
 * day's funnel partition under `leads#<leadId>`, and lead ids are ULIDs that sort by time, so a query per
 * day, newest day first and in descending key order, finds them without scanning.
 */
export async function recentLeadIds(table: Table, count: number, now: Date): Promise<string[]> {
  const ids: string[] = [];
  const today = dayOf(now.toISOString());
  for (let back = 0; back < RECENT_LEADS_DAYS && ids.length < count; back++) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await table.client.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :stage)',
          ExpressionAttributeValues: { ':pk': keys.funnelPartition(daysBefore(today, back)), ':stage': 'leads#' },
          ProjectionExpression: 'SK',
          ScanIndexForward: false,
          Limit: count - ids.length,
          ExclusiveStartKey,
        }),
      );
      for (const item of out.Items ?? []) ids.push(String(item.SK).slice('leads#'.length));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey && ids.length < count);
  }
  return ids;
}

/** The stored leads of these ids (without their timelines), in the order given; unknown ids are skipped. */
export async function leadsByIds(table: Table, leadIds: readonly string[]): Promise<Lead[]> {
  const byId = new Map<string, Lead>();
  const unique = [...new Set(leadIds)];
  for (let i = 0; i < unique.length; i += 100) {
    const items = await getAll(table, unique.slice(i, i + 100).map((id) => keys.lead(id)));
    for (const item of items) {
      const { timeline: _timeline, ...lead } = withoutKeys(item) as unknown as Lead & { timeline?: unknown };
      byId.set(lead.leadId, lead);
    }
  }
  return unique.flatMap((id) => byId.get(id) ?? []);
}
