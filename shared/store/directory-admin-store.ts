import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from './audit-store.js';
import { writeAudited } from './audited-write.js';
import type { Rep, Team } from '../domain/directory.js';
import { listTeamReps, listTeams } from './directory-store.js';
import { keys } from './keys.js';
import { isConditionFailure, withoutKeys, type Table } from './table.js';

/*
 * Reps and teams as the admin API writes them: created once (a second create of the same id is refused),
 * then replaced whole by a patch that read the stored one. Teams carry the `TEAMS` listing key on GSI1,
 * reps their team membership, so both lists are queries.
 */


const repItem = (rep: Rep) => ({ ...keys.rep(rep.repId), ...keys.repMembership(rep.teamId, rep.repId), ...rep });
const teamItem = (team: Team) => ({ ...keys.team(team.teamId), ...keys.teamListing(team.teamId), ...team });

/** The items that point a call event's party at a rep: their phone and their telephony ids. */
function identityKeys(rep: Rep | undefined): Array<{ PK: string; SK: string }> {
  if (!rep) return [];
  return [...(rep.phone ? [keys.repIdentity('phone', rep.phone)] : []), ...(rep.telephonyIds ?? []).map((id) => keys.repIdentity('agent', id))];
}

/**
 * Points the rep's phone and telephony ids at them (the last rep given an id takes it), and removes
 * the ones a patch took away, unless another rep holds them by now.
 */
async function syncIdentities(table: Table, rep: Rep, previous?: Rep): Promise<void> {
  const wanted = identityKeys(rep);
  const stale = identityKeys(previous).filter((old) => !wanted.some((k) => k.PK === old.PK));
  await Promise.all([
    ...wanted.map((key) => table.client.send(new PutCommand({ TableName: table.name, Item: { ...key, repId: rep.repId } }))),
    ...stale.map((key) =>
      table.client
        .send(new DeleteCommand({ TableName: table.name, Key: key, ConditionExpression: 'repId = :rep', ExpressionAttributeValues: { ':rep': rep.repId } }))
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        }),
    ),
  ]);
}

/**
 * Stores a new rep with its audit entry in one transaction, then their phone and telephony ids for call
 * matching (an index that a later save rewrites); false when a rep with that id exists.
 */
export async function createRep(table: Table, rep: Rep, audit: AuditEntry): Promise<boolean> {
  if (!(await writeAudited(table, [{ Put: { TableName: table.name, Item: repItem(rep), ConditionExpression: 'attribute_not_exists(PK)' } }], audit))) {
    return false;
  }
  await syncIdentities(table, rep);
  return true;
}

/** Replaces a rep (after a patch) with its audit entry, moving their team membership and phone and telephony ids with them. */
export async function saveRep(table: Table, rep: Rep, previous: Rep | undefined, audit: AuditEntry): Promise<void> {
  await writeAudited(table, [{ Put: { TableName: table.name, Item: repItem(rep) } }], audit);
  await syncIdentities(table, rep, previous);
}

/** Stores a new team with its audit entry; false when a team with that id exists. */
export const createTeam = (table: Table, team: Team, audit: AuditEntry) =>
  writeAudited(table, [{ Put: { TableName: table.name, Item: teamItem(team), ConditionExpression: 'attribute_not_exists(PK)' } }], audit);

/** Replaces a team (after a patch) with its audit entry. */
export const saveTeam = (table: Table, team: Team, audit: AuditEntry) =>
  writeAudited(table, [{ Put: { TableName: table.name, Item: teamItem(team) } }], audit).then(() => undefined);

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
