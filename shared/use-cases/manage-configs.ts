/**
 * The admin's config changes: save a routing or scoring config as a draft version, activate a version,
 * read the versions and the audit log. A config is validated when saved and again when activated
 * (teams and reps may have changed since), and every change is audited in the same transaction.
 */
import { referencedIds, validateRoutingConfig, validateScoringConfig } from '../domain/config-validation.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { directoryOf } from '../store/routing-snapshot.js';
import type { ConfigKind, ConfigOf } from '../store/config-store.js';
import type { Clock, ConfigStore, DirectoryStore } from './ports.js';

export interface ConfigPorts {
  configs: ConfigStore;
  directory: Pick<DirectoryStore, 'readRoutingSnapshot'>;
  clock: Clock;
}

/** Validates a config of either kind; routing is checked against the teams and reps it names, as they are now. */
export async function validatedConfig<K extends ConfigKind>(ports: ConfigPorts, kind: K, input: unknown, now: Date): Promise<ConfigOf[K]> {
  const result = kind === 'scoring'
    ? validateScoringConfig(input)
    : validateRoutingConfig(input, directoryOf(await ports.directory.readRoutingSnapshot(referencedIds(input), now)));
  if (!result.ok) throw new ValidationError(`the ${kind} config is invalid`, result.problems);
  return result.config as ConfigOf[K];
}

/** Saves a valid config as the kind's next draft version. */
export async function saveConfigDraft(ports: ConfigPorts, input: { kind: ConfigKind; config: unknown; actor: string }) {
  const { kind, actor } = input;
  const now = ports.clock.now();
  const config = await validatedConfig(ports, kind, input.config, now);
  const at = now.toISOString();
  const saved = await ports.configs.createConfigVersion(kind, config, { actor, at }, (version) => ({
    actor,
    action: 'config.draft',
    target: `${kind}/v${version}`,
    detail: { rules: config.rules?.length ?? 0 },
    at,
  }));
  return { kind, version: saved.version, createdAt: saved.createdAt, createdBy: saved.createdBy };
}

/** A saved version, or 404. */
export async function readConfigVersion<K extends ConfigKind>(ports: { configs: Pick<ConfigStore, 'getConfigVersion'> }, kind: K, version: number) {
  const saved = await ports.configs.getConfigVersion(kind, version);
  if (!saved) throw new NotFoundError(`${kind} config version ${version} does not exist`);
  return saved;
}

/** Makes a saved version the active one, once it passes validation against the directory as it is now. */
export async function activateConfig(ports: ConfigPorts, input: { kind: ConfigKind; version: number; actor: string }) {
  const { kind, version, actor } = input;
  const now = ports.clock.now();
  const saved = await readConfigVersion(ports, kind, version);
  await validatedConfig(ports, kind, saved.config, now);
  const previous = await ports.configs.readActiveConfig(kind);
  const at = now.toISOString();
  const active = await ports.configs.activateConfigVersion(saved, { actor, at }, {
    actor,
    action: 'config.activate',
    target: `${kind}/v${version}`,
    detail: { previousVersion: previous ? (previous.version ?? 'unversioned') : 'default' },
    at,
  });
  return { kind, version, activatedAt: active.activatedAt, activatedBy: active.activatedBy };
}

/** The active config of a kind (null when none is) and its saved versions, newest first. */
export async function readConfigOverview(ports: Pick<ConfigPorts, 'configs'>, kind: ConfigKind) {
  const [active, versions] = await Promise.all([ports.configs.readActiveConfig(kind), ports.configs.listConfigVersions(kind)]);
  return { kind, active: active ?? null, versions };
}

/** A page of the audit log, newest first. */
export async function readAuditLog(ports: Pick<ConfigPorts, 'configs'>, input: { limit: number; cursor?: string }) {
  return ports.configs.listAudit(input);
}
