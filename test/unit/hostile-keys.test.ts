import { createHmac } from 'node:crypto';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRoutingConfig, validateScoringConfig } from '../../shared/domain/config-validation.js';
import { parseAvailability, parseNewRep, parseNewTeam, patchRep, patchTeam } from '../../shared/domain/directory-input.js';
import type { Rep, Team } from '../../shared/domain/directory.js';
import { ClientError } from '../../shared/domain/errors.js';
import { parseStatusChange } from '../../shared/domain/lead-status.js';
import { parsePurchase } from '../../shared/domain/purchase-input.js';
import { parseValueSettings } from '../../shared/domain/value-settings.js';
import { boundLead } from '../../shared/intake/bounds.js';
import { readWebFormFields, webFormLead } from '../../shared/use-cases/capture-web-form-lead.js';
import { adAdapters } from '../../shared/sources/ads.js';
import { callAdapters } from '../../shared/sources/calls.js';
import { formAdapters } from '../../shared/sources/forms.js';
import { readSourceInput } from '../../shared/sources/source-config.js';
import { MARSHALL_OPTIONS } from '../../shared/store/marshall-options.js';
import { inboundRequest } from './sources/inbound-request.js';

/** Every name on Object.prototype, and the ones that trip code that treats a map as an object. */
const PROTOTYPE_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', '__defineGetter__', 'then'];
const hostileKey = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.constantFrom('email', 'phone', 'name', 'utm_source'), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));
/** A JSON object as JSON.parse builds it, so `__proto__` is an own key as it is in a real request. */
const hostileObject = (value: fc.Arbitrary<unknown>) =>
  fc.array(fc.tuple(hostileKey, value), { maxLength: 8 }).map((pairs) => JSON.parse(JSON.stringify(Object.fromEntries(pairs))) as Record<string, unknown>);
const hostileJson = hostileObject(fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), hostileObject(scalar)));
const withContact = hostileObject(scalar).map((o) => JSON.parse(JSON.stringify({ ...o, email: 'ada@example.com' })) as Record<string, unknown>);
/** Bodies that always carry one prototype name as a key, for readers that must refuse unknown keys. */
const withPrototypeKey = fc
  .tuple(hostileJson, fc.constantFrom(...PROTOTYPE_NAMES), scalar)
  .map(([body, key, value]) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)},${JSON.stringify(body).slice(1)}`.replace(/,}$/, '}')) as Record<string, unknown>);

/** Runs `read`; the only acceptable failure is a ClientError with a 4xx status. Answers the result, if any. */
function outcome<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    expect(error.statusCode).toBeGreaterThanOrEqual(400);
    expect(error.statusCode).toBeLessThan(500);
    return undefined;
  }
}

/** What would be stored: it marshals with the functions' options and comes back with every key it had. */
function expectStorable(value: Record<string, unknown>): void {
  const stored = unmarshall(marshall(value, MARSHALL_OPTIONS));
  expect(Object.keys(stored).sort()).toEqual(Object.keys(value).filter((k) => value[k] !== undefined).sort());
}

function expectStorableLead(lead: { answers: Record<string, string> }): void {
  const bounded = boundLead(lead as never);
  expectStorable(bounded.answers);
  expectStorable(bounded as unknown as Record<string, unknown>);
}

const NOW = new Date();
const secrets = { token: 'tok', key: 'key', secret: 'sec', verifyToken: 'v', appSecret: 'app', google_key: 'g', signingSecret: 'sec', authToken: 'a' };

/** The credentials each form provider checks, so that a hostile body reaches its parser. */
function signed(provider: string, raw: Buffer): { headers: Record<string, string>; query: Record<string, string> } {
  const ts = String(Math.floor(NOW.getTime() / 1000));
  switch (provider) {
    case 'tilda':
      return { headers: {}, query: { token: 'tok' } };
    case 'html_form':
      return { headers: { 'x-api-key': 'key' }, query: {} };
    case 'typeform':
      return { headers: { 'typeform-signature': `sha256=${createHmac('sha256', 'sec').update(raw).digest('base64')}` }, query: {} };
    case 'webflow': {
      const ms = String(NOW.getTime());
      return { headers: { 'x-webflow-timestamp': ms, 'x-webflow-signature': createHmac('sha256', 'sec').update(Buffer.concat([Buffer.from(`${ms}:`), raw])).digest('hex') }, query: {} };
    }
    case 'signed_json':
      return { headers: { 'x-leadflow-timestamp': ts, 'x-leadflow-signature': `sha256=${createHmac('sha256', 'sec').update(Buffer.concat([Buffer.from(`${ts}.`), raw])).digest('hex')}` }, query: {} };
    default:
      return { headers: {}, query: {} };
  }
}

describe('sender keys named like Object.prototype members', () => {
  it('are plain answers of a web-form lead, JSON or urlencoded, and the lead is storable with every answer', async () => {
    await fc.assert(
      fc.asyncProperty(withContact, fc.boolean(), async (body, urlencoded) => {
        const text = urlencoded ? new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v ?? '')])).toString() : JSON.stringify(body);
        const mediaType = urlencoded ? 'application/x-www-form-urlencoded' : 'application/json';
        const fields = await readWebFormFields({ mediaType, raw: Buffer.from(text), text }, mediaType).catch((error: unknown) => outcome(() => {
          throw error;
        }));
        const lead = fields && outcome(() => webFormLead(fields, {}));
        if (lead) expectStorableLead(lead);
      }),
      { numRuns: 300 },
    );
  });

  it('reach every form, ad and call adapter as data: a delivery or a 4xx, and every lead storable', () => {
    const adapters = [...formAdapters, ...adAdapters, ...callAdapters];
    fc.assert(
      fc.property(fc.constantFrom(...adapters), hostileJson, withContact, fc.boolean(), (adapter, noise, contact, nestLead) => {
        const body = nestLead ? { ...noise, leads: [contact], data: contact, payload: { data: contact } } : { ...noise, ...contact };
        const raw = Buffer.from(JSON.stringify(body));
        for (const mediaType of adapter.accepts.filter((t) => t !== 'multipart/form-data')) {
          const bytes = mediaType === 'application/json' ? raw : Buffer.from(new URLSearchParams(Object.entries(contact).map(([k, v]): [string, string] => [k, String(v ?? '')])).toString());
          const request = inboundRequest({ raw: bytes, mediaType, receivedAt: NOW, ...signed(adapter.provider, bytes) });
          const delivery = outcome(() => {
            adapter.verify(request, { sourceId: 'src', secrets });
            return adapter.parse(request, { sourceId: 'src', secrets });
          });
          if (delivery?.kind === 'leads') for (const lead of delivery.leads) expectStorableLead(lead);
        }
      }),
      { numRuns: 300 },
    );
  });

  const rep: Rep = { repId: 'ana', teamId: 'sales', name: 'Ana', active: true };
  const team: Team = { teamId: 'sales', name: 'Sales', strategy: 'round_robin' };
  const adminReaders: Array<[string, (body: unknown) => unknown]> = [
    ['a new rep', (b) => parseNewRep(b)],
    ['a new team', (b) => parseNewTeam(b)],
    ['a rep patch', (b) => patchRep(rep, b)],
    ['a team patch', (b) => patchTeam(team, b)],
    ['a new source', (b) => readSourceInput(b, 'create')],
    ['a source update', (b) => readSourceInput(b, 'update', 'html_form')],
    ['a status change', (b) => parseStatusChange(b)],
    ['a purchase', (b) => parsePurchase(b, NOW)],
    ['value settings', (b) => parseValueSettings(b)],
    ['an availability', (b) => parseAvailability(b, NOW)],
    ['a scoring config', (b) => mustValidate(validateScoringConfig(b))],
    ['a routing config', (b) => mustValidate(validateRoutingConfig(b, { activeRepsByTeam: new Map([['sales', 1]]), reps: new Map([['ana', { active: true }]]) }))],
  ];

  it.each(adminReaders)('are refused with 400 in %s, before anything could be written', (_what, read) => {
    fc.assert(
      fc.property(withPrototypeKey, (body) => {
        expect(() => read(body)).toThrow(ClientError);
        try {
          read(body);
        } catch (error) {
          expect((error as ClientError).statusCode).toBe(400);
        }
      }),
      { numRuns: 200 },
    );
  });

  it.each(adminReaders)('never cause anything but a value or a 4xx in %s, at any depth', (_what, read) => {
    fc.assert(
      fc.property(fc.oneof(hostileJson, fc.anything()), (body) => {
        const value = outcome(() => read(body));
        if (value && typeof value === 'object') expectStorable(value as Record<string, unknown>);
      }),
      { numRuns: 200 },
    );
  });
});

function mustValidate(result: { ok: boolean; problems?: Array<{ field: string; problem: string }> }): unknown {
  if (!result.ok) throw new ClientError(400, 'invalid_request', 'invalid', result.problems);
  return (result as unknown as { config: unknown }).config;
}
