import { dayOf, daysBefore } from '../domain/days.js';
import { connectionSecretsName, type LastPull, type PullPlatform, type SpendConnection } from '../domain/spend-connection.js';

export { connectionSecretsName };
import type { ParsedSpend } from '../domain/spend.js';
import type { RetryPolicy } from '../sources/provider-api.js';
import { listSpendConnections, recordLastPull } from '../store/spend-connection-store.js';
import { saveSpend } from '../store/spend-store.js';
import type { Table } from '../store/table.js';
import { pullGoogleAds, pullMeta, pullYandexDirect, type PullContext, type SpendApis } from './platform-pulls.js';

/** Days pulled each time, today included: platforms revise the last days' costs for about a week. */
export const PULL_DAYS = 7;

export interface PullSpendDeps {
  table: Table;
  /** A connection's API credentials by name. */
  secrets: (connectionId: string) => Promise<Record<string, string>>;
  apis: SpendApis;
  now: () => Date;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
}

const PULLERS: Record<PullPlatform, (c: SpendConnection, ctx: PullContext & { sleep?: (ms: number) => Promise<void> }) => Promise<ParsedSpend>> = {
  meta: pullMeta,
  google_ads: pullGoogleAds,
  yandex_direct: pullYandexDirect,
};

/**
 * Pulls the last `PULL_DAYS` days of every enabled connection and saves them (re-pulled days replace
 * their figures, keeping corrections). One failing account does not stop the others: its error is
 * kept on the connection as `lastPull` and in the answer.
 */
export async function pullSpend(deps: PullSpendDeps, only?: string[]): Promise<Array<LastPull & { connectionId: string }>> {
  const now = deps.now();
  const to = dayOf(now.toISOString());
  const from = daysBefore(to, PULL_DAYS - 1);
  const connections = (await listSpendConnections(deps.table)).filter((c) => c.enabled && (!only || only.includes(c.connectionId)));
  const results: Array<LastPull & { connectionId: string }> = [];
  for (const connection of connections) {
    let lastPull: LastPull;
    try {
      const secrets = await deps.secrets(connection.connectionId);
      const parsed = await PULLERS[connection.platform](connection, { apis: deps.apis, secrets, from, to, fetch: deps.fetch, retry: deps.retry, sleep: deps.sleep });
      const saved = await saveSpend(deps.table, parsed.records, now);
      lastPull = { at: now.toISOString(), from, to, ok: true, ...saved, skipped: parsed.skipped.length };
    } catch (error) {
      lastPull = { at: now.toISOString(), from, to, ok: false, error: (error as Error).message.slice(0, 500) };
    }
    await recordLastPull(deps.table, connection.connectionId, lastPull);
    results.push({ connectionId: connection.connectionId, ...lastPull });
  }
  return results;
}
