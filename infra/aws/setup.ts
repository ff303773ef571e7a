import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { newKey } from '../local/seed.js';
import { putApiKey, putRep, putRoutingConfig, putSource, putTeam } from '../../shared/store/directory-store.js';

const USAGE = `Usage: npm run setup:aws -- --table <TableName> [--team sales] [--source website] [--country US]
                         [--rep alice=https://hooks.example.com/alice ...]

Creates, in a deployed leadflow table, an admin token, a web-form source with its key, a team with the
given reps (each notified by POST to its webhook URL) and routing that falls back to that team. Prints
the token and key once; only their hashes are stored. Uses your AWS credentials and region as the AWS
CLI would (AWS_PROFILE, AWS_REGION).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      team: { type: 'string', default: 'sales' },
      source: { type: 'string', default: 'website' },
      country: { type: 'string', default: 'US' },
      rep: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.table) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const reps = values.rep.map((spec) => {
    const [repId, webhookUrl] = spec.split(/=(.*)/s);
    if (!repId || !webhookUrl || !/^https?:\/\//.test(webhookUrl)) {
      console.error(`--rep takes id=https://webhook-url, not "${spec}"`);
      process.exit(2);
    }
    return { repId, webhookUrl };
  });
  const table = { client: DynamoDBDocumentClient.from(new DynamoDBClient({})), name: values.table };
  const adminToken = newKey('lf_admin');
  const sourceKey = newKey('lf_src');
  await putApiKey(table, adminToken, { kind: 'admin', name: 'setup' });
  await putTeam(table, { teamId: values.team, name: values.team, strategy: 'round_robin' });
  for (const rep of reps) await putRep(table, { ...rep, teamId: values.team, name: rep.repId, active: true });
  await putSource(table, {
    sourceId: values.source,
    name: values.source,
    provider: 'html_form',
    defaultCountry: values.country,
    teamId: values.team,
    enabled: true,
  });
  await putApiKey(table, sourceKey, { kind: 'source', sourceId: values.source });
  await putRoutingConfig(table, { fallbackTeamId: values.team });
  table.client.destroy();
  console.log(`leadflow is set up in table ${values.table}. Keep these; they are not shown again.

  Admin token  ${adminToken}
  Source key   ${sourceKey}  (source "${values.source}", team "${values.team}": ${reps.map((r) => r.repId).join(', ') || 'no reps yet'})`);
}

main().catch((error: Error) => {
  console.error(`setup failed: ${error.message}`);
  process.exit(1);
});
