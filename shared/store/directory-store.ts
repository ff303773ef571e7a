import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal, Rep, RoutingConfig, Source, Team } from '../domain/directory.js';
import { keys } from './keys.js';
import { isConditionFailure, queryAll, withoutKeys, writeIf, type Table } from './table.js';

/** The hash under which an API key is stored; the key itself never is. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

async function getItem<T>(table: Table, key: { PK: string; SK: string }): Promise<T | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: key }));
  return out.Item ? (withoutKeys(out.Item) as T) : undefined;
}

/** The principal an API key belongs to, if it is a known key. */
export async function findPrincipal(table: Table, secret: string): Promise<Principal | undefined> {
  const item = await getItem<{ principal: Principal }>(table, keys.apiKey(hashApiKey(secret)));
  return item?.principal;
}

/** Stores an API key (by its hash) for a principal. */
export async function putApiKey(table: Table, secret: string, principal: Principal): Promise<void> {
  await table.client.send(
    new PutCommand({ TableName: table.name, Item: { ...keys.apiKey(hashApiKey(secret)), principal } }),
  );
}

/**
 * Revokes a source's API key (a plain form's replaced key), only while it still belongs to that source,
 * so a leaked key stops working once the admin sets a new one.
 */
export async function deleteSourceApiKey(table: Table, secret: string, sourceId: string): Promise<void> {
  try {
    await table.client.send(
      new DeleteCommand({
        TableName: table.name,
        Key: keys.apiKey(hashApiKey(secret)),
        ConditionExpression: '#p.#k = :kind AND #p.#s = :source',
        ExpressionAttributeNames: { '#p': 'principal', '#k': 'kind', '#s': 'sourceId' },
        ExpressionAttributeValues: { ':kind': 'source', ':source': sourceId },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export const getSource = (table: Table, sourceId: string) => getItem<Source>(table, keys.source(sourceId));

export async function putSource(table: Table, source: Source): Promise<void> {
  await table.client.send(
    new PutCommand({ TableName: table.name, Item: { ...keys.source(source.sourceId), ...keys.sourceListing(source.sourceId), ...source } }),
  );
}

/** Creates a source; false when one with its id exists already. */
export async function createSource(table: Table, source: Source): Promise<boolean> {
  return writeIf(
    table,
    new PutCommand({
      TableName: table.name,
      Item: { ...keys.source(source.sourceId), ...keys.sourceListing(source.sourceId), ...source },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/** Every configured source, by id. */
export async function listSources(table: Table): Promise<Source[]> {
  const items = await queryAll(table, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.sourceListing('').GSI1PK },
  });
  return items.map((i) => withoutKeys(i) as unknown as Source);
}

export async function putTeam(table: Table, team: Team): Promise<void> {
  await table.client.send(
    new PutCommand({ TableName: table.name, Item: { ...keys.team(team.teamId), ...keys.teamListing(team.teamId), ...team } }),
  );
}

/** Every team, by id. */
export async function listTeams(table: Table): Promise<Team[]> {
  const items = await queryAll(table, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.teamListing('').GSI1PK },
  });
  return items.map((i) => withoutKeys(i) as unknown as Team);
}

export async function putRep(table: Table, rep: Rep): Promise<void> {
  await table.client.send(
    new PutCommand({
      TableName: table.name,
      Item: { ...keys.rep(rep.repId), ...keys.repMembership(rep.teamId, rep.repId), ...rep },
    }),
  );
  // The rep's phone and telephony ids point back at the rep, so a call event's parties find them.
  const identities = [
    ...(rep.phone ? [keys.repIdentity('phone', rep.phone)] : []),
    ...(rep.telephonyIds ?? []).map((id) => keys.repIdentity('agent', id)),
  ];
  await Promise.all(
    identities.map((key) => table.client.send(new PutCommand({ TableName: table.name, Item: { ...key, repId: rep.repId } }))),
  );
}

/** The rep a phone number or telephony agent id belongs to, if any. */
export async function findRepByIdentity(table: Table, kind: 'phone' | 'agent', value: string): Promise<string | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.repIdentity(kind, value) }));
  return out.Item?.repId as string | undefined;
}

export async function putRoutingConfig(table: Table, config: RoutingConfig): Promise<void> {
  await table.client.send(new PutCommand({ TableName: table.name, Item: { ...keys.routingConfig(), ...config } }));
}

/** Reps of a team, by id. */
export async function listTeamReps(table: Table, teamId: string): Promise<Rep[]> {
  const items = await queryAll(table, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :rep)',
    ExpressionAttributeValues: { ':pk': keys.teamPartition(teamId), ':rep': 'REP#' },
  });
  return items.map((i) => withoutKeys(i) as unknown as Rep);
}

/**
 * Takes the team's next rotation ticket. The counter is incremented atomically, so concurrent callers
 * always get distinct consecutive tickets, starting at 0.
 */
export async function takeRotationTicket(table: Table, teamId: string): Promise<number> {
  const out = await table.client.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.teamCursor(teamId),
      UpdateExpression: 'ADD seq :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.seq) - 1;
}
