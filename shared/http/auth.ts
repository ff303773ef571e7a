import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Principal } from '../domain/directory.js';
import { ClientError, UnauthorizedError } from '../domain/errors.js';
import { findApiKey } from '../store/directory-store.js';
import { readRepForAccess, repTokenAllowed, touchApiKey } from '../store/rep-token-store.js';
import type { Table } from '../store/table.js';

/*
 * Keys are looked up on every request, strongly consistent, and never cached: a revoked key, a disabled
 * source or an inactive rep is refused on the very next request, whichever container it lands on (a
 * per-container cache cannot be told of a change made through another). The price is one GetItem per
 * request (two for a rep token: the key and the rep), about 1 RCU each; see docs/architecture.md.
 */

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
      const now = new Date();
      const found = await findApiKey(table, key, now);
      if (!found) throw new UnauthorizedError('the key is not valid');
      const principal = found.principal;
      if (principal.kind !== kind) throw new ClientError(403, 'forbidden', `this endpoint needs ${KEY_NAMES[kind]}`);
      if (principal.kind === 'rep') {
        if (!repTokenAllowed(await readRepForAccess(table, principal.repId), found)) {
          throw new UnauthorizedError('the token was revoked, or its rep is inactive');
        }
        await touchApiKey(table, key, found, now);
      }
      request.event.principal = principal as Extract<Principal, { kind: K }>;
    },
  };
}
