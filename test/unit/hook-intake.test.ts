import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../shared/domain/directory.js';
import { ClientError, UnauthorizedError } from '../../shared/domain/errors.js';
import { handleHook, MAX_HOOK_BYTES, type HookIntakeDeps } from '../../shared/intake/hook-intake.js';
import type { Delivery, SourceAdapter } from '../../shared/sources/adapter.js';
import { htmlFormAdapter } from '../../shared/sources/html-form.js';
import { PLAIN_FORM_MAX_BYTES } from '../../shared/sources/web-form.js';
import type { Table } from '../../shared/store/table.js';
import { outboxEventsOf } from '../support/announcements.js';

const sources: Record<string, Source> = {
  calls: { sourceId: 'calls', name: 'Calls', provider: 'fake', enabled: true, teamId: 'phones' },
  off: { sourceId: 'off', name: 'Off', provider: 'fake', enabled: false },
  other: { sourceId: 'other', name: 'Other', provider: 'tilda', enabled: true },
};

function fakeAdapter(delivery: Delivery): SourceAdapter {
  return {
    provider: 'fake',
    family: 'calls',
    channel: 'phone',
    secrets: [{ name: 'secret', description: 'x', required: true }],
    accepts: ['application/json'],
    handshake: (request) => ({ kind: 'reply', statusCode: 200, contentType: 'text/plain', body: request.query.echo ?? '' }),
    verify: (request, source) => {
      if (request.headers['x-signature'] !== source.secrets.secret) throw new UnauthorizedError('bad signature');
    },
    parse: () => delivery,
  };
}

/** A table that keeps the items it is asked to put (what a delivery writes), or refuses while `down`. */
function fakeTable() {
  const items: Array<Record<string, any>> = [];
  const state = { down: false };
  const table = {
    name: 'leadflow',
    client: {
      send: async (command: { input: { Item?: Record<string, any> } }) => {
        if (state.down) throw new Error('ProvisionedThroughputExceededException: table down');
        if (!command.input.Item) throw new Error('this fake table only takes PutItem');
        items.push(command.input.Item);
        return {};
      },
    },
  } as unknown as Table;
  return { table, items, state };
}

function setup(delivery: Delivery) {
  const { table, items, state } = fakeTable();
  /** What the delivery items written so far announce, in order. */
  const announced = () => items.flatMap(outboxEventsOf);
  const deps: HookIntakeDeps = {
    table,
    now: () => new Date('2026-11-30T10:00:00Z'),
    contentWindowSeconds: 600,
    sourceOf: async (id) => sources[id],
    secretsOf: async () => ({ secret: 'right' }),
  };
  return { deps, items, announced, table: state, adapters: new Map([['fake', fakeAdapter(delivery)]]) };
}

function event(options: { method?: string; path?: string; sourceId?: string; body?: string; type?: string; signature?: string; query?: string }): APIGatewayProxyEventV2 {
  const sourceId = options.sourceId ?? 'calls';
  return {
    rawPath: options.path ?? `/v1/hooks/fake/${sourceId}`,
    rawQueryString: options.query ?? '',
    headers: { host: 'api.example.com', 'content-type': options.type ?? 'application/json', 'x-signature': options.signature ?? 'right' },
    pathParameters: { sourceId },
    requestContext: { http: { method: options.method ?? 'POST' }, domainName: 'api.example.com', timeEpoch: Date.parse('2026-11-30T10:00:00Z') },
    body: options.body ?? '{}',
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

const call = {
  provider: 'fake', callId: 'c1', eventId: 'c1:ringing', direction: 'inbound', state: 'ringing',
  occurredAt: '2026-11-30T09:59:59.000Z', from: '+14155550100', attribution: {}, isTest: false,
} as const;

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return error instanceof ClientError ? error.statusCode : 500;
  }
}

describe('taking a provider webhook', () => {
  it('writes each call event, with its source and team hint, as the announcement of one delivery item, then answers 200', async () => {
    const { deps, items, announced, adapters } = setup({ kind: 'calls', calls: [call], rejected: [] });
    const answer = await handleHook(deps, adapters, event({}));
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body!)).toEqual({ ok: true, calls: 1 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ PK: expect.stringMatching(/^DELIVERY#/), SK: 'A', sourceId: 'calls', receivedAt: '2026-11-30T10:00:00.000Z', outbox: { id: expect.any(String) } });
    expect(announced()).toEqual([
      { detailType: 'Call Tracked', detail: { version: 1, sourceId: 'calls', call, receivedAt: '2026-11-30T10:00:00.000Z', teamHint: 'phones' } },
    ]);
  });

  it('answers a handshake exactly as the adapter says, storing nothing', async () => {
    const { deps, items, adapters } = setup({ kind: 'ignored', reason: 'x' });
    const answer = await handleHook(deps, adapters, event({ method: 'GET', query: 'echo=abc' }));
    expect(answer).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'abc' });
    expect(items).toEqual([]);
  });

  it('refuses in order: unknown provider or source 404, disabled 403, too big 413, wrong type 415, unsigned 401', async () => {
    const { deps, items, adapters } = setup({ kind: 'calls', calls: [call], rejected: [] });
    expect(await statusOf(handleHook(deps, adapters, event({ path: '/v1/hooks/nope/calls' })))).toBe(404);
    expect(await statusOf(handleHook(deps, adapters, event({ sourceId: 'missing' })))).toBe(404);
    expect(await statusOf(handleHook(deps, adapters, event({ sourceId: 'other' })))).toBe(404);
    expect(await statusOf(handleHook(deps, adapters, event({ sourceId: 'off' })))).toBe(403);
    expect(await statusOf(handleHook(deps, adapters, event({ body: 'x'.repeat(MAX_HOOK_BYTES + 1), signature: 'wrong', type: 'text/plain' })))).toBe(413);
    expect(await statusOf(handleHook(deps, adapters, event({ type: 'text/plain', signature: 'wrong' })))).toBe(415);
    expect(await statusOf(handleHook(deps, adapters, event({ signature: 'wrong' })))).toBe(401);
    expect(items).toEqual([]);
  });

  it('answers 413 above an adapter’s own smaller limit, as a plain form gets on both of its routes', async () => {
    const { deps, items, adapters } = setup({ kind: 'calls', calls: [call], rejected: [] });
    adapters.get('fake')!.maxBytes = PLAIN_FORM_MAX_BYTES;
    expect(await statusOf(handleHook(deps, adapters, event({ body: 'x'.repeat(PLAIN_FORM_MAX_BYTES + 1), signature: 'right' })))).toBe(413);
    expect(await statusOf(handleHook(deps, adapters, event({ signature: 'right' })))).toBe(200);
    expect(htmlFormAdapter.maxBytes).toBe(PLAIN_FORM_MAX_BYTES);
    expect(items).toHaveLength(1);
  });

  it('answers 405 to a GET for a provider without a handshake', async () => {
    const { deps, adapters } = setup({ kind: 'ignored', reason: 'x' });
    delete adapters.get('fake')!.handshake;
    expect(await statusOf(handleHook(deps, adapters, event({ method: 'GET' })))).toBe(405);
  });

  it('answers 400 naming the problems when nothing in the request can be read, and lists rejects beside what could', async () => {
    const rejected = [{ field: 'calls[1].from', problem: 'is not a phone number' }];
    const none = setup({ kind: 'calls', calls: [], rejected });
    await expect(handleHook(none.deps, none.adapters, event({}))).rejects.toMatchObject({ statusCode: 400, fields: rejected });
    const some = setup({ kind: 'calls', calls: [call], rejected });
    expect(JSON.parse((await handleHook(some.deps, some.adapters, event({}))).body!)).toEqual({ ok: true, calls: 1, rejected });
  });

  it('fails (so the sender retries) when the table does not take the delivery', async () => {
    const { deps, items, table, adapters } = setup({ kind: 'calls', calls: [call], rejected: [] });
    table.down = true;
    await expect(handleHook(deps, adapters, event({}))).rejects.toThrow('table down');
    expect(items).toEqual([]);
  });

  it('writes a lead reference and a withdrawal as announcements for the lead fetcher', async () => {
    const ref = { provider: 'fake', externalId: '123', externalIds: { form_id: '9' }, attribution: {}, isTest: false };
    const refs = setup({ kind: 'lead-refs', refs: [ref], rejected: [] });
    await handleHook(refs.deps, refs.adapters, event({}));
    expect(refs.announced()).toEqual([
      { detailType: 'Lead Referenced', detail: expect.objectContaining({ sourceId: 'calls', externalId: '123', externalIds: { form_id: '9' } }) },
    ]);
    const gone = setup({ kind: 'suppressions', provider: 'fake', externalIds: ['123'] });
    await handleHook(gone.deps, gone.adapters, event({}));
    expect(gone.announced()).toEqual([{ detailType: 'Lead Withdrawn', detail: expect.objectContaining({ provider: 'fake', externalId: '123' }) }]);
  });
});
