import { describe, expect, it } from 'vitest';
import { LEAD_STATUS_CHANGED, type LeadStatusChanged } from '../../../events/lead-status-changed.js';
import type { LeadAssigned } from '../../../events/lead-assigned.js';
import type { Rep } from '../../../shared/domain/directory.js';
import type { Lead } from '../../../shared/domain/lead.js';
import { acceptLead } from '../../../shared/use-cases/accept-lead.js';
import { changeLeadStatus } from '../../../shared/use-cases/change-lead-status.js';
import { setAvailability } from '../../../shared/use-cases/set-availability.js';
import { watchSlaDeadline } from '../../../shared/use-cases/watch-sla-deadline.js';
import { MemoryStores } from '../../support/memory-stores.js';

const CAPTURED_AT = '2026-11-20T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(CAPTURED_AT) + seconds * 1000);

function assignedTo(stores: MemoryStores, repId: string, extra: Partial<Lead> = {}): void {
  stores.putLead({
    leadId: 'L1', sourceId: 'site', channel: 'web_form', provider: 'html_form', externalIds: {}, person: { email: 'ada@example.org' },
    answers: {}, attribution: {}, capturedAt: CAPTURED_AT, isTest: false, status: 'assigned', score: 1, grade: 'warm', reasons: [],
    qualifiedAt: CAPTURED_AT, ownerId: repId, teamId: 'sales', assignedAt: at(5).toISOString(), slaDeadline: '2026-11-20T10:15:05.000Z', ...extra,
  } as Lead);
}

function ports(stores: MemoryStores) {
  return { leads: stores.leads, reps: stores.repStore, drainTeamQueue: async () => ({ assigned: ['W1'] }) };
}

describe('a rep accepting a lead', () => {
  it('accepts the rep’s assignment once, with the time from capture, and announces it in the same write', async () => {
    const stores = new MemoryStores();
    assignedTo(stores, 'dana');
    const first = await acceptLead(ports(stores), { leadId: 'L1', repId: 'dana', assignment: 1, via: 'link', now: at(240) });
    expect(first).toMatchObject({ status: 'accepted', captureToAcceptMs: 240_000, alreadyAccepted: false });
    const again = await acceptLead(ports(stores), { leadId: 'L1', repId: 'dana', assignment: 1, via: 'link', now: at(300) });
    expect(again).toMatchObject({ acceptedAt: at(240).toISOString(), alreadyAccepted: true });
    expect(stores.announcedTypes()).toEqual([LEAD_STATUS_CHANGED]);
  });

  it('answers 403 through the API for another rep’s lead and 409 for a link of an assignment taken back', async () => {
    const stores = new MemoryStores();
    assignedTo(stores, 'eli', { slaMisses: 1, missedBy: ['dana'] });
    await expect(acceptLead(ports(stores), { leadId: 'L1', repId: 'dana', via: 'api', now: at(60) })).rejects.toMatchObject({ statusCode: 403 });
    await expect(acceptLead(ports(stores), { leadId: 'L1', repId: 'dana', assignment: 1, via: 'link', now: at(60) })).rejects.toMatchObject({ statusCode: 409 });
    await expect(acceptLead(ports(stores), { leadId: 'L9', repId: 'dana', via: 'api', now: at(60) })).rejects.toMatchObject({ statusCode: 404 });
    expect(stores.announcedTypes()).toEqual([]);
  });

  it('answers 409 when the sweeper claimed the missed deadline of the assignment being accepted', async () => {
    const stores = new MemoryStores();
    assignedTo(stores, 'dana', { slaExpiredAssignment: 1 });
    await expect(acceptLead(ports(stores), { leadId: 'L1', repId: 'dana', assignment: 1, via: 'link', now: at(60) })).rejects.toMatchObject({ statusCode: 409 });
  });
});

describe('a rep changing a lead’s status', () => {
  it('moves forward only, accepting and recording first contact on the first change, and frees the rep’s open count when won', async () => {
    const stores = new MemoryStores();
    assignedTo(stores, 'dana');
    stores.openLeads.set('dana', 1);
    const p = ports(stores);
    expect(await changeLeadStatus(p, { leadId: 'L1', repId: 'dana', change: { to: 'contacted' }, now: at(120) })).toEqual({ leadId: 'L1', status: 'contacted', changed: true });
    const contacted = stores.announced[0]!.event.detail as LeadStatusChanged;
    expect(contacted).toMatchObject({ from: 'assigned', to: 'contacted', captureToAcceptMs: 120_000, captureToContactMs: 120_000 });
    expect(await changeLeadStatus(p, { leadId: 'L1', repId: 'dana', change: { to: 'contacted' }, now: at(130) })).toMatchObject({ changed: false });
    await changeLeadStatus(p, { leadId: 'L1', repId: 'dana', change: { to: 'won', revenue: { amount: 1200, currency: 'EUR' } }, now: at(600) });
    expect(await stores.leads.getLead('L1')).toMatchObject({ status: 'won', revenue: { amount: 1200, currency: 'EUR' }, closedAt: at(600).toISOString() });
    expect(stores.openLeads.get('dana')).toBe(0);
    await expect(changeLeadStatus(p, { leadId: 'L1', repId: 'dana', change: { to: 'lost' }, now: at(700) })).rejects.toMatchObject({ statusCode: 409 });
    expect(stores.announcedTypes()).toEqual([LEAD_STATUS_CHANGED, LEAD_STATUS_CHANGED]);
  });

  it('answers 403 to a rep the lead is not assigned to', async () => {
    const stores = new MemoryStores();
    assignedTo(stores, 'eli');
    await expect(changeLeadStatus(ports(stores), { leadId: 'L1', repId: 'dana', change: { to: 'contacted' }, now: at(60) })).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('a rep setting their availability', () => {
  it('assigns their team’s waiting leads when they come online, and answers 404 for a rep that is gone', async () => {
    const stores = new MemoryStores();
    stores.reps.set('dana', { repId: 'dana', name: 'Dana', teamId: 'sales', active: true } as Rep);
    const online = await setAvailability(ports(stores), { repId: 'dana', availability: { status: 'online' }, now: at(0) });
    expect(online).toEqual({ repId: 'dana', availability: { status: 'online' }, assignedFromQueue: ['W1'] });
    const away = await setAvailability(ports(stores), { repId: 'dana', availability: { status: 'away' }, now: at(1) });
    expect(away.assignedFromQueue).toEqual([]);
    await expect(setAvailability(ports(stores), { repId: 'gone', availability: { status: 'online' }, now: at(2) })).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('watching an assignment’s SLA deadline', () => {
  const assigned = {
    version: 1, lead: { leadId: 'L1', sourceId: 'site', channel: 'web_form', capturedAt: CAPTURED_AT, isTest: false }, repId: 'dana', teamId: 'sales',
    strategy: 'round_robin', assignedAt: at(5).toISOString(), slaDeadline: '2026-11-20T10:15:05.000Z',
    trace: { rule: 'default', teamId: 'sales', strategy: 'round_robin', candidates: [], winner: 'dana' },
  } satisfies LeadAssigned;

  it('files one watch for the lead’s current assignment, however often the event comes', async () => {
    const stores = new MemoryStores();
    assignedTo(stores, 'dana', { slaMisses: 1 });
    expect(await watchSlaDeadline(stores, assigned)).toEqual({ watched: true });
    expect(await watchSlaDeadline(stores, assigned)).toEqual({ watched: true });
    expect(stores.watches).toEqual([{ leadId: 'L1', repId: 'dana', teamId: 'sales', assignment: 2, deadline: '2026-11-20T10:15:05.000Z' }]);
  });

  it('files nothing for an assignment the lead no longer has', async () => {
    const stores = new MemoryStores();
    assignedTo(stores, 'eli');
    expect(await watchSlaDeadline(stores, assigned)).toEqual({ watched: false });
    expect(await watchSlaDeadline(stores, { ...assigned, repId: 'eli', slaDeadline: '2026-11-20T11:00:00.000Z' })).toEqual({ watched: false });
    expect(stores.watches).toEqual([]);
  });
});
