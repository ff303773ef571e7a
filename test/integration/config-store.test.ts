import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultScoringConfig, type ScoringConfig } from '../../shared/domain/scoring.js';
import { listAudit, recordAudit } from '../../shared/store/audit-store.js';
import {
  activateConfigVersion,
  activeRoutingConfig,
  activeScoringConfig,
  createConfigVersion,
  forgetActiveConfigs,
  getConfigVersion,
  listConfigVersions,
  readActiveConfig,
} from '../../shared/store/config-store.js';
import { putRep, putRoutingConfig, putTeam } from '../../shared/store/directory-store.js';
import { funnelMarkForTest } from '../support/captured-leads.js';
import { leadsByIds, readRoutingSnapshot, recentLeadIds } from '../../shared/store/routing-snapshot.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());
beforeEach(() => forgetActiveConfigs());

const by = { actor: 'ops admin', at: '2026-11-20T10:00:00.000Z' };

describe('config store', () => {
  it('serves the default scoring config until one is activated', async () => {
    expect(await activeScoringConfig(table)).toEqual(defaultScoringConfig);
  });

  it('reads the legacy routing item that seedLocal and setup:aws write', async () => {
    await putRoutingConfig(table, { fallbackTeamId: 'sales' });
    expect(await activeRoutingConfig(table)).toEqual({ fallbackTeamId: 'sales' });
    expect((await readActiveConfig(table, 'routing'))?.version).toBeUndefined();
  });

  it('numbers drafts 1, 2, 3 per kind, distinct under concurrent creation', async () => {
    const config: ScoringConfig = { rules: [], grades: [{ grade: 'cold', min: 0 }] };
    const versions = await Promise.all(Array.from({ length: 5 }, () => createConfigVersion(table, 'scoring', config, by)));
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect((await listConfigVersions(table, 'scoring')).map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
    expect(await listConfigVersions(table, 'routing')).toEqual([]);
  });

  it('does not make a draft active until it is activated', async () => {
    const draft = await createConfigVersion(table, 'routing', { fallbackTeamId: 'enterprise' }, by);
    expect(await activeRoutingConfig(table)).toEqual({ fallbackTeamId: 'sales' });
    expect(await getConfigVersion(table, 'routing', draft.version)).toEqual({
      kind: 'routing',
      version: draft.version,
      config: { fallbackTeamId: 'enterprise' },
      createdAt: by.at,
      createdBy: 'ops admin',
    });
  });

  it('activates a version so the active item carries it and its activation', async () => {
    const config = { rules: [{ id: 'de', when: [{ fact: 'country', op: 'equals' as const, value: 'DE' }], to: { teamId: 'dach' } }], fallbackTeamId: 'sales' };
    const draft = await createConfigVersion(table, 'routing', config, by);
    await activateConfigVersion(table, draft, { actor: 'ops admin', at: '2026-11-20T11:00:00.000Z' });
    expect(await activeRoutingConfig(table)).toEqual(config);
    expect(await readActiveConfig(table, 'routing')).toMatchObject({ version: draft.version, activatedBy: 'ops admin' });
  });

  it('keeps serving a cached active config for a moment, and the new one after the cache is dropped', async () => {
    const first = await createConfigVersion(table, 'scoring', { rules: [], grades: [{ grade: 'a', min: 0 }] }, by);
    await activateConfigVersion(table, first, by);
    expect((await activeScoringConfig(table)).grades[0]!.grade).toBe('a');
    // Another process activates directly in the table: this process still has 'a' cached.
    const second = await createConfigVersion(table, 'scoring', { rules: [], grades: [{ grade: 'b', min: 0 }] }, by);
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await table.client.send(new PutCommand({ TableName: table.name, Item: { PK: 'CONFIG', SK: 'SCORING#active', ...second.config, activeVersion: second.version } }));
    expect((await activeScoringConfig(table)).grades[0]!.grade).toBe('a');
    forgetActiveConfigs();
    expect((await activeScoringConfig(table)).grades[0]!.grade).toBe('b');
  });
});

describe('audit log', () => {
  it('lists changes newest first, a page at a time', async () => {
    for (let i = 0; i < 5; i++) {
      await recordAudit(table, { actor: 'ops admin', action: 'config.draft', target: `routing/v${i}`, detail: { i }, at: `2026-11-2${i}T10:00:00.000Z` });
    }
    const first = await listAudit(table, { limit: 2 });
    expect(first.entries.map((e) => e.target)).toEqual(['routing/v4', 'routing/v3']);
    const second = await listAudit(table, { limit: 2, cursor: first.next });
    expect(second.entries.map((e) => e.target)).toEqual(['routing/v2', 'routing/v1']);
    const third = await listAudit(table, { limit: 2, cursor: second.next });
    expect(third.entries).toEqual([{ actor: 'ops admin', action: 'config.draft', target: 'routing/v0', detail: { i: 0 }, at: '2026-11-20T10:00:00.000Z' }]);
  });

  it('refuses a cursor it did not give out', async () => {
    await expect(listAudit(table, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('routing snapshot reads', () => {
  it('reads the named teams with their reps and the named reps with their teams; missing ones are absent', async () => {
    await putTeam(table, { teamId: 'dach', name: 'DACH', strategy: 'round_robin' });
    await putTeam(table, { teamId: 'vip', name: 'VIP', strategy: 'round_robin' });
    await putRep(table, { repId: 'jonas', teamId: 'dach', name: 'Jonas', active: true });
    await putRep(table, { repId: 'lena', teamId: 'dach', name: 'Lena', active: false });
    await putRep(table, { repId: 'vera', teamId: 'vip', name: 'Vera', active: true });
    const snapshot = await readRoutingSnapshot(table, { teamIds: ['dach', 'ghost'], repIds: ['vera', 'nobody'] }, new Date());
    expect([...snapshot.teams.keys()].sort()).toEqual(['dach', 'vip']);
    expect(snapshot.repsByTeam.get('dach')?.map((r) => r.repId)).toEqual(['jonas', 'lena']);
    expect([...snapshot.reps.keys()].sort()).toEqual(['jonas', 'lena', 'vera']);
    expect(snapshot.loads.get('jonas')).toEqual({ thisHour: 0, today: 0, open: 0 });
  });

  it('finds the last N captured leads newest first across days, and reads them in the order asked', async () => {
    const now = new Date('2026-11-20T12:00:00.000Z');
    await funnelMarkForTest(table, '2026-11-20', ['01K0000000000000000000000C', '01K0000000000000000000000D']);
    await funnelMarkForTest(table, '2026-11-19', ['01K0000000000000000000000A', '01K0000000000000000000000B']);
    expect(await recentLeadIds(table, 3, now)).toEqual(['01K0000000000000000000000D', '01K0000000000000000000000C', '01K0000000000000000000000B']);
    expect(await recentLeadIds(table, 10, now)).toHaveLength(4);
    expect((await leadsByIds(table, ['01K0000000000000000000000B', 'missing', '01K0000000000000000000000D'])).map((l) => l.leadId)).toEqual([
      '01K0000000000000000000000B',
      '01K0000000000000000000000D',
    ]);
  });
});
