import { randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Rep } from '../domain/directory.js';
import type { AuditEntry } from './audit-store.js';
import { writeAudited, type TransactItem } from './audited-write.js';
import { apiKeyItem, hashApiKey, type ApiKeyRecord } from './directory-store.js';
import { keys } from './keys.js';
import { isConditionFailure, withoutKeys, type Table } from './table.js';

/*
 * Rep tokens. The token itself is stored only as the hash that keys its `KEY#<sha256>` item; the rep's
 * partition lists each one as `REP#<id> / TOKEN#<tokenId>` (id, hash, created), so an admin can list and
 * revoke a rep's tokens by id without ever seeing one, with strongly consistent reads (no index).
 */

/** What the admin API shows of a token: never the token, never its hash. */
export interface RepTokenInfo {
  tokenId: string;
  createdAt: string;
  lastUsedAt?: string;
}

/** `lastUsedAt` is written at most this often per token: a rep's every request need not be a write. */
export const LAST_USED_PRECISION_MS = 5 * 60_000;

/** A new rep token: `lf_rep_` and 32 random bytes, base64url. */
export function newRepToken(): string {
  return `lf_rep_${randomBytes(32).toString('base64url')}`;
}

/** Issues a token for a rep with its audit entry, in one transaction; answers the token (shown once) and its id. */
export async function issueRepToken(table: Table, repId: string, audit: Omit<AuditEntry, 'detail'>): Promise<{ token: string; tokenId: string }> {
  const token = newRepToken();
  const tokenId = randomBytes(6).toString('hex');
  const createdAt = audit.at;
  await writeAudited(
    table,
    [
      { Put: { TableName: table.name, Item: apiKeyItem(token, { kind: 'rep', repId, tokenId }, createdAt) } },
      { Put: { TableName: table.name, Item: { ...keys.repToken(repId, tokenId), tokenId, keyHash: hashApiKey(token), createdAt } } },
    ],
    { ...audit, detail: { tokenId } },
  );
  return { token, tokenId };
}

async function tokenEntries(table: Table, repId: string): Promise<Array<{ tokenId: string; keyHash: string; createdAt: string }>> {
  const entries: Array<{ tokenId: string; keyHash: string; createdAt: string }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :token)',
        ExpressionAttributeValues: { ':pk': keys.rep(repId).PK, ':token': 'TOKEN#' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) entries.push(withoutKeys(item) as { tokenId: string; keyHash: string; createdAt: string });
    start = out.LastEvaluatedKey;
  } while (start);
  return entries;
}

/** A rep's tokens, oldest first, with when each was made and last used (to within five minutes). */
export async function listRepTokens(table: Table, repId: string): Promise<RepTokenInfo[]> {
  const entries = await tokenEntries(table, repId);
  const used = await Promise.all(
    entries.map(async (e) => {
      const out = await table.client.send(new GetCommand({ TableName: table.name, Key: { PK: `KEY#${e.keyHash}`, SK: 'A' }, ProjectionExpression: 'lastUsedAt' }));
      return out.Item?.lastUsedAt as string | undefined;
    }),
  );
  return entries
    .map((e, i) => ({ tokenId: e.tokenId, createdAt: e.createdAt, ...(used[i] ? { lastUsedAt: used[i] } : {}) }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

const deleteBoth = (table: Table, repId: string, e: { tokenId: string; keyHash: string }): TransactItem[] => [
  { Delete: { TableName: table.name, Key: { PK: `KEY#${e.keyHash}`, SK: 'A' } } },
  { Delete: { TableName: table.name, Key: keys.repToken(repId, e.tokenId) } },
];

/** Revokes one token of a rep, with its audit entry; false when the rep has no token of that id. */
export async function revokeRepToken(table: Table, repId: string, tokenId: string, audit: Omit<AuditEntry, 'detail'>): Promise<boolean> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.repToken(repId, tokenId), ConsistentRead: true }));
  if (!out.Item) return false;
  const [key, entry] = deleteBoth(table, repId, { tokenId, keyHash: out.Item.keyHash as string });
  return writeAudited(table, [key!, { Delete: { ...entry!.Delete!, ConditionExpression: 'attribute_exists(PK)' } }], { ...audit, detail: { tokenId } });
}

/**
 * Revokes every token of a rep. `tokensRevokedAt` on the rep refuses any token made before it (tokens
 * issued before token ids existed are listed nowhere, and one being issued meanwhile is caught too),
 * and the listed tokens' items are deleted, 12 to a transaction. Answers how many were deleted.
 */
export async function revokeAllRepTokens(table: Table, repId: string, audit: Omit<AuditEntry, 'detail'>): Promise<number> {
  const entries = await tokenEntries(table, repId);
  const mark: TransactItem = {
    Update: {
      TableName: table.name,
      Key: keys.rep(repId),
      UpdateExpression: 'SET tokensRevokedAt = :at',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':at': audit.at },
    },
  };
  const first = entries.slice(0, 12);
  await writeAudited(table, [mark, ...first.flatMap((e) => deleteBoth(table, repId, e))], { ...audit, detail: { revoked: entries.map((e) => e.tokenId) } });
  for (let i = 12; i < entries.length; i += 12) {
    await writeAudited(table, entries.slice(i, i + 12).flatMap((e) => deleteBoth(table, repId, e)), { ...audit, action: `${audit.action}.more`, detail: { batch: i / 12 } });
  }
  return entries.length;
}

/**
 * Whether a rep token still grants access: the rep exists and is active, and the token was made after
 * their tokens were last revoked. Read strongly consistent on every request, so setting a rep inactive
 * (or revoking) takes effect on their next request. Setting the rep active again restores tokens that
 * were not revoked.
 */
export function repTokenAllowed(rep: Pick<Rep, 'active'> & { tokensRevokedAt?: string } | undefined, key: ApiKeyRecord): boolean {
  if (!rep || rep.active === false) return false;
  if (rep.tokensRevokedAt && (key.createdAt ?? '') < rep.tokensRevokedAt) return false;
  return true;
}

/** The rep as a token check needs it, read strongly consistent. */
export async function readRepForAccess(table: Table, repId: string): Promise<(Rep & { tokensRevokedAt?: string }) | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.rep(repId), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as unknown as Rep & { tokensRevokedAt?: string }) : undefined;
}

/** Records that a token was used, at most every five minutes, only while the token still exists. */
export async function touchApiKey(table: Table, secret: string, key: ApiKeyRecord, now: Date): Promise<void> {
  if (key.lastUsedAt && now.getTime() - Date.parse(key.lastUsedAt) < LAST_USED_PRECISION_MS) return;
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.apiKey(hashApiKey(secret)),
        UpdateExpression: 'SET lastUsedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
