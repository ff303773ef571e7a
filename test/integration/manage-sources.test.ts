import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startParameterStore, type RunningParameterStore } from '../../infra/local/parameter-store.js';
import { freePort } from '../../infra/local/ports.js';
import { ClientError } from '../../shared/domain/errors.js';
import type { EventWithPrincipal } from '../../shared/http/auth.js';
import { fetchSourceSecrets, type SecretsLocation } from '../../shared/secrets/source-secrets.js';
import { manageSources, type ManageSourcesDeps } from '../../shared/sources/manage-sources.js';
import { findPrincipal } from '../../shared/store/directory-store.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';
import { removeDataDir } from '../support/platform-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'leadflow-sources-'));
let table: Table;
let stopTable: () => Promise<void>;
let store: RunningParameterStore;
let ssm: SSMClient;
let deps: ManageSourcesDeps;
let location: SecretsLocation;

beforeAll(async () => {
  ({ table, stop: stopTable } = await startTestTable());
  store = await startParameterStore({ dataDir, port: await freePort(), sessionToken: 'session-token' });
  ssm = new SSMClient({ region: 'us-east-1', endpoint: store.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  deps = { table, ssm, secretsPrefix: '/leadflow/sources', now: () => new Date('2025-03-01T10:00:00Z') };
  location = { prefix: '/leadflow/sources', extensionPort: store.port, sessionToken: 'session-token' };
});
afterAll(async () => {
  ssm?.destroy();
  await store?.stop();
  await stopTable?.();
  removeDataDir(dataDir);
});

function request(routeKey: string, body?: unknown, sourceId?: string): EventWithPrincipal<{ kind: 'admin'; name: string }> {
  return {
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1]!,
    rawQueryString: '',
    headers: { host: 'api.example.com', 'content-type': 'application/json' },
    ...(sourceId ? { pathParameters: { sourceId } } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
    requestContext: { domainName: 'api.example.com', http: { method: routeKey.split(' ')[0]! } } as APIGatewayProxyEventV2['requestContext'],
    principal: { kind: 'admin', name: 'ops' },
  } as EventWithPrincipal<{ kind: 'admin'; name: string }>;
}

describe('the sources admin API on DynamoDB Local and the local parameter store', () => {
  it('refuses a create that reuses a taken source id with 409 and leaves the existing source’s secrets as they were', async () => {
    const first = await manageSources(deps, request('POST /v1/admin/sources', { sourceId: 'site-signed', name: 'Site', provider: 'signed_json', secrets: { secret: 'the-live-secret' } }));
    expect(first.statusCode).toBe(201);

    const again = manageSources(deps, request('POST /v1/admin/sources', { sourceId: 'site-signed', name: 'Copy', provider: 'signed_json', secrets: { secret: 'another-secret' } }));
    await expect(again).rejects.toMatchObject({ statusCode: 409 });
    await expect(again).rejects.toBeInstanceOf(ClientError);

    // The live source still verifies its sender's signatures with the secret it was created with.
    expect(await fetchSourceSecrets(location, 'site-signed')).toEqual({ secret: 'the-live-secret' });
  });

  it('revokes a plain form’s old key when a patch sets a new one, so a leaked key stops working', async () => {
    const created = await manageSources(deps, request('POST /v1/admin/sources', { sourceId: 'contact-form', name: 'Contact', provider: 'html_form', secrets: { key: 'old-form-key-0123456789' } }));
    expect(created.statusCode).toBe(201);
    expect(await findPrincipal(table, 'old-form-key-0123456789')).toEqual({ kind: 'source', sourceId: 'contact-form' });

    const patched = await manageSources(deps, request('PATCH /v1/admin/sources/{sourceId}', { secrets: { key: 'new-form-key-9876543210' } }, 'contact-form'));
    expect(patched.statusCode).toBe(200);
    expect(await findPrincipal(table, 'new-form-key-9876543210')).toEqual({ kind: 'source', sourceId: 'contact-form' });
    expect(await findPrincipal(table, 'old-form-key-0123456789')).toBeUndefined();
  });
});
