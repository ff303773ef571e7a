import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let sourceKey: string;
let adminToken: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  sourceKey = platform.credentials.sources[0]!.key;
  adminToken = platform.credentials.adminToken;
});

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

const admin = (method: string, path: string, json?: unknown) => call(method, path, { key: adminToken, json });
const storedLead = (leadId: string) =>
  eventually(() => call('GET', `/v1/leads/${leadId}`, { key: adminToken }), (r) => r.status === 200 && typeof r.body.score === 'number', 20_000);
/** Active configs are cached per process for up to 2 s. */
const pastConfigCache = () => new Promise((r) => setTimeout(r, 2_500));

const enterpriseScoring = {
  rules: [
    { id: 'enterprise-plan', when: [{ fact: 'answers.plan', op: 'in', values: ['enterprise', 'scale'] }], points: 70, reason: 'asked for the enterprise plan' },
    { id: 'has-email', when: [{ fact: 'email', op: 'present' }], points: 5, reason: 'left an email' },
  ],
  grades: [
    { grade: 'hot', min: 70 },
    { grade: 'cold', min: 0 },
  ],
};

describe('the admin config API through the running platform', () => {
  it('refuses a config API call without an admin token', async () => {
    expect((await call('GET', '/v1/admin/config/scoring')).status).toBe(401);
    expect((await call('GET', '/v1/admin/config/scoring', { key: sourceKey })).status).toBe(403);
  });

  it('answers 400 with the field named for each kind of invalid config', async () => {
    const cases: Array<[string, unknown, { field: string; problem: RegExp }]> = [
      ['routing', { fallbackTeamId: 'demo', fallback: 'x' }, { field: 'fallback', problem: /is not a known field/ }],
      ['routing', { fallbackTeamId: 'nowhere' }, { field: 'fallbackTeamId', problem: /team "nowhere" does not exist/ }],
      [
        'routing',
        { fallbackTeamId: 'demo', rules: [{ id: 'x', when: [{ fact: 'phone', op: 'present' }, { fact: 'phone', op: 'absent' }], to: { teamId: 'demo' } }] },
        { field: 'rules.0.when', problem: /contradict each other/ },
      ],
      [
        'routing',
        { fallbackTeamId: 'demo', rules: [{ id: 'x', when: [{ fact: 'score', op: 'between', min: 9, max: 1 }], to: { teamId: 'demo' } }] },
        { field: 'rules.0.when.0', problem: /min 9 is above max 1/ },
      ],
      [
        'routing',
        { fallbackTeamId: 'demo', rules: [{ id: 'x', when: [{ fact: 'country', op: 'in', values: [] }], to: { teamId: 'demo' } }] },
        { field: 'rules.0.when.0.values', problem: /empty list/ },
      ],
      [
        'routing',
        {
          fallbackTeamId: 'demo',
          rules: [
            { id: 'all', when: [], to: { teamId: 'demo' } },
            { id: 'de', when: [{ fact: 'country', op: 'equals', value: 'DE' }], to: { teamId: 'demo' } },
          ],
        },
        { field: 'rules.1', problem: /is shadowed/ },
      ],
      ['routing', { fallbackTeamId: 'demo', rules: [{ id: 'x', when: [], to: { repId: 'zed' } }] }, { field: 'rules.0.to.repId', problem: /rep "zed" does not exist/ }],
      ['scoring', { rules: [], grades: [{ grade: 'warm', min: 30 }, { grade: 'hot', min: 60 }] }, { field: 'grades.1.min', problem: /highest threshold down/ }],
    ];
    for (const [kind, config, expected] of cases) {
      const response = await admin('POST', `/v1/admin/config/${kind}`, config);
      expect(response.status, JSON.stringify(config)).toBe(400);
      expect(response.body.fields).toContainEqual({ field: expected.field, problem: expect.stringMatching(expected.problem) });
    }
  });

  it('scores a posted lead by a scoring config only once it is activated', async () => {
    const draft = await admin('POST', '/v1/admin/config/scoring', enterpriseScoring);
    expect(draft.status).toBe(201);
    const version = draft.body.version;

    const before = await call('POST', '/v1/leads', { key: sourceKey, json: { name: 'Before', email: 'b@acme.example', plan: 'enterprise' } });
    const beforeLead = await storedLead(before.body.leadId);
    expect(beforeLead.body.reasons.map((r: { rule: string }) => r.rule)).not.toContain('enterprise-plan');

    const activated = await admin('POST', `/v1/admin/config/scoring/${version}/activate`);
    expect(activated.status).toBe(200);
    const overview = await admin('GET', '/v1/admin/config/scoring');
    expect(overview.body.active).toMatchObject({ version, activatedBy: 'local admin' });
    expect(overview.body.versions.map((v: { version: number }) => v.version)).toContain(version);
    expect((await admin('GET', `/v1/admin/config/scoring/${version}`)).body.config).toEqual(enterpriseScoring);
    await pastConfigCache();

    const after = await call('POST', '/v1/leads', { key: sourceKey, json: { name: 'After', email: 'a@acme.example', plan: 'enterprise' } });
    const { body: lead } = await storedLead(after.body.leadId);
    expect(lead.score).toBe(75);
    expect(lead.grade).toBe('hot');
    expect(lead.reasons[0]).toEqual({
      rule: 'enterprise-plan',
      points: 70,
      reason: 'asked for the enterprise plan',
      because: ['answers.plan "enterprise" is one of "enterprise", "scale"'],
    });
  });

  it('simulates a draft routing config over given leads without assigning anything', async () => {
    const posted: string[] = [];
    // Distinct people: qualify merges a re-submission by the same person into their open lead.
    for (const [i, vip] of ['yes', 'yes', 'yes', 'no', 'no', 'no'].entries()) {
      const r = await call('POST', '/v1/leads', { key: sourceKey, json: { name: `VIP ${vip} ${i}`, email: `vip-${i}@acme.example`, vip } });
      posted.push(r.body.leadId);
    }
    // Each lead is assigned before its owner is taken as the one that must not change.
    const owners = await Promise.all(
      posted.map(async (id) => (await eventually(() => call('GET', `/v1/leads/${id}`, { key: adminToken }), (r) => Boolean(r.body.ownerId), 20_000)).body.ownerId),
    );

    const draft = {
      rules: [{ id: 'vip', when: [{ fact: 'answers.vip', op: 'equals', value: 'yes' }], to: { repId: 'alice' } }],
      fallbackTeamId: 'demo',
    };
    const simulated = await admin('POST', '/v1/routing/simulate', { config: draft, leads: posted });
    expect(simulated.status).toBe(200);
    expect(simulated.body.leads).toBe(6);
    expect(simulated.body.active).toMatchObject({ byTeam: { demo: 6 }, byRep: { alice: 2, bob: 2, carol: 2 }, unassigned: [] });
    expect(simulated.body.draft).toMatchObject({ byTeam: { demo: 6 }, byRep: { alice: 4, bob: 1, carol: 1 }, unassigned: [] });
    expect(simulated.body.diff.moves).toEqual([
      { leadId: posted[1], from: { ruleId: 'source-team', teamId: 'demo', repId: 'bob' }, to: { ruleId: 'vip', teamId: 'demo', repId: 'alice' } },
      { leadId: posted[2], from: { ruleId: 'source-team', teamId: 'demo', repId: 'carol' }, to: { ruleId: 'vip', teamId: 'demo', repId: 'alice' } },
    ]);

    const byLast = await admin('POST', '/v1/routing/simulate', { config: draft, last: 3 });
    expect(byLast.status).toBe(200);
    expect(byLast.body.leads).toBe(3);

    // Nothing changed: the leads keep their owners.
    const ownersAfter = await Promise.all(posted.map(async (id) => (await call('GET', `/v1/leads/${id}`, { key: adminToken })).body.ownerId));
    expect(ownersAfter).toEqual(owners);
    expect((await admin('POST', '/v1/routing/simulate', { config: draft, last: 5000 })).body.fields).toEqual([
      { field: 'last', problem: 'must be a whole number from 1 to 1000' },
    ]);
  });

  it('activates a routing version and lists every change in the audit log, newest first', async () => {
    const draft = await admin('POST', '/v1/admin/config/routing', { fallbackTeamId: 'demo', rules: [{ id: 'vip', when: [{ fact: 'answers.vip', op: 'equals', value: 'yes' }], to: { repId: 'alice' } }] });
    expect(draft.status).toBe(201);
    expect((await admin('POST', `/v1/admin/config/routing/${draft.body.version}/activate`)).status).toBe(200);
    expect((await admin('POST', '/v1/admin/config/routing/99/activate')).status).toBe(404);

    const audit = await admin('GET', '/v1/admin/audit?limit=3');
    expect(audit.status).toBe(200);
    expect(audit.body.entries.map((e: { action: string; target: string }) => `${e.action} ${e.target}`)).toEqual([
      `config.activate routing/v${draft.body.version}`,
      `config.draft routing/v${draft.body.version}`,
      'config.activate scoring/v1',
    ]);
    expect(audit.body.entries[0]).toMatchObject({ actor: 'local admin', detail: { previousVersion: 'unversioned' } });
    expect(audit.body.next).toEqual(expect.any(String));
  });
});
