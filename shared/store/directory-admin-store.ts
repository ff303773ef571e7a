import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Rep, Team } from '../domain/directory.js';
import { listTeamReps, listTeams } from './directory-store.js';
import { keys } from './keys.js';
import { withoutKeys, type Table } from './table.js';

/*
 * Reps and teams as the admin API writes them: created once (a second create of the same id is refused),
 * then replaced whole by a patch that read the stored one. Teams carry the `TEAMS` listing key on GSI1,
 * reps their team membership, so both lists are queries.
 */

function isConditionFailure(error: unknown): boolean {
  return (error as Error)?.name === 'ConditionalCheckFailedException';
}

async function put(table: Table, item: Record<string, unknown>, onlyNew: boolean): Promise<boolean> {
  try {
    await table.client.send(
      new PutCommand({ TableName: table.name, Item: item, ConditionExpression: onlyNew ? 'attribute_not_exists(PK)' : undefined }),
    );
    return true;
  } catch (error) {
    if (onlyNew && isConditionFailure(error)) return false;
    throw error;
  }
}

const repItem = (rep: Rep) => ({ ...keys.rep(rep.repId), ...keys.repMembership(rep.teamId, rep.repId), ...rep });
const teamItem = (team: Team) => ({ ...keys.team(team.teamId), ...keys.teamListing(team.teamId), ...team });

/** Stores a new rep; false when a rep with that id exists. */
export const createRep = (table: Table, rep: Rep) => put(table, repItem(rep), true);
/** Replaces a rep (after a patch), moving their team membership with them. */
export const saveRep = (table: Table, rep: Rep) => put(table, repItem(rep), false).then(() => undefined);
/** Stores a new team; false when a team with that id exists. */
export const createTeam = (table: Table, team: Team) => put(table, teamItem(team), true);
/** Replaces a team (after a patch). */
export const saveTeam = (table: Table, team: Team) => put(table, teamItem(team), false).then(() => undefined);

/** A rep as stored, read strongly so a patch builds on the latest. */
export async function readRep(table: Table, repId: string): Promise<Rep | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.rep(repId), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as unknown as Rep) : undefined;
}

/** A team as stored, read strongly so a patch builds on the latest. */
export async function readTeam(table: Table, teamId: string): Promise<Team | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.team(teamId), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as unknown as Team) : undefined;
}

/** Reps of one team, or of every team; one query per team. */
export async function listReps(table: Table, teamId?: string): Promise<Rep[]> {
  const teamIds = teamId ? [teamId] : (await listTeams(table)).map((t) => t.teamId);
  return (await Promise.all(teamIds.map((id) => listTeamReps(table, id)))).flat();
}

export { listTeams };
