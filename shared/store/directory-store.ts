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

/** A stored API key: whose it is, when it was made, and until when it works (a rotated-out key). */
export interface ApiKeyRecord {
  principal: Principal;
  createdAt?: string;
  /** ISO 8601; the key is refused from then on (a rotation's overlap ended). */
  validUntil?: string;
  /** ISO 8601, kept to within a few minutes (rep tokens). */
  lastUsedAt?: string;
}

/**
 * The key a secret is, read strongly consistent on every request and never cached: a key that was
 * revoked a moment ago must be refused now, on whichever Lambda container the request lands. An
 * expired key is treated as unknown (DynamoDB's TTL deletes it later, in its own time).
 */
export async function findApiKey(table: Table, secret: string, now: Date = new Date()): Promise<ApiKeyRecord | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.apiKey(hashApiKey(secret)), ConsistentRead: true }));
  const item = out.Item as (ApiKeyRecord & Record<string, unknown>) | undefined;
  if (!item?.principal) return undefined;
  if (item.validUntil && Date.parse(item.validUntil) <= now.getTime()) return undefined;
  return { principal: item.principal, createdAt: item.createdAt, validUntil: item.validUntil, lastUsedAt: item.lastUsedAt };
}

/** The principal an API key belongs to, if it is a known key that has not expired. */
export async function findPrincipal(table: Table, secret: string): Promise<Principal | undefined> {
  return (await findApiKey(table, secret))?.principal;
}

/** The item of an API key (stored by its hash), for a put of its own or inside a transaction. */
export function apiKeyItem(secret: string, principal: Principal, createdAt: string = new Date().toISOString()): Record<string, unknown> {
  return { ...keys.apiKey(hashApiKey(secret)), principal, createdAt };
}

/** Stores an API key (by its hash) for a principal. */
export async function putApiKey(table: Table, secret: string, principal: Principal): Promise<void> {
  await table.client.send(new PutCommand({ TableName: table.name, Item: apiKeyItem(secret, principal) }));
}

/**
 * Retires a source's replaced API key, only while it still belongs to that source: deleted now, or kept
 * until `until` (a rotation's overlap; DynamoDB's TTL removes it later, and lookups refuse it from then).
 */
export async function retireSourceApiKey(table: Table, secret: string, sourceId: string, until?: string): Promise<void> {
  const condition = {
    ConditionExpression: '#p.#k = :kind AND #p.#s = :source',
    ExpressionAttributeNames: { '#p': 'principal', '#k': 'kind', '#s': 'sourceId' },
  };
  const key = keys.apiKey(hashApiKey(secret));
  try {
    if (!until) {
      await table.client.send(new DeleteCommand({ TableName: table.name, Key: key, ...condition, ExpressionAttributeValues: { ':kind': 'source', ':source': sourceId } }));
    } else {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
          // `expiresAt` (epoch seconds) is the table's TTL attribute: the item is removed a day after it stops working.
          UpdateExpression: 'SET validUntil = :until, expiresAt = :ttl',
          ...condition,
          ExpressionAttributeValues: { ':kind': 'source', ':source': sourceId, ':until': until, ':ttl': Math.ceil(Date.parse(until) / 1000) + 86_400 },
        }),
      );
    }
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** A source's item: the record with its key and its place in the listing of all sources. */
export function sourceItem(source: Source): Record<string, unknown> {
  return { ...keys.source(source.sourceId), ...keys.sourceListing(source.sourceId), ...source };
}

export const getSource = (table: Table, sourceId: string) => getItem<Source>(table, keys.source(sourceId));

/**
 * A source as an access decision needs it: read strongly consistent on every request, never cached, so
 * a source disabled a moment ago refuses its very next lead. One small GetItem (1 RCU) per request.
 */
export async function readSourceNow(table: Table, sourceId: string): Promise<Source | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.source(sourceId), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as Source) : undefined;
}

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
