import { createHmac } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, removeDataDir, startPlatformProcess, type RunningPlatform } from '../support/platform-process.js';
import { send } from '../support/route-fuzz.js';

let platform: RunningPlatform;
let call: ReturnType<typeof apiClient>;
let admin: string;
let sourceKey: string;

beforeAll(async () => {
  platform = await startPlatformProcess();
  call = apiClient(platform.apiUrl);
  admin = platform.credentials.adminToken;
  sourceKey = platform.credentials.sources[0]!.key;
});

afterAll(async () => {
  await platform?.stop();
  if (platform) removeDataDir(platform.dataDir);
});

const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  send(platform.apiUrl, { method, path, headers, body: body === undefined ? undefined : Buffer.from(body), route: path });
const lead = (key: string, email: string) => call('POST', '/v1/leads', { key, json: { email } });
const htmlHook = (sourceId: string, key: string, email: string) =>
  call('POST', `/v1/hooks/html_form/${sourceId}`, { headers: { 'x-api-key': key }, form: { email } });
const auditActions = async () => ((await call('GET', '/v1/admin/audit?limit=200', { key: admin })).body.entries as Array<{ action: string; target: string }>);

describe('hostile input never gets a 5xx', () => {
  it('answers 400 for a path parameter whose %-escapes are not UTF-8, on every kind of route', async () => {
    for (const path of ['/v1/leads/%E0%A4%A', '/v1/accept/%C0', '/v1/admin/reps/%ZZ']) expect(await raw('GET', path), path).toBe(400);
    expect(await raw('POST', '/v1/hooks/html_form/%ED%A0%80')).toBe(400);
  });

  it('answers 404 without credentials for a 2,100-byte source id instead of handing it to DynamoDB', async () => {
    expect(await raw('POST', `/v1/hooks/html_form/${'a'.repeat(2100)}`, { 'content-type': 'application/json' }, '{}')).toBe(404);
    expect(await raw('GET', `/v1/leads/${'a'.repeat(2100)}`, { authorization: `Bearer ${admin}` })).toBe(404);
    expect(await raw('GET', `/v1/admin/reps?teamId=${'a'.repeat(2100)}`, { authorization: `Bearer ${admin}` })).toBe(400);
  });

  it('captures a lead with a field named constructor, JSON or urlencoded', async () => {
    const json = await call('POST', '/v1/leads', { key: sourceKey, json: { constructor: '1', __proto__: 'p', email: 'ctor-json@example.com' } });
    expect(json.status).toBe(202);
    const form = await call('POST', '/v1/leads', { key: sourceKey, body: 'constructor=1&toString=2&email=ctor-form%40example.com', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(202);
  });

  it('captures a signed_json webhook with a field named constructor', async () => {
    const created = await call('POST', '/v1/admin/sources', { key: admin, json: { name: 'Signed', provider: 'signed_json', sourceId: 'signed-ctor' } });
    expect(created.status).toBe(201);
    const secret = created.body.generatedSecrets.secret as string;
    const body = JSON.stringify({ event_id: 'ctor-1', constructor: 'x', email: 'ctor-hook@example.com' });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
    const response = await call('POST', '/v1/hooks/signed_json/signed-ctor', {
      body,
      contentType: 'application/json',
      headers: { 'x-leadflow-timestamp': ts, 'x-leadflow-signature': signature },
    });
    expect(response.status, response.text).toBe(200);
  });

  it('refuses admin JSON with a constructor or __proto__ key with 400, saving nothing and auditing nothing', async () => {
    const before = (await auditActions()).length;
    const team = await call('POST', '/v1/admin/teams', { key: admin, body: '{"teamId":"proto-team","name":"T","strategy":"round_robin","constructor":"x"}', contentType: 'application/json' });
    expect(team.status).toBe(400);
    expect(team.body.fields).toContainEqual(expect.objectContaining({ field: 'constructor' }));
    expect((await call('GET', '/v1/admin/teams/proto-team', { key: admin })).status).toBe(404);
    const rep = await call('PATCH', '/v1/admin/reps/alice', { key: admin, body: '{"__proto__":{"active":false},"name":"Mallory"}', contentType: 'application/json' });
    expect(rep.status).toBe(400);
    expect((await call('GET', '/v1/admin/reps/alice', { key: admin })).body.name).toBe('Alice Novak');
    expect((await auditActions()).length).toBe(before);
  });

  it('writes a change and its audit entry together', async () => {
    const created = await call('POST', '/v1/admin/teams', { key: admin, json: { teamId: 'audited', name: 'Audited', strategy: 'round_robin' } });
    expect(created.status).toBe(201);
    expect(await auditActions()).toContainEqual(expect.objectContaining({ action: 'team.create', target: 'team/audited' }));
  });
});

describe('access ends the moment it is revoked', () => {
  it("refuses a disabled source's key and hooks on the very next request", async () => {
    const created = await call('POST', '/v1/admin/sources', { key: admin, json: { name: 'Doomed', provider: 'html_form', sourceId: 'doomed' } });
    const key = created.body.generatedSecrets.key as string;
    expect((await lead(key, 'before@example.com')).status).toBe(202);
    expect((await htmlHook('doomed', key, 'before-hook@example.com')).status).toBe(200);
    expect((await call('DELETE', '/v1/admin/sources/doomed', { key: admin })).status).toBe(200);
    expect((await lead(key, 'after@example.com')).status).toBe(403);
    expect((await htmlHook('doomed', key, 'after-hook@example.com')).status).toBe(403);
  });

  it('takes a new key at once and keeps the old one only for the overlap the admin chose', async () => {
    const created = await call('POST', '/v1/admin/sources', { key: admin, json: { name: 'Rotating', provider: 'html_form', sourceId: 'rotating' } });
    const first = created.body.generatedSecrets.key as string;
    expect((await lead(first, 'first@example.com')).status).toBe(202);
    // Warm every cache a container could have with the first key.
    expect((await htmlHook('rotating', first, 'first-hook@example.com')).status).toBe(200);

    const second = 'second-key-000000000000000000000';
    const overlapping = await call('PATCH', '/v1/admin/sources/rotating', { key: admin, json: { secrets: { key: second }, previousKeyValidSeconds: 600 } });
    expect(overlapping.status, overlapping.text).toBe(200);
    expect((await lead(second, 'second@example.com')).status).toBe(202);
    expect((await htmlHook('rotating', second, 'second-hook@example.com')).status).toBe(200);
    expect((await lead(first, 'first-still@example.com')).status).toBe(202);
    expect((await htmlHook('rotating', first, 'first-still-hook@example.com')).status).toBe(200);

    const third = 'third-key-0000000000000000000000';
    expect((await call('PATCH', '/v1/admin/sources/rotating', { key: admin, json: { secrets: { key: third } } })).status).toBe(200);
    expect((await lead(third, 'third@example.com')).status).toBe(202);
    expect((await htmlHook('rotating', third, 'third-hook@example.com')).status).toBe(200);
    expect((await lead(second, 'second-after@example.com')).status).toBe(401);
    expect((await htmlHook('rotating', second, 'second-after-hook@example.com')).status).toBe(403);
  });

  it('lists, revokes one and revokes all of a rep’s tokens, and refuses an inactive rep’s token', async () => {
    const issue = async () => (await call('POST', '/v1/admin/reps/bob/token', { key: admin })).body as { token: string; tokenId: string };
    const leadsWith = async (token: string) => (await call('GET', '/v1/rep/leads', { key: token })).status;
    const one = await issue();
    const two = await issue();
    expect(await leadsWith(one.token)).toBe(200);

    const listed = await call('GET', '/v1/admin/reps/bob/tokens', { key: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.tokens).toContainEqual({ tokenId: one.tokenId, createdAt: expect.any(String), lastUsedAt: expect.any(String) });
    expect(listed.body.tokens).toContainEqual({ tokenId: two.tokenId, createdAt: expect.any(String) });
    expect(listed.text).not.toContain(one.token);

    expect((await call('DELETE', `/v1/admin/reps/bob/tokens/${one.tokenId}`, { key: admin })).status).toBe(200);
    expect(await leadsWith(one.token)).toBe(401);
    expect(await leadsWith(two.token)).toBe(200);

    expect((await call('PATCH', '/v1/admin/reps/bob', { key: admin, json: { active: false } })).status).toBe(200);
    expect(await leadsWith(two.token)).toBe(401);
    expect((await call('PATCH', '/v1/admin/reps/bob', { key: admin, json: { active: true } })).status).toBe(200);
    expect(await leadsWith(two.token)).toBe(200);

    const three = await issue();
    const all = await call('DELETE', '/v1/admin/reps/bob/tokens', { key: admin });
    expect(all.status).toBe(200);
    expect(await leadsWith(two.token)).toBe(401);
    expect(await leadsWith(three.token)).toBe(401);
    expect((await call('GET', '/v1/admin/reps/bob/tokens', { key: admin })).body.tokens).toEqual([]);
    const four = await issue();
    expect(await leadsWith(four.token)).toBe(200);
  });
});

describe('nothing private leaks', () => {
  it('refuses a rep webhook URL with credentials in it', async () => {
    const response = await call('PATCH', '/v1/admin/reps/carol', { key: admin, json: { webhookUrl: 'http://user:pass@127.0.0.1:9/hook?token=abc' } });
    expect(response.status).toBe(400);
    expect(response.body.fields).toContainEqual(expect.objectContaining({ field: 'webhookUrl' }));
  });

  it('keeps the whole data directory, DynamoDB files included, to its owner (0700)', () => {
    expect(statSync(platform.dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(platform.dataDir, 'dynamodb')).mode & 0o777).toBe(0o700);
  });

  it('shows the demo notifications only with the admin token in a header', async () => {
    expect((await call('GET', '/_demo/notifications')).status).toBe(401);
    expect((await call('GET', '/_demo/notifications', { key: sourceKey })).status).toBe(401);
    expect((await call('GET', `/_demo/notifications?key=${admin}`)).status).toBe(401);
    expect((await call('GET', '/_demo/reps/alice/notifications')).status).toBe(401);
    expect((await call('GET', '/_demo/notifications', { key: admin })).status).toBe(200);
  });
});
