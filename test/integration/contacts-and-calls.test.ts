import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallTracked } from '../../events/call-tracked.js';
import type { CallEvent } from '../../shared/domain/call-event.js';
import type { Source } from '../../shared/domain/directory.js';
import { resolveContact } from '../../shared/use-cases/resolve-contact.js';
import { dynamoContactStore } from '../../shared/store/adapters.js';
import { trackCall } from '../../shared/use-cases/track-call.js';
import { getCall } from '../../shared/store/call-store.js';
import { findContactIds, getContact, setContactOwner } from '../../shared/store/contact-store.js';
import { queryAll, type Table } from '../../shared/store/table.js';
import type { TableStream } from '../support/announcements.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stream: TableStream;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stream, stop } = await startTestTable());
});
afterAll(async () => stop?.());

let seq = 0;
const nextId = () => `L${Date.now()}${String(seq++).padStart(4, '0')}`;

function resolve(leadId: string, person: { email?: string; phone?: string }, capturedAt: string, statusOf: (id: string) => Promise<string | undefined> = async () => 'assigned') {
  return resolveContact(dynamoContactStore(table), { leadId, capturedAt, sourceId: 'site', channel: 'web_form', person, mergeWindowSeconds: 3600, statusOf });
}

const touches = (contactId: string) =>
  queryAll(table, { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)', ExpressionAttributeValues: { ':pk': `CONTACT#${contactId}`, ':t': 'TOUCH#' } });

describe('contact resolution on DynamoDB Local', () => {
  it('gives ten leads of one new person arriving at once one contact, with a touchpoint each', async () => {
    const email = `same-${Date.now()}@example.org`;
    const at = new Date().toISOString();
    const leads = Array.from({ length: 10 }, nextId);
    const resolved = await Promise.all(leads.map((id) => resolve(id, { email, phone: '+14155550101' }, at, async () => 'won')));
    const contactIds = new Set(resolved.map((r) => r!.contactId));
    expect(contactIds.size).toBe(1);
    const [contactId] = contactIds;
    expect(leads).toContain(contactId);
    expect(resolved.filter((r) => !r!.returning)).toHaveLength(1);
    expect(await touches(contactId!)).toHaveLength(10);
    expect(await findContactIds(table, { email, phone: '+14155550101' })).toEqual({ byEmail: contactId, byPhone: contactId });
  });

  it('matches a returning person by phone alone, adds their email, and carries their owner', async () => {
    const phone = '+14155550102';
    const first = nextId();
    const created = await resolve(first, { phone }, '2026-01-01T10:00:00.000Z');
    await setContactOwner(table, created!.contactId, 'alice');
    const email = `back-${Date.now()}@example.org`;
    const again = await resolve(nextId(), { email, phone }, '2026-01-03T10:00:00.000Z');
    expect(again).toMatchObject({ contactId: first, returning: true, ownerId: 'alice' });
    expect(again!.mergeInto).toBeUndefined();
    expect((await getContact(table, first))!.emails).toEqual([email]);
    expect((await findContactIds(table, { email })).byEmail).toBe(first);
  });

  it('merges a re-submission within the window into the open lead, but not into a closed one', async () => {
    const email = `merge-${Date.now()}@example.org`;
    const first = nextId();
    await resolve(first, { email }, '2026-02-01T10:00:00.000Z');
    const open = await resolve(nextId(), { email }, '2026-02-01T10:30:00.000Z', async (id) => (id === first ? 'assigned' : undefined));
    expect(open!.mergeInto).toBe(first);

    const later = await resolve(nextId(), { email }, '2026-02-01T10:45:00.000Z', async () => 'won');
    expect(later!.mergeInto).toBeUndefined();
  });

  it('does not merge a lead captured after the window has passed', async () => {
    const email = `late-${Date.now()}@example.org`;
    await resolve(nextId(), { email }, '2026-03-01T10:00:00.000Z');
    const late = await resolve(nextId(), { email }, '2026-03-01T12:00:01.000Z');
    expect(late!.mergeInto).toBeUndefined();
    expect(late!.returning).toBe(true);
  });

  it('resolves nobody for a lead with neither email nor phone', async () => {
    expect(await resolve(nextId(), {}, new Date().toISOString())).toBeUndefined();
  });
});

describe('call correlation on DynamoDB Local', () => {
  const source: Source = { sourceId: 'calls', name: 'Calls', provider: 'mango_office', enabled: true, trackingNumbers: { '+74951234567': { utm_source: 'yandex', utm_campaign: 'autumn' } } };
  const deps = {
    table: undefined as unknown as Table,
    now: () => new Date(),
    contentWindowSeconds: 600,
    sourceOf: async (id: string) => (id === source.sourceId ? source : undefined),
  };

  /** A call event; its call starts at `startsAt` (now unless told), and event `seq` happens `seq` seconds in. */
  function event(callId: string, state: CallEvent['state'], seq: number, from = '+79161112233', startsAt = Date.now()): CallTracked {
    return {
      version: 1,
      sourceId: 'calls',
      receivedAt: new Date().toISOString(),
      call: {
        provider: 'mango_office',
        callId,
        eventId: `${callId}:${state}:${seq}`,
        direction: 'inbound',
        state,
        seq,
        occurredAt: new Date(startsAt + seq * 1000).toISOString(),
        from,
        to: '+74951234567',
        trackingNumber: '+74951234567',
        attribution: {},
        isTest: false,
      },
    };
  }

  it('turns a call from an unknown number into one lead, whatever the order and repetition of its events', async () => {
    deps.table = table;
    const callId = `call-${Date.now()}`;
    const startsAt = Date.now();
    const events = [event(callId, 'completed', 3, undefined, startsAt), event(callId, 'ringing', 1, undefined, startsAt), event(callId, 'answered', 2, undefined, startsAt)];
    const mark = await stream.mark();
    await Promise.all([...events, ...events, ...events].map((e) => trackCall(deps, e)));
    const captured = (await stream.announcementsSince(mark)).filter((e) => e.detailType === 'Lead Captured');
    expect(captured).toHaveLength(1);
    expect(captured[0]!.detail).toMatchObject({
      channel: 'phone',
      provider: 'mango_office',
      person: { phone: '+79161112233' },
      attribution: { utm_source: 'yandex', utm_campaign: 'autumn' },
      externalIds: { callId, trackingNumber: '+74951234567' },
    });
    const stored = await getCall(table, 'mango_office', callId);
    expect(stored!.record.state).toBe('completed');
    expect(stored!.outcome).toMatchObject({ kind: 'new-lead', leadId: (captured[0]!.detail as { leadId: string }).leadId });
  });

  it('records a call from a known contact as a touchpoint, not a new lead', async () => {
    deps.table = table;
    const phone = '+79162223344';
    const leadId = nextId();
    // The call comes after the lead by the lead's own clock, not by when the file was loaded (DynamoDB Local
    // can take minutes to start between the two), so it is touchpoint number two whatever the date.
    const leadAt = Date.now();
    await resolve(leadId, { phone }, new Date(leadAt).toISOString());
    const callId = `known-${Date.now()}`;
    const mark = await stream.mark();
    const outcome = await trackCall(deps, event(callId, 'ringing', 1, phone, leadAt));
    expect(outcome).toMatchObject({ kind: 'touchpoint', contactId: leadId });
    expect((await stream.announcementsSince(mark)).filter((e) => e.detailType === 'Lead Captured')).toHaveLength(0);
    expect((await touches(leadId)).map((t) => t.kind)).toEqual(['lead', 'call']);
  });
});
