import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalPlatform } from './platform.js';

const USAGE = `Usage: npm start -- [--port 3000] [--host 127.0.0.1] [--data-dir .data] [--verbose]`;

function options() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: process.env.PORT ?? '3000' },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string', default: '.data' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be a number from 1 to 65535, not "${values.port}"`);
    return { ...values, port };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  if (opts.verbose) process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  const startedAt = Date.now();
  const platform = await startLocalPlatform({
    port: opts.port,
    host: opts.host,
    dataDir: opts['data-dir'],
    projectRoot: resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
    log: (line) => console.error(`[leadflow] ${line}`),
    // The platform has logged why it stopped; what is left is to say so in the exit code.
    onFatal: () => process.exit(1),
    onNotification: (n) => {
      const p = n.payload as { leadId?: string; lead?: { name?: string; grade?: string } };
      console.log(`[demo] ${n.repId} was notified of lead ${p.leadId} (${p.lead?.name ?? 'no name'}, ${p.lead?.grade ?? '?'})`);
    },
  });
  const { apiUrl, credentials } = platform;
  const source = credentials.sources[0]!;
  console.log(`
leadflow is running locally (started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)

  API            ${apiUrl}
  Data           ${platform.dataDir}  (DynamoDB Local files; keys in local.json)
  Admin token    ${credentials.adminToken}
  Source key     ${source.key}  (source "${source.sourceId}", team "${credentials.team.teamId}": ${credentials.team.reps.join(', ')})
  Notifications  ${apiUrl}/_demo/notifications  (with -H 'Authorization: Bearer <admin token>'; loopback --host only)
  Local AWS      DynamoDB ${platform.endpoints.dynamodb}  SQS ${platform.endpoints.sqs}  EventBridge ${platform.endpoints.eventbridge}

Post a lead:
  curl -s -X POST ${apiUrl}/v1/leads \\
    -H 'Authorization: Bearer ${source.key}' -H 'Content-Type: application/json' \\
    -d '{"name":"Ada Lovelace","email":"ada@example.com","phone":"+1 650 555 0123","message":"Please call me","page_url":"https://example.com/pricing?utm_source=google&utm_medium=cpc&gclid=abc123"}'

Read it back (put in the leadId from the answer):
  curl -s ${apiUrl}/v1/leads/LEAD_ID -H 'Authorization: Bearer ${credentials.adminToken}'

Report:
  curl -s -X POST ${apiUrl}/v1/reports/sources/build -H 'Authorization: Bearer ${credentials.adminToken}'
  curl -s "${apiUrl}/v1/reports/sources?format=csv" -H 'Authorization: Bearer ${credentials.adminToken}'

Ctrl-C stops leadflow; data stays in ${platform.dataDir}.
`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping leadflow...`);
    await platform.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
}

main().catch((error: Error) => {
  console.error(`leadflow could not start: ${error.message}`);
  process.exit(1);
});
