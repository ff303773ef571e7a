import type { RoutingConfig } from '../domain/directory.js';
import { referencedIds, validateRoutingConfig } from '../domain/config-validation.js';
import { ClientError, ValidationError } from '../domain/errors.js';
import { compareOutcomes, distributionOf, notRoutedWhy, simulateRouting } from '../domain/routing-simulation.js';
import { factsOf } from '../domain/scoring.js';
import { directoryOf } from '../store/routing-snapshot.js';
import type { Clock, ConfigStore, DirectoryStore } from './ports.js';
import { readConfigVersion } from './manage-configs.js';

export interface SimulatePorts {
  configs: Pick<ConfigStore, 'getConfigVersion' | 'readActiveConfig'>;
  directory: DirectoryStore;
  clock: Clock;
}

/** What to simulate: a draft config (or the number of a saved version), over given leads or the last N. */
export interface SimulationRequest {
  config: unknown;
  leadIds?: string[];
  last: number;
}

/**
 * Runs a draft routing config and the active one over recent (or given) leads and reports where each
 * would send them. Reads only: no ticket is taken, no counter moves, no lead changes.
 */
export async function simulateRoutingChange(ports: SimulatePorts, request: SimulationRequest) {
  const now = ports.clock.now();
  let draft: RoutingConfig;
  let draftVersion: number | undefined;
  if (typeof request.config === 'number') {
    draftVersion = request.config;
    draft = (await readConfigVersion(ports, 'routing', request.config)).config;
  } else {
    const result = validateRoutingConfig(request.config, directoryOf(await ports.directory.readRoutingSnapshot(referencedIds(request.config), now)));
    if (!result.ok) throw new ValidationError('the draft routing config is invalid', result.problems.map((p) => ({ ...p, field: `config.${p.field}` })));
    draft = result.config;
  }
  const active = await ports.configs.readActiveConfig('routing');
  if (!active) throw new ClientError(409, 'no_active_config', 'no routing config is active to compare the draft with');

  const found = await ports.directory.leadsByIds(request.leadIds ?? (await ports.directory.recentLeadIds(request.last, now)));
  const skipped = found.flatMap((lead) => {
    const why = notRoutedWhy(lead.status);
    return why ? [{ leadId: lead.leadId, why }] : [];
  });
  const leads = found.filter((lead) => !notRoutedWhy(lead.status));
  const sources = new Map<string, string | undefined>();
  for (const sourceId of new Set(leads.map((l) => l.sourceId))) sources.set(sourceId, (await ports.directory.getSource(sourceId))?.teamId);
  const ids = [referencedIds(draft), referencedIds(active.config), { teamIds: [...sources.values()].filter(Boolean) as string[], repIds: [] }];
  const snapshot = await ports.directory.readRoutingSnapshot({ teamIds: [...new Set(ids.flatMap((i) => i.teamIds))], repIds: [...new Set(ids.flatMap((i) => i.repIds))] }, now);
  // Oldest first, as the leads arrived, so rotation runs in arrival order.
  const simulated = [...leads]
    .sort((a, b) => (a.leadId < b.leadId ? -1 : 1))
    .map((lead) => ({ leadId: lead.leadId, facts: factsOf(lead), isTest: lead.isTest, sourceTeamId: sources.get(lead.sourceId) }));
  const activeOutcomes = simulateRouting(simulated, active.config, snapshot, now);
  const draftOutcomes = simulateRouting(simulated, draft, snapshot, now);
  const { moves, sameTeamOtherRep } = compareOutcomes(activeOutcomes, draftOutcomes);
  return {
    leads: simulated.length,
    missing: request.leadIds ? request.leadIds.filter((id) => !found.some((l) => l.leadId === id)) : undefined,
    skipped,
    draft: { version: draftVersion ?? null, ...distributionOf(draftOutcomes) },
    active: { version: active.version ?? null, ...distributionOf(activeOutcomes) },
    diff: { moved: moves.length, moves, sameTeamOtherRep },
    note: 'reps are chosen by each team\'s strategy from the start of its rotation, with loads as they are now; a change of rep within the same team is not counted as a move',
  };
}
