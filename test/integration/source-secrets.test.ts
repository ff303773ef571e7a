import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startParameterStore, type RunningParameterStore } from '../../infra/local/parameter-store.js';
import { freePort } from '../../infra/local/ports.js';
import { deleteSourceSecrets, fetchSourceSecrets, SecretsUnavailableError, storeSourceSecrets, type SecretsLocation } from '../../shared/secrets/source-secrets.js';
import { removeDataDir } from '../support/platform-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'leadflow-secrets-'));
let store: RunningParameterStore;
let ssm: SSMClient;
let location: SecretsLocation;

beforeAll(async () => {
  store = await startParameterStore({ dataDir, port: await freePort(), sessionToken: 'session-token' });
  ssm = new SSMClient({ region: 'us-east-1', endpoint: store.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  location = { prefix: '/leadflow/sources', extensionPort: store.port, sessionToken: 'session-token' };
});
afterAll(async () => {
  ssm?.destroy();
  await store?.stop();
  removeDataDir(dataDir);
});

describe('source secrets through the local parameter store', () => {
  it('stores secrets with the SSM client and reads them back through the extension endpoint', async () => {
    await storeSourceSecrets(ssm, location.prefix, 'meta-page', { appSecret: 's3cret', verifyToken: 'tok' });
    expect(await fetchSourceSecrets(location, 'meta-page')).toEqual({ appSecret: 's3cret', verifyToken: 'tok' });
  });

  it('replaces secrets on a second store, as an overwrite', async () => {
    await storeSourceSecrets(ssm, location.prefix, 'rotating', { secret: 'old' });
    await storeSourceSecrets(ssm, location.prefix, 'rotating', { secret: 'new' });
    expect(await fetchSourceSecrets(location, 'rotating')).toEqual({ secret: 'new' });
  });

  it('gives an empty object for a source that has no secrets, and after they are deleted', async () => {
    expect(await fetchSourceSecrets(location, 'never-stored')).toEqual({});
    await storeSourceSecrets(ssm, location.prefix, 'gone', { token: 'x' });
    await deleteSourceSecrets(ssm, location.prefix, 'gone');
    await deleteSourceSecrets(ssm, location.prefix, 'gone');
    expect(await fetchSourceSecrets(location, 'gone')).toEqual({});
  });

  it('refuses the extension read without the session token, so the caller answers 5xx and the sender retries', async () => {
    await expect(fetchSourceSecrets({ ...location, sessionToken: 'wrong' }, 'meta-page')).rejects.toBeInstanceOf(SecretsUnavailableError);
  });

  it('fails as unavailable, not as empty, when the endpoint does not answer', async () => {
    await expect(fetchSourceSecrets({ ...location, extensionPort: await freePort() }, 'meta-page')).rejects.toBeInstanceOf(SecretsUnavailableError);
  });

  it('keeps the parameters in the data directory, readable by their owner only, across a restart', async () => {
    const file = join(dataDir, 'secrets', 'parameters.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))['/leadflow/sources/meta-page'].Type).toBe('SecureString');
    await store.stop();
    store = await startParameterStore({ dataDir, port: await freePort(), sessionToken: 'session-token' });
    expect(await fetchSourceSecrets({ ...location, extensionPort: store.port }, 'meta-page')).toEqual({ appSecret: 's3cret', verifyToken: 'tok' });
  });
});
