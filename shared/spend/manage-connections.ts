import type { SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ClientError, NotFoundError, ValidationError } from '../domain/errors.js';
import { connectionSecretsName, isConnectionId, readConnectionInput, type SpendConnection } from '../domain/spend-connection.js';
import { deleteSourceSecrets, storeSourceSecrets } from '../secrets/source-secrets.js';
import { deleteSpendConnection, getSpendConnection, listSpendConnections, putSpendConnection } from '../store/spend-connection-store.js';
import type { Table } from '../store/table.js';
import { spendJson } from './spend-request.js';

export interface ManageConnectionsDeps {
  table: Table;
  ssm: SSMClient;
  secretsPrefix: string;
  now: () => Date;
}

function connectionIdOf(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.connectionId ?? '';
  if (!isConnectionId(id)) throw new ValidationError('invalid connection id', [{ field: 'connectionId', problem: 'must be 2-63 lowercase letters, digits, _ or -, starting with a letter or digit' }]);
  return id;
}

/**
 * The spend connections API: `PUT /v1/spend/connections/{id}` creates or changes one (its secrets go
 * to the secret store, never the table), `GET /v1/spend/connections` lists them with the names of
 * their secrets and their last pull, and `DELETE` removes one with its secrets.
 */
export async function manageConnections(deps: ManageConnectionsDeps, event: APIGatewayProxyEventV2): Promise<{ status: number; body: unknown }> {
  switch (event.routeKey) {
    case 'GET /v1/spend/connections':
      return { status: 200, body: { connections: await listSpendConnections(deps.table) } };
    case 'PUT /v1/spend/connections/{connectionId}': {
      const connectionId = connectionIdOf(event);
      const existing = await getSpendConnection(deps.table, connectionId);
      const { settings, secrets } = readConnectionInput(spendJson(event), existing);
      if (secrets) await storeSourceSecrets(deps.ssm, deps.secretsPrefix, connectionSecretsName(connectionId), secrets);
      const now = deps.now().toISOString();
      const connection: SpendConnection = {
        connectionId,
        ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
        platform: settings.platform,
        enabled: settings.enabled,
        secretNames: secrets ? Object.keys(secrets).sort() : (existing?.secretNames ?? []),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        ...(existing?.lastPull && existing.platform === settings.platform ? { lastPull: existing.lastPull } : {}),
      };
      await putSpendConnection(deps.table, connection);
      return { status: existing ? 200 : 201, body: connection };
    }
    case 'DELETE /v1/spend/connections/{connectionId}': {
      const connectionId = connectionIdOf(event);
      if (!(await getSpendConnection(deps.table, connectionId))) throw new NotFoundError(`no spend connection ${connectionId}`);
      await deleteSourceSecrets(deps.ssm, deps.secretsPrefix, connectionSecretsName(connectionId));
      await deleteSpendConnection(deps.table, connectionId);
      return { status: 204, body: undefined };
    }
    default:
      throw new ClientError(404, 'not_found', `no spend route ${event.routeKey}`);
  }
}
