import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeRoutingConfig } from '../../shared/store/config-store.js';
import { findPrincipal, getSource, listTeamReps } from '../../shared/store/directory-store.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';
import { PROJECT_ROOT } from '../support/platform-process.js';

const run = promisify(execFile);
let table: Table;
let endpoint: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const started = await startTestTable();
  ({ table, stop } = started);
  endpoint = started.dynamo.endpoint;
});
afterAll(async () => stop?.());

describe('npm run setup:aws', () => {
  it('creates an admin token, a source key, a team of reps and fallback routing in the given table', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'infra/aws/setup.ts', '--table', 'leadflow', '--team', 'sales', '--source', 'site',
        '--rep', 'ann=https://hooks.example.com/ann', '--rep', 'ben=https://hooks.example.com/ben?x=1'],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l', NODE_NO_WARNINGS: '1' },
      },
    );
    const adminToken = /Admin token\s+(\S+)/.exec(stdout)?.[1];
    const sourceKey = /Source key\s+(\S+)/.exec(stdout)?.[1];
    expect(await findPrincipal(table, adminToken!)).toEqual({ kind: 'admin', name: 'setup' });
    expect(await findPrincipal(table, sourceKey!)).toEqual({ kind: 'source', sourceId: 'site' });
    expect(await getSource(table, 'site')).toMatchObject({ teamId: 'sales', enabled: true, defaultCountry: 'US' });
    const reps = await listTeamReps(table, 'sales');
    expect(reps.map((r) => [r.repId, r.webhookUrl])).toEqual([
      ['ann', 'https://hooks.example.com/ann'],
      ['ben', 'https://hooks.example.com/ben?x=1'],
    ]);
    expect(await activeRoutingConfig(table)).toEqual({ fallbackTeamId: 'sales' });
  });

  it('refuses a rep without a webhook URL, before writing anything', async () => {
    await expect(
      run(process.execPath, ['--import', 'tsx', 'infra/aws/setup.ts', '--table', 'leadflow', '--rep', 'nourl'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: endpoint, NODE_NO_WARNINGS: '1' },
      }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--rep takes id=https://webhook-url') });
  });
});
