import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rep } from '../../shared/domain/directory.js';
import { putApiKey, putRep, putRoutingConfig, putSource, putTeam } from '../../shared/store/directory-store.js';
import type { Table } from '../../shared/store/table.js';

/** What `npm start` writes to `<data-dir>/local.json` on first start: everything needed to call the API. */
export interface LocalCredentials {
  apiUrl: string;
  adminToken: string;
  sources: Array<{ sourceId: string; name: string; key: string }>;
  team: { teamId: string; reps: string[] };
  /** Where this run's local DynamoDB, SQS and EventBridge listen; they change at every start. */
  endpoints: { dynamodb: string; sqs: string; eventbridge: string };
}

export const DEMO_TEAM = 'demo';
export const DEMO_SOURCE = 'demo-website';
const DEMO_REPS = [
  { repId: 'alice', name: 'Alice Novak', email: 'alice@example.com' },
  { repId: 'bob', name: 'Bob Iyer', email: 'bob@example.com' },
  { repId: 'carol', name: 'Carol Mensah', email: 'carol@example.com' },
];

/** A new random API key with a readable prefix saying what it is for. */
export function newKey(prefix: 'lf_admin' | 'lf_src'): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

function demoRep(apiUrl: string, r: (typeof DEMO_REPS)[number]): Rep {
  return { ...r, teamId: DEMO_TEAM, active: true, webhookUrl: `${apiUrl}/_demo/reps/${r.repId}/notifications` };
}

/**
 * Seeds a new local installation: an admin token, a demo web-form source with its key, a demo team of
 * three reps whose webhooks point at the local demo receiver, and routing that falls back to that team.
 * On later starts it only points the demo reps at the current API URL (the port may have changed).
 */
export async function seedLocal(
  table: Table,
  dataDir: string,
  apiUrl: string,
  endpoints: LocalCredentials['endpoints'],
): Promise<LocalCredentials> {
  const file = join(dataDir, 'local.json');
  if (existsSync(file)) {
    const credentials = { ...(JSON.parse(readFileSync(file, 'utf8')) as LocalCredentials), apiUrl, endpoints };
    await Promise.all(DEMO_REPS.map((r) => putRep(table, demoRep(apiUrl, r))));
    writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    return credentials;
  }
  const credentials: LocalCredentials = {
    apiUrl,
    adminToken: newKey('lf_admin'),
    sources: [{ sourceId: DEMO_SOURCE, name: 'Demo website form', key: newKey('lf_src') }],
    team: { teamId: DEMO_TEAM, reps: DEMO_REPS.map((r) => r.repId) },
    endpoints,
  };
  await putApiKey(table, credentials.adminToken, { kind: 'admin', name: 'local admin' });
  await putSource(table, { sourceId: DEMO_SOURCE, name: 'Demo website form', provider: 'html_form', defaultCountry: 'US', teamId: DEMO_TEAM, enabled: true });
  await putApiKey(table, credentials.sources[0]!.key, { kind: 'source', sourceId: DEMO_SOURCE });
  await putTeam(table, { teamId: DEMO_TEAM, name: 'Demo sales team', strategy: 'round_robin' });
  await Promise.all(DEMO_REPS.map((r) => putRep(table, demoRep(apiUrl, r))));
  await putRoutingConfig(table, { fallbackTeamId: DEMO_TEAM });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
