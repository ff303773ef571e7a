import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Principal } from '../domain/directory.js';
import { ClientError, UnauthorizedError } from '../domain/errors.js';
import { findPrincipal } from '../store/directory-store.js';
import type { Table } from '../store/table.js';
import { readThroughCachePerTable } from '../store/read-through-cache.js';

/**
 * Key lookups, cached briefly so a burst of leads costs one read per key. Only known keys are
 * remembered, so a key created a moment ago works at once.
 */
const principalOf = readThroughCachePerTable(findPrincipal, 30_000, { cacheUndefined: false });

export type EventWithPrincipal<P extends Principal = Principal> = APIGatewayProxyEventV2 & { principal: P };

/**
 * The key a request presents: `Authorization: Bearer <key>` or an `X-Api-Key` header; for a source key
 * also a `key` query parameter, for HTML forms that cannot set headers. Admin tokens are never taken
 * from a URL, which ends up in browser history and proxy logs.
 */
export function presentedKey(event: APIGatewayProxyEventV2, kind: Principal['kind']): string | undefined {
  const auth = event.headers?.authorization ?? event.headers?.Authorization;
  const bearer = auth?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const header = bearer ?? event.headers?.['x-api-key'];
  return header ?? (kind === 'source' ? event.queryStringParameters?.key : undefined);
}

const KEY_NAMES: Record<Principal['kind'], string> = { admin: 'an admin token', source: 'a source key', rep: 'a rep token' };

/** Requires a key of the given kind; answers 401 for a missing or unknown key, 403 for the wrong kind. */
export function authenticate<K extends Principal['kind']>(
  table: Table,
  kind: K,
): middy.MiddlewareObj<EventWithPrincipal<Extract<Principal, { kind: K }>>, APIGatewayProxyResultV2> {
  return {
    before: async (request) => {
      const key = presentedKey(request.event, kind);
      if (!key) throw new UnauthorizedError(`${KEY_NAMES[kind]} is required`);
      const principal = await principalOf(table, key);
      if (!principal) throw new UnauthorizedError('the key is not valid');
      if (principal.kind !== kind) throw new ClientError(403, 'forbidden', `this endpoint needs ${KEY_NAMES[kind]}`);
      request.event.principal = principal as Extract<Principal, { kind: K }>;
    },
  };
}
