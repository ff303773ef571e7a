import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_STATUS_CHANGED } from '../../events/lead-status-changed.js';
import type { Lead } from '../../shared/domain/lead.js';
import { resolveContact } from '../../shared/use-cases/resolve-contact.js';
import { dynamoContactStore, dynamoLeadStore, dynamoRepStore } from '../../shared/store/adapters.js';
import { trackCall, type TrackCallDeps } from '../../shared/use-cases/track-call.js';
import { announcementsOf } from '../../shared/relay/announcements.js';
import { acceptLead } from '../../shared/use-cases/accept-lead.js';
import { changeLeadStatus } from '../../shared/use-cases/change-lead-status.js';
import { getCall } from '../../shared/store/call-store.js';
import { putRep } from '../../shared/store/directory-store.js';
import { keys } from '../../shared/store/keys.js';
import { assignLead, createLead, getLead } from '../../shared/store/lead-store.js';
import type { Table } from '../../shared/store/table.js';
import type { TableStream } from '../support/announcements.js';
import { announcingWriteOf, tableDyingAfter } from '../support/dying-table.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stream: TableStream;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stream, stop } = await startTestTable());
});
afterAll(async () => stop?.());

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

function repDeps(on: Table = table) {
  return { leads: dynamoLeadStore(on), reps: dynamoRepStore(on) };
}

/** The one write the lead had since `mark`: the change and its announcement are in the same record. */
async function onlyWriteOf(leadId: string, mark: Awaited<ReturnType<TableStream['mark']>>): Promise<DynamoDBRecord> {
  const writes = await stream.changesSince(mark, { item: keys.lead(leadId) });
  expect(writes).toHaveLength(1);
  return writes[0]!;
}

describe('a rep’s change of a lead and its announcement', () => {
  it('are one write: the accept that changes the lead carries its Lead Status Changed, and a retried accept changes and announces nothing', async () => {
    const leadId = await assignedLead('dana');
    const first = { leadId, repId: 'dana', via: 'link' as const, assignment: 1, now: new Date('2026-11-22T09:04:00.000Z') };
    const mark = await stream.mark();
    expect(await acceptLead(repDeps(), first)).toMatchObject({ alreadyAccepted: false, captureToAcceptMs: 240_000 });

    const write = await onlyWriteOf(leadId, mark);
    expect(write.dynamodb?.NewImage?.status?.S).toBe('accepted');
    expect(announcementsOf(write)).toEqual([
      {
        detailType: LEAD_STATUS_CHANGED,
        detail: expect.objectContaining({ from: 'assigned', to: 'accepted', captureToAcceptMs: 240_000, changedAt: '2026-11-22T09:04:00.000Z' }),
      },
    ]);
    expect(await stream.announcementsSince(mark)).toEqual(announcementsOf(write));

    const retry = await stream.mark();
    const retried = await acceptLead(repDeps(), { ...first, now: new Date('2026-11-22T09:04:30.000Z') });
    expect(retried).toMatchObject({ alreadyAccepted: true, captureToAcceptMs: 240_000, acceptedAt: '2026-11-22T09:04:00.000Z' });
    expect(await stream.changesSince(retry)).toEqual([]);
  });

  it('is announced by a status change whose request died right after its write, and its retry changes and announces nothing', async () => {
    const leadId = await assignedLead('eli');
    const dying = tableDyingAfter(table, announcingWriteOf(keys.lead(leadId)));
    const request = { leadId, repId: 'eli', change: { to: 'contacted' as const }, now: new Date('2026-11-22T09:02:00.000Z') };
    const mark = await stream.mark();
    await expect(changeLeadStatus(repDeps(dying.table), request)).rejects.toThrow(/process died/);
    expect(dying.died()).toBe(true);
    expect((await getLead(table, leadId))?.status).toBe('contacted');
    // Committed with the change, the announcement needs nothing the dead request would have done next.
    expect(await stream.announcementsSince(mark)).toEqual([
      {
        detailType: LEAD_STATUS_CHANGED,
        detail: expect.objectContaining({ from: 'assigned', to: 'contacted', captureToAcceptMs: 120_000, captureToContactMs: 120_000 }),
      },
    ]);

    const retry = await stream.mark();
    const retried = await changeLeadStatus(repDeps(), { ...request, now: new Date('2026-11-22T09:03:00.000Z') });
    expect(retried).toEqual({ leadId, status: 'contacted', changed: false });
    expect(await stream.changesSince(retry)).toEqual([]);
  });

  it('announces a win once, with the revenue it stored, and a retried win with other revenue changes nothing', async () => {
    const leadId = await assignedLead('dana');
    await acceptLead(repDeps(), { leadId, repId: 'dana', via: 'api', now: new Date('2026-11-22T09:01:00.000Z') });
    await changeLeadStatus(repDeps(), { leadId, repId: 'dana', change: { to: 'contacted' }, now: new Date('2026-11-22T09:05:00.000Z') });
    const won = { leadId, repId: 'dana', change: { to: 'won' as const, revenue: { amount: 4200, currency: 'EUR' } }, now: new Date('2026-11-22T10:00:00.000Z') };
    const dying = tableDyingAfter(table, announcingWriteOf(keys.lead(leadId)));
    const mark = await stream.mark();
    await expect(changeLeadStatus(repDeps(dying.table), won)).rejects.toThrow(/process died/);
    const announced = await stream.announcementsSince(mark);
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ detailType: LEAD_STATUS_CHANGED, detail: { from: 'contacted', to: 'won', revenue: { amount: 4200, currency: 'EUR' } } });
    expect(announced[0]!.detail).not.toHaveProperty('captureToAcceptMs');
    expect(announced[0]!.detail).not.toHaveProperty('captureToContactMs');

    const retry = await stream.mark();
    const retried = await changeLeadStatus(repDeps(), { ...won, change: { to: 'won', revenue: { amount: 1, currency: 'USD' } } });
    expect(retried).toEqual({ leadId, status: 'won', changed: false });
    expect(await stream.changesSince(retry)).toEqual([]);
    expect((await getLead(table, leadId)) as Lead & { revenue?: unknown }).toMatchObject({ revenue: { amount: 4200, currency: 'EUR' } });
  });

  it('announces nothing for an accept of a lead its first status change accepted, which that change announced', async () => {
    const leadId = await assignedLead('dana');
    const mark = await stream.mark();
    await changeLeadStatus(repDeps(), { leadId, repId: 'dana', change: { to: 'contacted' }, now: new Date('2026-11-22T09:02:00.000Z') });
    const announced = await stream.announcementsSince(mark);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.detail).toMatchObject({ to: 'contacted', captureToAcceptMs: 120_000 });

    const again = await stream.mark();
    const accepted = await acceptLead(repDeps(), { leadId, repId: 'dana', via: 'api', now: new Date('2026-11-22T09:03:00.000Z') });
    expect(accepted).toMatchObject({ alreadyAccepted: true, captureToAcceptMs: 120_000 });
    expect(await stream.changesSince(again)).toEqual([]);
  });
});

describe('a rep’s call that marks the lead contacted', () => {
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

  it('announces the contact in the write that marks it, even when the handler dies right after; a redelivery and a later call announce nothing', async () => {
    await putRep(table, { repId: 'caller', teamId: 'phones', name: 'Caller', active: true, telephonyIds: ['377'] });
    const leadId = await assignedLead('caller', { phone });
    await resolveContact(dynamoContactStore(table), {
      leadId, capturedAt: CAPTURED, sourceId: 'site', channel: 'web_form', person: { phone }, mergeWindowSeconds: 60, statusOf: async () => undefined,
    });
    const deps = (on: Table): TrackCallDeps => ({ table: on, now: () => new Date('2026-11-22T09:31:00Z'), contentWindowSeconds: 600, sourceOf: async () => undefined });
    const dying = tableDyingAfter(table, announcingWriteOf(keys.lead(leadId)));

    const mark = await stream.mark();
    await expect(trackCall(deps(dying.table), call('out-77', '2026-11-22T09:30:00.000Z'))).rejects.toThrow(/process died/);
    expect((await getLead(table, leadId))?.status).toBe('contacted');
    expect((await getCall(table, 'mango_office', 'out-77'))?.outcome).toBeUndefined();
    const write = await onlyWriteOf(leadId, mark);
    const announced = announcementsOf(write);
    expect(announced).toEqual([
      {
        detailType: LEAD_STATUS_CHANGED,
        detail: expect.objectContaining({ from: 'assigned', to: 'contacted', changedAt: '2026-11-22T09:30:00.000Z', captureToAcceptMs: 30 * 60_000, captureToContactMs: 30 * 60_000 }),
      },
    ]);
    expect(await stream.announcementsSince(mark)).toEqual(announced);

    // The redelivered event finishes the call (its outcome is stored now) and leaves the lead as it is.
    const redelivery = await stream.mark();
    expect(await trackCall(deps(table), call('out-77', '2026-11-22T09:30:00.000Z'))).toMatchObject({ kind: 'contacted', leadId });
    expect((await getCall(table, 'mango_office', 'out-77'))?.outcome).toMatchObject({ kind: 'contacted', leadId });
    expect(await stream.changesSince(redelivery, { item: keys.lead(leadId) })).toEqual([]);
    expect(await stream.announcementsSince(redelivery)).toEqual([]);

    const later = await stream.mark();
    await trackCall(deps(table), call('out-78', '2026-11-22T11:00:00.000Z'));
    expect(await stream.changesSince(later, { item: keys.lead(leadId) })).toEqual([]);
    expect(await stream.announcementsSince(later)).toEqual([]);
  });
});
