import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { table } from '../../shared/aws/runtime.js';
import { referencedIds, validateRoutingConfig, validateScoringConfig } from '../../shared/domain/config-validation.js';
import type { RoutingConfig } from '../../shared/domain/directory.js';
import { ClientError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { compareOutcomes, distributionOf, notRoutedWhy, simulateRouting } from '../../shared/domain/routing-simulation.js';
import { factsOf } from '../../shared/domain/scoring.js';
import { authenticate, type EventWithPrincipal } from '../../shared/http/auth.js';
import { boundedPathParameters, isBoundedId } from '../../shared/http/bounded-ids.js';
import { httpErrors } from '../../shared/http/errors.js';
import { json } from '../../shared/http/responses.js';
import { listAudit } from '../../shared/store/audit-store.js';
import {
  activateConfigVersion,
  createConfigVersion,
  getConfigVersion,
  listConfigVersions,
  readActiveConfig,
  type ConfigKind,
  type ConfigOf,
} from '../../shared/store/config-store.js';
import { getSource } from '../../shared/store/directory-store.js';
import { directoryOf, leadsByIds, readRoutingSnapshot, recentLeadIds } from '../../shared/store/routing-snapshot.js';
import { logger } from '../../shared/observability/logger.js';

const MAX_BODY_BYTES = 256 * 1024;
const SIMULATE_DEFAULT = 100;
const SIMULATE_MAX = 1000;

type AdminEvent = EventWithPrincipal<{ kind: 'admin'; name: string }>;

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const text = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  if (text.length > MAX_BODY_BYTES) throw new ClientError(413, 'payload_too_large', `the body may be at most ${MAX_BODY_BYTES} bytes`);
  if (!text.trim()) throw new ClientError(400, 'invalid_request', 'the body is empty; send the config as JSON');
  try {
    return JSON.parse(text);
  } catch {
    throw new ClientError(400, 'invalid_request', 'the body is not valid JSON');
  }
}

function kindOf(event: APIGatewayProxyEventV2): ConfigKind {
  const kind = event.pathParameters?.kind;
  if (kind !== 'routing' && kind !== 'scoring') throw new NotFoundError(`there is no config kind "${kind}"; use routing or scoring`);
  return kind;
}

function versionOf(text: string | undefined): number {
  // Versions are counted from 1 and written as four or more digits; a number past a million is none of ours.
  const version = /^v?\d{1,7}$/i.test(text ?? '') ? Number(text!.replace(/^v/i, '')) : NaN;
  if (!Number.isInteger(version) || version < 1) throw new NotFoundError(`"${text}" is not a config version; versions are 1, 2, 3, ...`);
  return version;
}

/** Validates a config of either kind; routing is checked against the teams and reps it names, as they are now. */
async function validated<K extends ConfigKind>(kind: K, input: unknown, now: Date): Promise<ConfigOf[K]> {
  const result = kind === 'scoring'
    ? validateScoringConfig(input)
    : validateRoutingConfig(input, directoryOf(await readRoutingSnapshot(table, referencedIds(input), now)));
  if (!result.ok) throw new ValidationError(`the ${kind} config is invalid`, result.problems);
  return result.config as ConfigOf[K];
}

async function createDraft(event: AdminEvent, kind: ConfigKind) {
  const now = new Date();
  const config = await validated(kind, jsonBody(event), now);
  const at = now.toISOString();
  const saved = await createConfigVersion(table, kind, config, { actor: event.principal.name, at }, (version) => ({
    actor: event.principal.name,
    action: 'config.draft',
    target: `${kind}/v${version}`,
    detail: { rules: config.rules?.length ?? 0 },
    at,
  }));
  return json(201, { kind, version: saved.version, createdAt: saved.createdAt, createdBy: saved.createdBy });
}

async function activate(event: AdminEvent, kind: ConfigKind) {
  const now = new Date();
  const version = versionOf(event.pathParameters?.version);
  const saved = await getConfigVersion(table, kind, version);
  if (!saved) throw new NotFoundError(`${kind} config version ${version} does not exist`);
  // Teams and reps may have changed since the draft was saved: check again against them as they are now.
  await validated(kind, saved.config, now);
  const previous = await readActiveConfig(table, kind);
  const at = now.toISOString();
  const active = await activateConfigVersion(table, saved, { actor: event.principal.name, at }, {
    actor: event.principal.name,
    action: 'config.activate',
    target: `${kind}/v${version}`,
    detail: { previousVersion: previous ? (previous.version ?? 'unversioned') : 'default' },
    at,
  });
  return json(200, { kind, version, activatedAt: active.activatedAt, activatedBy: active.activatedBy });
}

async function readOverview(kind: ConfigKind) {
  const [active, versions] = await Promise.all([readActiveConfig(table, kind), listConfigVersions(table, kind)]);
  return json(200, { kind, active: active ?? null, versions });
}

async function readVersion(event: APIGatewayProxyEventV2, kind: ConfigKind) {
  const version = versionOf(event.pathParameters?.version);
  const saved = await getConfigVersion(table, kind, version);
  if (!saved) throw new NotFoundError(`${kind} config version ${version} does not exist`);
  return json(200, saved);
}

async function readAudit(event: APIGatewayProxyEventV2) {
  const query = event.queryStringParameters ?? {};
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new ValidationError('the audit page size is invalid', [{ field: 'limit', problem: 'must be a whole number from 1 to 200' }]);
  }
  return json(200, await listAudit(table, { limit, cursor: query.cursor }));
}

/** The simulate request: a draft config or a saved version, and which leads to run it over. */
function simulationRequest(body: unknown): { config: unknown; leadIds?: string[]; last: number } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('the body must be a JSON object');
  const { config, leads, last, ...unknown } = body as Record<string, unknown>;
  const problems = Object.keys(unknown).map((field) => ({ field, problem: 'is not a known field' }));
  if (config === undefined) problems.push({ field: 'config', problem: 'is required (a routing config, or the number of a saved version)' });
  if (leads !== undefined && last !== undefined) problems.push({ field: 'leads', problem: 'give either leads or last, not both' });
  if (leads !== undefined && (!Array.isArray(leads) || leads.length > SIMULATE_MAX || !leads.every((id) => typeof id === 'string' && isBoundedId(id)))) {
    problems.push({ field: 'leads', problem: `must be a list of at most ${SIMULATE_MAX} lead ids` });
  }
  if (last !== undefined && (!Number.isInteger(last) || (last as number) < 1 || (last as number) > SIMULATE_MAX)) {
    problems.push({ field: 'last', problem: `must be a whole number from 1 to ${SIMULATE_MAX}` });
  }
  if (problems.length) throw new ValidationError('the simulation request is invalid', problems);
  return { config, leadIds: leads as string[] | undefined, last: (last as number | undefined) ?? SIMULATE_DEFAULT };
}

/**
 * Runs a draft routing config and the active one over recent (or given) leads and reports where each
 * would send them. Reads only: no ticket is taken, no counter moves, no lead changes.
 */
async function simulate(event: AdminEvent) {
  const now = new Date();
  const request = simulationRequest(jsonBody(event));
  let draft: RoutingConfig;
  let draftVersion: number | undefined;
  if (typeof request.config === 'number') {
    draftVersion = request.config;
    const saved = await getConfigVersion(table, 'routing', versionOf(String(request.config)));
    if (!saved) throw new NotFoundError(`routing config version ${request.config} does not exist`);
    draft = saved.config;
  } else {
    const result = validateRoutingConfig(request.config, directoryOf(await readRoutingSnapshot(table, referencedIds(request.config), now)));
    if (!result.ok) throw new ValidationError('the draft routing config is invalid', result.problems.map((p) => ({ ...p, field: `config.${p.field}` })));
    draft = result.config;
  }
  const active = await readActiveConfig(table, 'routing');
  if (!active) throw new ClientError(409, 'no_active_config', 'no routing config is active to compare the draft with');

  const found = await leadsByIds(table, request.leadIds ?? (await recentLeadIds(table, request.last, now)));
  const skipped = found.flatMap((lead) => {
    const why = notRoutedWhy(lead.status);
    return why ? [{ leadId: lead.leadId, why }] : [];
  });
  const leads = found.filter((lead) => !notRoutedWhy(lead.status));
  const sources = new Map<string, string | undefined>();
  for (const sourceId of new Set(leads.map((l) => l.sourceId))) sources.set(sourceId, (await getSource(table, sourceId))?.teamId);
  const ids = [referencedIds(draft), referencedIds(active.config), { teamIds: [...sources.values()].filter(Boolean) as string[], repIds: [] }];
  const snapshot = await readRoutingSnapshot(table, { teamIds: [...new Set(ids.flatMap((i) => i.teamIds))], repIds: [...new Set(ids.flatMap((i) => i.repIds))] }, now);
  // Oldest first, as the leads arrived, so rotation runs in arrival order.
  const simulated = [...leads]
    .sort((a, b) => (a.leadId < b.leadId ? -1 : 1))
    .map((lead) => ({ leadId: lead.leadId, facts: factsOf(lead), isTest: lead.isTest, sourceTeamId: sources.get(lead.sourceId) }));
  const activeOutcomes = simulateRouting(simulated, active.config, snapshot, now);
  const draftOutcomes = simulateRouting(simulated, draft, snapshot, now);
  const { moves, sameTeamOtherRep } = compareOutcomes(activeOutcomes, draftOutcomes);
  return json(200, {
    leads: simulated.length,
    missing: request.leadIds ? request.leadIds.filter((id) => !found.some((l) => l.leadId === id)) : undefined,
    skipped,
    draft: { version: draftVersion ?? null, ...distributionOf(draftOutcomes) },
    active: { version: active.version ?? null, ...distributionOf(activeOutcomes) },
    diff: { moved: moves.length, moves, sameTeamOtherRep },
    note: 'reps are chosen by each team\'s strategy from the start of its rotation, with loads as they are now; a change of rep within the same team is not counted as a move',
  });
}

/**
 * The admin config API: versioned routing and scoring configs (draft, read, activate), the audit log
 * of every change, and the routing simulation. Admin token only.
 */
export const handler = middy<AdminEvent>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(boundedPathParameters())
  .use(authenticate(table, 'admin'))
  .handler(async (event) => {
    switch (event.routeKey) {
      case 'POST /v1/admin/config/{kind}':
        return createDraft(event, kindOf(event));
      case 'GET /v1/admin/config/{kind}':
        return readOverview(kindOf(event));
      case 'GET /v1/admin/config/{kind}/{version}':
        return readVersion(event, kindOf(event));
      case 'POST /v1/admin/config/{kind}/{version}/activate':
        return activate(event, kindOf(event));
      case 'GET /v1/admin/audit':
        return readAudit(event);
      case 'POST /v1/routing/simulate':
        return simulate(event);
      default:
        throw new ClientError(404, 'not_found', `no admin config route ${event.routeKey}`);
    }
  });
