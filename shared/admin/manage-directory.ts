/**
 * The reps and teams admin API: create, list, read and patch reps and teams, and issue a rep their API
 * token. Input is validated field by field (shared/domain/directory-input.ts); every change is audited
 * with who made it and what changed; a token is shown once and stored only as its hash.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Rep, Team } from '../domain/directory.js';
import { parseNewRep, parseNewTeam, patchRep, patchTeam } from '../domain/directory-input.js';
import { ClientError, NotFoundError, ValidationError } from '../domain/errors.js';
import { requireBoundedId } from '../http/bounded-ids.js';
import { readJsonBody } from '../http/json-body.js';
import { json } from '../http/responses.js';
import { recordAudit } from '../store/audit-store.js';
import { createRep, createTeam, listReps, listTeams, readRep, readTeam, saveRep, saveTeam } from '../store/directory-admin-store.js';
import { putApiKey } from '../store/directory-store.js';
import type { Table } from '../store/table.js';

export interface DirectoryDeps {
  table: Table;
  now: () => Date;
}

/** A new rep token: `lf_rep_` and 32 random bytes, base64url. */
export function newRepToken(): string {
  return `lf_rep_${randomBytes(32).toString('base64url')}`;
}

/** The fields of `after` that differ from `before`, for the audit log. */
function changedFields(before: object, after: object): Record<string, unknown> {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  const changed: Record<string, unknown> = {};
  for (const f of fields) if (JSON.stringify(a[f]) !== JSON.stringify(b[f])) changed[f] = b[f] ?? null;
  return changed;
}

async function requireTeam(table: Table, teamId: string): Promise<void> {
  if (!(await readTeam(table, teamId))) {
    throw new ValidationError('the rep is not valid', [{ field: 'teamId', problem: `team "${teamId}" does not exist; create it first` }]);
  }
}

async function audit(deps: DirectoryDeps, actor: string, action: string, target: string, detail: Record<string, unknown>): Promise<void> {
  await recordAudit(deps.table, { actor, action, target, detail, at: deps.now().toISOString() });
}

/** The `teamId` a rep listing is filtered by, bounded before it becomes a key. */
function teamFilter(event: APIGatewayProxyEventV2): string | undefined {
  const teamId = event.queryStringParameters?.teamId;
  return teamId === undefined ? undefined : requireBoundedId(teamId, 'teamId');
}

/** Routes one admin request under `/v1/admin/reps` and `/v1/admin/teams`. */
export async function manageDirectory(deps: DirectoryDeps, event: APIGatewayProxyEventV2, actor: string): Promise<APIGatewayProxyResultV2> {
  const { table } = deps;
  const id = event.pathParameters?.id ?? '';
  switch (event.routeKey) {
    case 'POST /v1/admin/reps': {
      const rep = parseNewRep(readJsonBody(event));
      await requireTeam(table, rep.teamId);
      if (!(await createRep(table, rep))) throw new ClientError(409, 'conflict', `a rep with id "${rep.repId}" exists; PATCH it instead`);
      await audit(deps, actor, 'rep.create', `rep/${rep.repId}`, { ...rep });
      return json(201, rep);
    }
    case 'GET /v1/admin/reps':
      return json(200, { reps: await listReps(table, teamFilter(event)) });
    case 'GET /v1/admin/reps/{id}': {
      const rep = await readRep(table, id);
      if (!rep) throw new NotFoundError(`no rep with id "${id}"`);
      return json(200, rep);
    }
    case 'PATCH /v1/admin/reps/{id}': {
      const current = await readRep(table, id);
      if (!current) throw new NotFoundError(`no rep with id "${id}"`);
      const next: Rep = patchRep(current, readJsonBody(event));
      if (next.teamId !== current.teamId) await requireTeam(table, next.teamId);
      await saveRep(table, next, current);
      await audit(deps, actor, 'rep.update', `rep/${id}`, changedFields(current, next));
      return json(200, next);
    }
    case 'POST /v1/admin/reps/{id}/token': {
      if (!(await readRep(table, id))) throw new NotFoundError(`no rep with id "${id}"`);
      const token = newRepToken();
      await putApiKey(table, token, { kind: 'rep', repId: id });
      await audit(deps, actor, 'rep.token', `rep/${id}`, { issued: true });
      return json(201, { repId: id, token, note: 'shown once; store it now' });
    }
    case 'POST /v1/admin/teams': {
      const team = parseNewTeam(readJsonBody(event));
      if (!(await createTeam(table, team))) throw new ClientError(409, 'conflict', `a team with id "${team.teamId}" exists; PATCH it instead`);
      await audit(deps, actor, 'team.create', `team/${team.teamId}`, { ...team });
      return json(201, team);
    }
    case 'GET /v1/admin/teams':
      return json(200, { teams: await listTeams(table) });
    case 'GET /v1/admin/teams/{id}': {
      const team = await readTeam(table, id);
      if (!team) throw new NotFoundError(`no team with id "${id}"`);
      return json(200, team);
    }
    case 'PATCH /v1/admin/teams/{id}': {
      const current = await readTeam(table, id);
      if (!current) throw new NotFoundError(`no team with id "${id}"`);
      const next: Team = patchTeam(current, readJsonBody(event));
      await saveTeam(table, next);
      await audit(deps, actor, 'team.update', `team/${id}`, changedFields(current, next));
      return json(200, next);
    }
    default:
      throw new NotFoundError(`no admin route ${event.routeKey}`);
  }
}
