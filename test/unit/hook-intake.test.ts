import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { OutgoingEvent } from '../../shared/aws/event-publisher.js';
import type { Source } from '../../shared/domain/directory.js';
import { ClientError, UnauthorizedError } from '../../shared/domain/errors.js';
import { handleHook, MAX_HOOK_BYTES, type HookIntakeDeps } from '../../shared/intake/hook-intake.js';
import type { Delivery, SourceAdapter } from '../../shared/sources/adapter.js';
import type { Table } from '../../shared/store/table.js';

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

function setup(delivery: Delivery) {
  const published: OutgoingEvent[] = [];
  const deps: HookIntakeDeps = {
    // Only lead deliveries touch the table; these tests send none.
    table: {} as Table,
    publisher: { publish: async (...events) => void published.push(...events) },
    now: () => new Date('2026-11-30T10:00:00Z'),
    contentWindowSeconds: 600,
    sourceOf: async (id) => sources[id],
    secretsOf: async () => ({ secret: 'right' }),
  };
  return { deps, published, adapters: new Map([['fake', fakeAdapter(delivery)]]) };
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
  it('publishes each call event with its source and team hint, then answers 200', async () => {
    const { deps, published, adapters } = setup({ kind: 'calls', calls: [call], rejected: [] });
    const answer = await handleHook(deps, adapters, event({}));
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body!)).toEqual({ ok: true, calls: 1 });
    expect(published).toEqual([
      { detailType: 'Call Tracked', detail: { version: 1, sourceId: 'calls', call, receivedAt: '2026-11-30T10:00:00.000Z', teamHint: 'phones' } },
    ]);
  });

  it('answers a handshake exactly as the adapter says, storing nothing', async () => {
    const { deps, published, adapters } = setup({ kind: 'ignored', reason: 'x' });
    const answer = await handleHook(deps, adapters, event({ method: 'GET', query: 'echo=abc' }));
    expect(answer).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'abc' });
    expect(published).toEqual([]);
  });

  it('refuses in order: unknown provider or source 404, disabled 403, too big 413, wrong type 415, unsigned 401', async () => {
    const { deps, published, adapters } = setup({ kind: 'calls', calls: [call], rejected: [] });
    expect(await statusOf(handleHook(deps, adapters, event({ path: '/v1/hooks/nope/calls' })))).toBe(404);
    expect(await statusOf(handleHook(deps, adapters, event({ sourceId: 'missing' })))).toBe(404);
    expect(await statusOf(handleHook(deps, adapters, event({ sourceId: 'other' })))).toBe(404);
    expect(await statusOf(handleHook(deps, adapters, event({ sourceId: 'off' })))).toBe(403);
    expect(await statusOf(handleHook(deps, adapters, event({ body: 'x'.repeat(MAX_HOOK_BYTES + 1), signature: 'wrong', type: 'text/plain' })))).toBe(413);
    expect(await statusOf(handleHook(deps, adapters, event({ type: 'text/plain', signature: 'wrong' })))).toBe(415);
    expect(await statusOf(handleHook(deps, adapters, event({ signature: 'wrong' })))).toBe(401);
    expect(published).toEqual([]);
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

  it('fails (so the sender retries) when the bus does not take the events', async () => {
    const { deps, adapters } = setup({ kind: 'calls', calls: [call], rejected: [] });
    deps.publisher = { publish: async () => Promise.reject(new Error('bus down')) };
    await expect(handleHook(deps, adapters, event({}))).rejects.toThrow('bus down');
  });

  it('publishes a lead reference and a withdrawal for the lead fetcher', async () => {
    const ref = { provider: 'fake', externalId: '123', externalIds: { form_id: '9' }, attribution: {}, isTest: false };
    const refs = setup({ kind: 'lead-refs', refs: [ref], rejected: [] });
    await handleHook(refs.deps, refs.adapters, event({}));
    expect(refs.published[0]).toMatchObject({ detailType: 'Lead Referenced', detail: { sourceId: 'calls', externalId: '123', externalIds: { form_id: '9' } } });
    const gone = setup({ kind: 'suppressions', provider: 'fake', externalIds: ['123'] });
    await handleHook(gone.deps, gone.adapters, event({}));
    expect(gone.published[0]).toMatchObject({ detailType: 'Lead Withdrawn', detail: { provider: 'fake', externalId: '123' } });
  });
});
