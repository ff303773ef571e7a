import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_STATUS_CHANGED, type LeadStatusChanged } from '../../events/lead-status-changed.js';
import type { EventPublisher, OutgoingEvent } from '../../shared/aws/event-publisher.js';
import type { Lead } from '../../shared/domain/lead.js';
import { resolveContact } from '../../shared/intake/resolve-contact.js';
import { trackCall, type TrackCallDeps } from '../../shared/intake/track-call.js';
import { acceptLead, changeLeadStatus, type RepDeps } from '../../shared/rep/rep-actions.js';
import { putRep } from '../../shared/store/directory-store.js';
import { assignLead, createLead, getLead } from '../../shared/store/lead-store.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());

/** A publisher that refuses while `down` is set (a throttled PutEvents), remembering what it was asked to send. */
function flakyBus() {
  const bus = { down: false, attempted: [] as OutgoingEvent[], published: [] as OutgoingEvent[] };
  const publisher: EventPublisher = {
    publish: async (...events) => {
      bus.attempted.push(...events);
      if (bus.down) throw new Error('ThrottlingException: Rate exceeded');
      bus.published.push(...events);
    },
  };
  return { bus, publisher };
}

const changes = (events: OutgoingEvent[]) => events.filter((e) => e.detailType === LEAD_STATUS_CHANGED).map((e) => e.detail as LeadStatusChanged);

let seq = 0;
const CAPTURED = '2026-11-22T09:00:00.000Z';

/** A lead assigned to `repId` (first assignment), as qualify and assign leave it. */
async function assignedLead(repId: string, person: Lead['person'] = { email: 'x@example.org' }): Promise<string> {
  const leadId = `LRE${Date.now()}${seq++}`;
  const lead = {
    leadId, sourceId: 'site', channel: 'web_form', provider: 'html_form', externalIds: {}, person, answers: {}, attribution: {},
    capturedAt: CAPTURED, isTest: false, status: 'qualified', score: 1, grade: 'warm', reasons: [], qualifiedAt: CAPTURED,
  } as Lead;
  await createLead(table, lead, []);
  const trace = { rule: 'default', teamId: 'team', strategy: 'round_robin', candidates: [], winner: repId };
  await assignLead(table, { leadId, repId, teamId: 'team', at: '2026-11-22T09:00:05.000Z', trace });
  return leadId;
}

function repDeps(publisher: EventPublisher): RepDeps {
  return { table, publisher, routingConfig: async () => undefined };
}

describe('a rep change whose announcement failed after the write', () => {
  it('is announced by the retried accept, exactly as the first attempt would have announced it', async () => {
    const { bus, publisher } = flakyBus();
    const leadId = await assignedLead('dana');
    bus.down = true;
    const first = { leadId, repId: 'dana', via: 'link' as const, assignment: 1, now: new Date('2026-11-22T09:04:00.000Z') };
    await expect(acceptLead(repDeps(publisher), first)).rejects.toThrow(/Throttling/);
    expect((await getLead(table, leadId))?.status).toBe('accepted');

    bus.down = false;
    const retried = await acceptLead(repDeps(publisher), { ...first, now: new Date('2026-11-22T09:04:30.000Z') });
    expect(retried).toMatchObject({ alreadyAccepted: true, captureToAcceptMs: 240_000 });
    expect(changes(bus.published)).toEqual(changes(bus.attempted.slice(0, 1)));
    expect(changes(bus.published)[0]).toMatchObject({ to: 'accepted', from: 'assigned', captureToAcceptMs: 240_000, changedAt: '2026-11-22T09:04:00.000Z' });
  });

  it('is announced by a retried status change, with the acceptance and first contact it recorded', async () => {
    const { bus, publisher } = flakyBus();
    const leadId = await assignedLead('eli');
    bus.down = true;
    const request = { leadId, repId: 'eli', change: { to: 'contacted' as const }, now: new Date('2026-11-22T09:02:00.000Z') };
    await expect(changeLeadStatus(repDeps(publisher), request)).rejects.toThrow(/Throttling/);

    bus.down = false;
    const retried = await changeLeadStatus(repDeps(publisher), { ...request, now: new Date('2026-11-22T09:03:00.000Z') });
    expect(retried).toEqual({ leadId, status: 'contacted', changed: false });
    const [announced] = changes(bus.published);
    expect(announced).toEqual(changes(bus.attempted)[0]);
    expect(announced).toMatchObject({ from: 'assigned', to: 'contacted', captureToAcceptMs: 120_000, captureToContactMs: 120_000 });
  });

  it('is announced by a retried win with the stored revenue, not the retry’s', async () => {
    const { bus, publisher } = flakyBus();
    const leadId = await assignedLead('dana');
    const deps = repDeps(publisher);
    await acceptLead(deps, { leadId, repId: 'dana', via: 'api', now: new Date('2026-11-22T09:01:00.000Z') });
    await changeLeadStatus(deps, { leadId, repId: 'dana', change: { to: 'contacted' }, now: new Date('2026-11-22T09:05:00.000Z') });
    bus.down = true;
    const won = { leadId, repId: 'dana', change: { to: 'won' as const, revenue: { amount: 4200, currency: 'EUR' } }, now: new Date('2026-11-22T10:00:00.000Z') };
    await expect(changeLeadStatus(deps, won)).rejects.toThrow(/Throttling/);
    const lost = changes(bus.attempted).at(-1)!;

    bus.down = false;
    bus.published.length = 0;
    await changeLeadStatus(deps, { ...won, change: { to: 'won', revenue: { amount: 1, currency: 'USD' } } });
    expect(changes(bus.published)).toEqual([lost]);
    expect(lost).toMatchObject({ from: 'contacted', to: 'won', revenue: { amount: 4200, currency: 'EUR' } });
    expect(lost.captureToAcceptMs).toBeUndefined();
    expect(lost.captureToContactMs).toBeUndefined();
  });

  it('announces nothing again on an accept of a lead its first status change accepted, which that change announced', async () => {
    const { bus, publisher } = flakyBus();
    const leadId = await assignedLead('dana');
    await changeLeadStatus(repDeps(publisher), { leadId, repId: 'dana', change: { to: 'contacted' }, now: new Date('2026-11-22T09:02:00.000Z') });
    expect(changes(bus.published)[0]).toMatchObject({ captureToAcceptMs: 120_000 });
    const accepted = await acceptLead(repDeps(publisher), { leadId, repId: 'dana', via: 'api', now: new Date('2026-11-22T09:03:00.000Z') });
    expect(accepted).toMatchObject({ alreadyAccepted: true, captureToAcceptMs: 120_000 });
    expect(bus.published).toHaveLength(1);
  });
});

describe('a rep’s call whose announcement failed after the lead was marked contacted', () => {
  const phone = '+79161230077';
  const call = (callId: string, occurredAt: string) => ({
    version: 1 as const,
    sourceId: 'pbx',
    receivedAt: occurredAt,
    call: {
      provider: 'mango_office', callId, eventId: `${callId}:answered`, direction: 'outbound' as const, state: 'answered' as const,
      occurredAt, from: '+74951234567', to: phone, agent: '377', attribution: {}, isTest: false,
    },
  });

  it('is announced when the call event is delivered again, and a later call announces nothing', async () => {
    await putRep(table, { repId: 'caller', teamId: 'phones', name: 'Caller', active: true, telephonyIds: ['377'] });
    const leadId = await assignedLead('caller', { phone });
    await resolveContact(table, {
      leadId, capturedAt: CAPTURED, sourceId: 'site', channel: 'web_form', person: { phone }, mergeWindowSeconds: 60, statusOf: async () => undefined,
    });
    const { bus, publisher } = flakyBus();
    const deps: TrackCallDeps = { table, publisher, now: () => new Date('2026-11-22T09:31:00Z'), contentWindowSeconds: 600, sourceOf: async () => undefined };

    bus.down = true;
    await expect(trackCall(deps, call('out-77', '2026-11-22T09:30:00.000Z'))).rejects.toThrow(/Throttling/);
    expect((await getLead(table, leadId))?.status).toBe('contacted');

    bus.down = false;
    await trackCall(deps, call('out-77', '2026-11-22T09:30:00.000Z'));
    const [announced] = changes(bus.published);
    expect(announced).toEqual(changes(bus.attempted)[0]);
    expect(announced).toMatchObject({ from: 'assigned', to: 'contacted', captureToAcceptMs: 30 * 60_000, captureToContactMs: 30 * 60_000 });

    await trackCall(deps, call('out-78', '2026-11-22T11:00:00.000Z'));
    expect(changes(bus.published)).toHaveLength(1);
  });
});
