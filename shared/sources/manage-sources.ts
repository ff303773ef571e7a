import { randomBytes } from 'node:crypto';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { readJsonBody } from '../http/json-body.js';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Source } from '../domain/directory.js';
import { ClientError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { EventWithPrincipal } from '../http/auth.js';
import { json } from '../http/responses.js';
import { sourceSecretsParameter, storeSourceSecrets } from '../secrets/source-secrets.js';
import { writeAudited, type TransactItem } from '../store/audited-write.js';
import { apiKeyItem, getSource, listSources, retireSourceApiKey, sourceItem } from '../store/directory-store.js';
import type { Table } from '../store/table.js';
import type { SecretSpec } from './adapter.js';
import { providerCatalog } from './catalog.js';
import { PREVIOUS_KEY, PREVIOUS_KEY_UNTIL } from './key-rotation.js';
import { generateMissingSecrets, readSourceInput, webhookUrlOf } from './source-config.js';

export interface ManageSourcesDeps {
  table: Table;
  ssm: SSMClient;
  secretsPrefix: string;
  now: () => Date;
}

const catalog: Record<string, { secrets: readonly SecretSpec[] }> = providerCatalog;

/** The API's own base URL, as the caller reached it: webhook URLs are built on it. */
function apiBaseOf(event: APIGatewayProxyEventV2): string {
  const proto = event.headers?.['x-forwarded-proto']?.split(',')[0]?.trim() || 'https';
  return `${proto}://${event.headers?.host ?? event.requestContext.domainName}`;
}

function parseJson(event: APIGatewayProxyEventV2): unknown {
  return readJsonBody(event, 64 * 1024, 'the source as a JSON object');
}

/** A source as the API shows it: settings, the names of its secrets (never values) and its webhook URL. */
function present(source: Source, apiBase: string) {
  const adapter = Object.hasOwn(catalog, source.provider) ? catalog[source.provider] : undefined;
  return {
    ...source,
    webhookUrl: webhookUrlOf(apiBase, source),
    secrets: (adapter?.secrets ?? []).map((s) => ({ name: s.name, required: s.required, set: (source.secretNames ?? []).includes(s.name), description: s.description })),
  };
}

async function readSecrets(deps: ManageSourcesDeps, sourceId: string): Promise<Record<string, string>> {
  try {
    const out = await deps.ssm.send(new GetParameterCommand({ Name: sourceSecretsParameter(deps.secretsPrefix, sourceId), WithDecryption: true }));
    return JSON.parse(out.Parameter?.Value ?? '{}') as Record<string, string>;
  } catch (error) {
    if ((error as Error).name === 'ParameterNotFound') return {};
    throw error;
  }
}

function takenId(sourceId: string): ClientError {
  return new ClientError(409, 'conflict', `a source "${sourceId}" exists already`, [{ field: 'sourceId', problem: 'is taken' }]);
}

async function existing(deps: ManageSourcesDeps, sourceId: string): Promise<Source> {
  const source = await getSource(deps.table, sourceId);
  if (!source) throw new NotFoundError(`there is no source "${sourceId}"`);
  return source;
}

/**
 * The sources admin API. Creating a source stores its secrets in the secret store (generating the
 * tokens leadflow may choose) and answers, once, with every secret it generated and the exact URL to
 * paste into the provider's console; after that secrets are never shown, only which are set. Deleting
 * disables: the source's leads keep naming it. Every change is audited.
 */
export async function manageSources(
  deps: ManageSourcesDeps,
  event: EventWithPrincipal<{ kind: 'admin'; name: string }>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const apiBase = apiBaseOf(event);
  const sourceId = event.pathParameters?.sourceId ?? '';
  const actor = event.principal.name;
  const at = deps.now().toISOString();
  switch (event.routeKey) {
    case 'GET /v1/admin/sources':
      return json(200, { sources: (await listSources(deps.table)).map((s) => present(s, apiBase)) });
    case 'GET /v1/admin/sources/{sourceId}':
      return json(200, present(await existing(deps, sourceId), apiBase));
    case 'POST /v1/admin/sources': {
      const { settings, secrets } = readSourceInput(parseJson(event), 'create');
      const provider = settings.provider!;
      const generated = generateMissingSecrets(provider, secrets);
      const allSecrets = { ...secrets, ...generated };
      const source: Source = {
        sourceId: settings.sourceId ?? `${provider.replace(/_/g, '-')}-${randomBytes(4).toString('hex')}`,
        name: settings.name!,
        provider,
        enabled: settings.enabled ?? true,
        ...(settings.defaultCountry ? { defaultCountry: settings.defaultCountry } : {}),
        ...(settings.teamId ? { teamId: settings.teamId } : {}),
        ...(settings.allowedOrigins ? { allowedOrigins: settings.allowedOrigins } : {}),
        ...(settings.redirectUrl ? { redirectUrl: settings.redirectUrl } : {}),
        ...(settings.trackingNumbers ? { trackingNumbers: settings.trackingNumbers } : {}),
        secretNames: Object.keys(allSecrets).sort(),
        createdAt: at,
        updatedAt: at,
      };
      // A taken id is refused before its secrets are written: they are one parameter per source id, and
      // writing first would replace the live source's secrets and make it refuse every webhook.
      if (await getSource(deps.table, source.sourceId)) throw takenId(source.sourceId);
      // Secrets first: a source that exists without its secrets would refuse every webhook.
      if (Object.keys(allSecrets).length) source.secretsVersion = await storeSourceSecrets(deps.ssm, deps.secretsPrefix, source.sourceId, allSecrets);
      const created = await writeAudited(
        deps.table,
        [
          { Put: { TableName: deps.table.name, Item: sourceItem(source), ConditionExpression: 'attribute_not_exists(PK)' } },
          // A plain form's key also works as a source key on POST /v1/leads.
          ...(provider === 'html_form' ? [{ Put: { TableName: deps.table.name, Item: apiKeyItem(allSecrets.key!, { kind: 'source', sourceId: source.sourceId }, at) } }] : []),
        ],
        { actor, action: 'source.create', target: `source/${source.sourceId}`, detail: { provider, secretNames: source.secretNames }, at },
      );
      if (!created) throw takenId(source.sourceId);
      return json(201, {
        ...present(source, apiBase),
        webhookUrl: webhookUrlOf(apiBase, source, allSecrets),
        ...(Object.keys(generated).length ? { generatedSecrets: generated } : {}),
        note: 'Secrets are stored in the secret store and are not shown again.',
      });
    }
    case 'PATCH /v1/admin/sources/{sourceId}': {
      const before = await existing(deps, sourceId);
      const { settings, secrets, previousKeyValidSeconds = 0 } = readSourceInput(parseJson(event), 'update', before.provider);
      let secretNames = before.secretNames ?? [];
      let secretsVersion = before.secretsVersion;
      const keyItems: TransactItem[] = [];
      let replacedKey: { key: string; until?: string } | undefined;
      if (Object.keys(secrets).length) {
        const stored = await readSecrets(deps, sourceId);
        const merged: Record<string, string> = { ...stored, ...secrets };
        if (before.provider === 'html_form' && secrets.key && stored.key && stored.key !== secrets.key) {
          // A new key works from the next request; the old one (often leaked) stops now, or at the end
          // of the overlap the admin chose, so pages still carrying it can be redeployed first.
          const until = previousKeyValidSeconds > 0 ? new Date(deps.now().getTime() + previousKeyValidSeconds * 1000).toISOString() : undefined;
          replacedKey = { key: stored.key, until };
          if (until) Object.assign(merged, { [PREVIOUS_KEY]: stored.key, [PREVIOUS_KEY_UNTIL]: until });
          else for (const name of [PREVIOUS_KEY, PREVIOUS_KEY_UNTIL]) delete merged[name];
        }
        if (before.provider === 'html_form' && secrets.key) {
          keyItems.push({ Put: { TableName: deps.table.name, Item: apiKeyItem(secrets.key, { kind: 'source', sourceId }, at) } });
        }
        // A new version of the secrets; the source item names it below, so intake reads it from the next request.
        secretsVersion = await storeSourceSecrets(deps.ssm, deps.secretsPrefix, sourceId, merged);
        secretNames = Object.keys(merged).filter((n) => n !== PREVIOUS_KEY && n !== PREVIOUS_KEY_UNTIL).sort();
      }
      const after: Source = { ...before, ...settings, secretNames, ...(secretsVersion !== undefined ? { secretsVersion } : {}), updatedAt: at };
      await writeAudited(deps.table, [{ Put: { TableName: deps.table.name, Item: sourceItem(after) } }, ...keyItems], {
        actor,
        action: 'source.update',
        target: `source/${sourceId}`,
        detail: { settings, secretsChanged: Object.keys(secrets), ...(replacedKey ? { previousKeyUntil: replacedKey.until ?? 'now' } : {}) },
        at,
      });
      if (replacedKey) await retireSourceApiKey(deps.table, replacedKey.key, sourceId, replacedKey.until);
      return json(200, present(after, apiBase));
    }
    case 'DELETE /v1/admin/sources/{sourceId}': {
      const before = await existing(deps, sourceId);
      const after: Source = { ...before, enabled: false, updatedAt: at };
      // Refused from the next request on: intake reads the source on every request.
      await writeAudited(deps.table, [{ Put: { TableName: deps.table.name, Item: sourceItem(after) } }], {
        actor,
        action: 'source.disable',
        target: `source/${sourceId}`,
        at,
      });
      return json(200, present(after, apiBase));
    }
    default:
      throw new ClientError(404, 'not_found', `no sources route ${event.routeKey}`);
  }
}
