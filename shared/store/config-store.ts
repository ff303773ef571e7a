import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from './audit-store.js';
import { writeAudited } from './audited-write.js';
import type { RoutingConfig } from '../domain/directory.js';
import { defaultScoringConfig, type ScoringConfig } from '../domain/scoring.js';
import { keys } from './keys.js';
import { readThroughCachePerTable } from './read-through-cache.js';
import { queryAll, withoutKeys, type Table } from './table.js';

/** The kinds of versioned configuration. */
export type ConfigKind = 'routing' | 'scoring';

export interface ConfigOf {
  routing: RoutingConfig;
  scoring: ScoringConfig;
}

/** One saved version of a config, as drafted; activating it copies it to the active item. */
export interface ConfigVersion<K extends ConfigKind = ConfigKind> {
  kind: K;
  version: number;
  config: ConfigOf[K];
  createdAt: string;
  createdBy: string;
  note?: string;
}

/** Which version is active, and since when; `version` is absent for a config written before versioning. */
export interface ActiveConfig<K extends ConfigKind = ConfigKind> {
  kind: K;
  version?: number;
  config: ConfigOf[K];
  activatedAt?: string;
  activatedBy?: string;
}

/** How long a process reuses an active config before reading it again: a burst of leads reads it once. */
export const ACTIVE_CONFIG_TTL_MS = 2_000;

const KIND_KEY = { routing: 'ROUTING', scoring: 'SCORING' } as const;
const ACTIVE_META = ['activeVersion', 'activatedAt', 'activatedBy'] as const;

/**
 * Reads the active config of a kind, uncached. The active item holds the config's own fields at the top
 * level (the shape seedLocal and setup:aws have always written for routing) plus who activated which
 * version, so older readers of `CONFIG / ROUTING#active` keep working.
 */
export async function readActiveConfig<K extends ConfigKind>(table: Table, kind: K): Promise<ActiveConfig<K> | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.activeConfig(KIND_KEY[kind]), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { activeVersion, activatedAt, activatedBy, ...config } = withoutKeys(out.Item) as Record<string, unknown>;
  return {
    kind,
    version: typeof activeVersion === 'number' ? activeVersion : undefined,
    activatedAt: activatedAt as string | undefined,
    activatedBy: activatedBy as string | undefined,
    config: config as unknown as ConfigOf[K],
  };
}

function newActiveCache() {
  return readThroughCachePerTable((table: Table, kind: string) => readActiveConfig(table, kind as ConfigKind), ACTIVE_CONFIG_TTL_MS);
}

let cachedActive = newActiveCache();

/** Drops this process's cached active configs (after an activation here, or between tests). */
export function forgetActiveConfigs(): void {
  cachedActive = newActiveCache();
}

/**
 * The routing config leads are assigned by now, cached for a moment per process; undefined when none was
 * ever written (such an installation still routes leads whose source names a team).
 */
export async function activeRoutingConfig(table: Table): Promise<RoutingConfig | undefined> {
  return ((await cachedActive(table, 'routing')) as ActiveConfig<'routing'> | undefined)?.config;
}

/** The scoring config leads are qualified by now, cached for a moment; the built-in default until one is activated. */
export async function activeScoringConfig(table: Table): Promise<ScoringConfig> {
  const active = (await cachedActive(table, 'scoring')) as ActiveConfig<'scoring'> | undefined;
  return active?.config ?? defaultScoringConfig;
}

/**
 * Saves a config as the kind's next version (a draft: nothing reads it until it is activated). Version
 * numbers come from an atomic counter, so concurrent drafts never share one.
 */
export async function createConfigVersion<K extends ConfigKind>(
  table: Table,
  kind: K,
  config: ConfigOf[K],
  by: { actor: string; at: string; note?: string },
  /** The audit entry of the draft, written in the same transaction once its version number is known. */
  audit?: (version: number) => AuditEntry,
): Promise<ConfigVersion<K>> {
  const seq = await table.client.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.configSequence(KIND_KEY[kind]),
      UpdateExpression: 'ADD seq :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const version: ConfigVersion<K> = {
    kind,
    version: Number(seq.Attributes?.seq),
    config,
    createdAt: by.at,
    createdBy: by.actor,
    ...(by.note ? { note: by.note } : {}),
  };
  const put = {
    TableName: table.name,
    Item: { ...keys.configVersion(KIND_KEY[kind], version.version), ...version },
    ConditionExpression: 'attribute_not_exists(PK)',
  };
  if (audit) await writeAudited(table, [{ Put: put }], audit(version.version));
  else await table.client.send(new PutCommand(put));
  return version;
}

/** One saved version, if it exists. */
export async function getConfigVersion<K extends ConfigKind>(table: Table, kind: K, version: number): Promise<ConfigVersion<K> | undefined> {
  const out = await table.client.send(
    new GetCommand({ TableName: table.name, Key: keys.configVersion(KIND_KEY[kind], version), ConsistentRead: true }),
  );
  return out.Item ? (withoutKeys(out.Item) as unknown as ConfigVersion<K>) : undefined;
}

/** The saved versions of a kind, newest first, without their bodies (a list stays small to read). */
export async function listConfigVersions(
  table: Table,
  kind: ConfigKind,
): Promise<Array<Omit<ConfigVersion, 'config'>>> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.configPartition(), ':prefix': `${KIND_KEY[kind]}#v` },
    ProjectionExpression: 'kind, version, createdAt, createdBy, note',
    ScanIndexForward: false,
  });
  return items.map((i) => i as Omit<ConfigVersion, 'config'>);
}

/**
 * Makes a saved version the active one: its config is copied to the active item with who activated it
 * and when. Readers in this process see it at once; other processes within ACTIVE_CONFIG_TTL_MS.
 */
export async function activateConfigVersion<K extends ConfigKind>(
  table: Table,
  saved: ConfigVersion<K>,
  by: { actor: string; at: string },
  /** The audit entry of the activation, written in the same transaction. */
  audit?: AuditEntry,
): Promise<ActiveConfig<K>> {
  const config = saved.config as unknown as Record<string, unknown>;
  for (const field of ACTIVE_META) {
    if (field in config) throw new Error(`a ${saved.kind} config may not carry the field ${field}`);
  }
  const put = {
    TableName: table.name,
    Item: {
      ...keys.activeConfig(KIND_KEY[saved.kind]),
      ...config,
      activeVersion: saved.version,
      activatedAt: by.at,
      activatedBy: by.actor,
    },
  };
  if (audit) await writeAudited(table, [{ Put: put }], audit);
  else await table.client.send(new PutCommand(put));
  forgetActiveConfigs();
  return { kind: saved.kind, version: saved.version, config: saved.config, activatedAt: by.at, activatedBy: by.actor };
}
