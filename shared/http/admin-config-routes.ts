import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ClientError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { ConfigKind } from '../store/config-store.js';
import { activateConfig, readAuditLog, readConfigOverview, readConfigVersion, saveConfigDraft, type ConfigPorts } from '../use-cases/manage-configs.js';
import { simulateRoutingChange, type SimulatePorts, type SimulationRequest } from '../use-cases/simulate-routing.js';
import type { EventWithPrincipal } from './auth.js';
import { isBoundedId } from './bounded-ids.js';
import { readJsonBody } from './json-body.js';
import { json } from './responses.js';

const MAX_BODY_BYTES = 256 * 1024;
const SIMULATE_DEFAULT = 100;
const SIMULATE_MAX = 1000;

export type AdminEvent = EventWithPrincipal<{ kind: 'admin'; name: string }>;

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

function auditPage(event: APIGatewayProxyEventV2): { limit: number; cursor?: string } {
  const query = event.queryStringParameters ?? {};
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new ValidationError('the audit page size is invalid', [{ field: 'limit', problem: 'must be a whole number from 1 to 200' }]);
  }
  return { limit, cursor: query.cursor };
}

/** The simulate request: a draft config or a saved version, and which leads to run it over. */
function simulationRequest(body: unknown): SimulationRequest {
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
  // A saved version is named by its number; one that cannot be a version is 404, as in the version routes.
  if (typeof config === 'number') versionOf(String(config));
  return { config, leadIds: leads as string[] | undefined, last: (last as number | undefined) ?? SIMULATE_DEFAULT };
}

/**
 * The admin config API mapped onto its use cases: versioned routing and scoring configs (draft, read,
 * activate), the audit log of every change, and the routing simulation.
 */
export async function answerConfigRoute(ports: ConfigPorts & SimulatePorts, event: AdminEvent): Promise<APIGatewayProxyResultV2> {
  const actor = event.principal.name;
  const body = () => readJsonBody(event, MAX_BODY_BYTES, 'the config as JSON');
  switch (event.routeKey) {
    case 'POST /v1/admin/config/{kind}':
      return json(201, await saveConfigDraft(ports, { kind: kindOf(event), config: body(), actor }));
    case 'GET /v1/admin/config/{kind}':
      return json(200, await readConfigOverview(ports, kindOf(event)));
    case 'GET /v1/admin/config/{kind}/{version}':
      return json(200, await readConfigVersion(ports, kindOf(event), versionOf(event.pathParameters?.version)));
    case 'POST /v1/admin/config/{kind}/{version}/activate':
      return json(200, await activateConfig(ports, { kind: kindOf(event), version: versionOf(event.pathParameters?.version), actor }));
    case 'GET /v1/admin/audit':
      return json(200, await readAuditLog(ports, auditPage(event)));
    case 'POST /v1/routing/simulate':
      return json(200, await simulateRoutingChange(ports, simulationRequest(body())));
    default:
      throw new ClientError(404, 'not_found', `no admin config route ${event.routeKey}`);
  }
}
