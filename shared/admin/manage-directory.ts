/**
 * The reps and teams admin API: create, list, read and patch reps and teams, and issue, list and revoke
 * a rep's API tokens. Input is validated field by field (shared/domain/directory-input.ts); every change
 * is audited with who made it and what changed, in the same transaction as the change; a token is shown
 * once and stored only as its hash.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Rep, Team } from '../domain/directory.js';
import { parseNewRep, parseNewTeam, patchRep, patchTeam } from '../domain/directory-input.js';
import { ClientError, NotFoundError, ValidationError } from '../domain/errors.js';
import { requireBoundedId } from '../http/bounded-ids.js';
import { readJsonBody } from '../http/json-body.js';
import { json } from '../http/responses.js';
import type { AuditEntry } from '../store/audit-store.js';
import { createRep, createTeam, listReps, listTeams, readRep, readTeam, saveRep, saveTeam } from '../store/directory-admin-store.js';
import { issueRepToken, listRepTokens, revokeAllRepTokens, revokeRepToken } from '../store/rep-token-store.js';
import type { Table } from '../store/table.js';

export interface DirectoryDeps {
  table: Table;
  now: () => Date;
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

/** The audit entry of a change, written in the same transaction as the change. */
function entry(deps: DirectoryDeps, actor: string, action: string, target: string, detail?: Record<string, unknown>): AuditEntry {
  return { actor, action, target, ...(detail ? { detail } : {}), at: deps.now().toISOString() };
}

async function requireRep(table: Table, repId: string): Promise<Rep> {
  const rep = await readRep(table, repId);
  if (!rep) throw new NotFoundError(`no rep with id "${repId}"`);
  return rep;
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
      if (!(await createRep(table, rep, entry(deps, actor, 'rep.create', `rep/${rep.repId}`, { ...rep })))) {
        throw new ClientError(409, 'conflict', `a rep with id "${rep.repId}" exists; PATCH it instead`);
      }
      return json(201, rep);
    }
    case 'GET /v1/admin/reps':
      return json(200, { reps: await listReps(table, teamFilter(event)) });
    case 'GET /v1/admin/reps/{id}':
      return json(200, await requireRep(table, id));
    case 'PATCH /v1/admin/reps/{id}': {
      const current = await requireRep(table, id);
      const next: Rep = patchRep(current, readJsonBody(event));
      if (next.teamId !== current.teamId) await requireTeam(table, next.teamId);
      await saveRep(table, next, current, entry(deps, actor, 'rep.update', `rep/${id}`, changedFields(current, next)));
      return json(200, next);
    }
    case 'POST /v1/admin/reps/{id}/token': {
      await requireRep(table, id);
      const { token, tokenId } = await issueRepToken(table, id, entry(deps, actor, 'rep.token', `rep/${id}`));
      return json(201, { repId: id, tokenId, token, note: 'shown once; store it now' });
    }
    case 'GET /v1/admin/reps/{id}/tokens':
      await requireRep(table, id);
      return json(200, { repId: id, tokens: await listRepTokens(table, id) });
    case 'DELETE /v1/admin/reps/{id}/tokens/{tokenId}': {
      const tokenId = event.pathParameters?.tokenId ?? '';
      await requireRep(table, id);
      if (!(await revokeRepToken(table, id, tokenId, entry(deps, actor, 'rep.token.revoke', `rep/${id}`)))) {
        throw new NotFoundError(`rep "${id}" has no token "${tokenId}"`);
      }
      return json(200, { repId: id, revoked: [tokenId] });
    }
    case 'DELETE /v1/admin/reps/{id}/tokens': {
      await requireRep(table, id);
      const revoked = await revokeAllRepTokens(table, id, entry(deps, actor, 'rep.token.revoke_all', `rep/${id}`));
      return json(200, { repId: id, revokedCount: revoked, note: 'every token of this rep made until now is refused' });
    }
    case 'POST /v1/admin/teams': {
      const team = parseNewTeam(readJsonBody(event));
      if (!(await createTeam(table, team, entry(deps, actor, 'team.create', `team/${team.teamId}`, { ...team })))) {
        throw new ClientError(409, 'conflict', `a team with id "${team.teamId}" exists; PATCH it instead`);
      }
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
      await saveTeam(table, next, entry(deps, actor, 'team.update', `team/${id}`, changedFields(current, next)));
      return json(200, next);
    }
    default:
      throw new NotFoundError(`no admin route ${event.routeKey}`);
  }
}
