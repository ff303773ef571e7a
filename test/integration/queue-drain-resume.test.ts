import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_ASSIGNED } from '../../events/lead-assigned.js';
import type { LeadQualified } from '../../events/lead-qualified.js';
import type { Lead } from '../../shared/domain/lead.js';
import { assignQualifiedLead, drainTeamQueue, type AssignDeps } from '../../shared/use-cases/assign-lead.js';
import { putRep, putTeam } from '../../shared/store/directory-store.js';
import { keys } from '../../shared/store/keys.js';
import { createLead, getLeadWithTimeline } from '../../shared/store/lead-store.js';
import { listWaiting, readLoads } from '../../shared/store/routing-store.js';
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

const NOW = new Date('2025-02-03T10:00:00Z');

describe('a team queue drain that died right after assigning a lead', () => {
  it('announced the assignment with the write that made it, and a later drain only takes the lead out of the queue, changing and announcing nothing', async () => {
    await putTeam(table, { teamId: 'late', name: 'Late', strategy: 'round_robin', sla: { acceptWithinMinutes: 10, clock: 'wall', escalateAfterMisses: 0 } });
    const capturedAt = '2025-02-03T09:50:00.000Z';
    const lead: Lead = {
      leadId: 'Q1', sourceId: 'src', channel: 'web_form', provider: 'html_form', externalIds: {}, person: {}, answers: {}, attribution: {},
      capturedAt, isTest: false, status: 'qualified', score: 0, grade: 'cold', reasons: [], qualifiedAt: capturedAt,
    };
    await createLead(table, lead, []);
    const qualified: LeadQualified = {
      version: 1, lead: { leadId: 'Q1', sourceId: 'src', channel: 'web_form', capturedAt, isTest: false },
      score: 0, grade: 'cold', reasons: [], teamHint: 'late', qualifiedAt: capturedAt,
    };
    const at = (now: Date, on: Table = table): AssignDeps => ({ table: on, routingConfig: async () => undefined, now: () => now });
    const queued = await stream.mark();
    expect((await assignQualifiedLead(at(NOW), qualified)).outcome).toBe('waiting');
    expect(await stream.announcementsSince(queued)).toEqual([]);

    await putRep(table, { repId: 'l1', teamId: 'late', name: 'l1', active: true });
    const dying = tableDyingAfter(table, announcingWriteOf(keys.lead('Q1')));
    const drained = await stream.mark();
    await expect(drainTeamQueue(at(NOW, dying.table), 'late', NOW)).rejects.toThrow(/process died/);
    const { lead: assigned, timeline } = (await getLeadWithTimeline(table, 'Q1'))!;
    expect(assigned.ownerId).toBe('l1');
    // The drain died before taking the lead out of the queue, but after the write that told the rep.
    expect((await listWaiting(table, 'late')).map((w) => w.lead.leadId)).toEqual(['Q1']);
    expect(await stream.announcementsSince(drained)).toEqual([
      { detailType: LEAD_ASSIGNED, detail: expect.objectContaining({ lead: expect.objectContaining({ leadId: 'Q1' }), repId: 'l1', slaDeadline: '2025-02-03T10:10:00.000Z' }) },
    ]);

    // Right after or much later, a drain finds the lead owned: nothing left to do but leave the queue.
    const again = await stream.mark();
    const soon = new Date(NOW.getTime() + 1000);
    expect(await drainTeamQueue(at(soon), 'late', soon)).toMatchObject({ assigned: [] });
    expect(await listWaiting(table, 'late')).toEqual([]);
    expect(await stream.changesSince(again, { item: keys.lead('Q1') })).toEqual([]);
    expect(await stream.announcementsSince(again)).toEqual([]);
    expect((await getLeadWithTimeline(table, 'Q1'))!.timeline).toEqual(timeline);
    expect((await readLoads(table, [{ repId: 'l1', teamId: 'late', name: 'l1', active: true }], soon)).get('l1')).toMatchObject({ open: 1 });
  });
});
