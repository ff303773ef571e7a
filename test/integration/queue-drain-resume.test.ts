import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_ASSIGNED } from '../../events/lead-assigned.js';
import type { LeadQualified } from '../../events/lead-qualified.js';
import type { OutgoingEvent } from '../../shared/aws/event-publisher.js';
import type { Lead } from '../../shared/domain/lead.js';
import { assignQualifiedLead, drainTeamQueue, type AssignDeps } from '../../shared/routing/assign-lead.js';
import { putRep, putTeam } from '../../shared/store/directory-store.js';
import { createLead, getLead } from '../../shared/store/lead-store.js';
import { listWaiting } from '../../shared/store/routing-store.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());

const NOW = new Date('2025-02-03T10:00:00Z');

describe('a team queue drain that failed after assigning a lead', () => {
  it('announces the assignment on a later drain, so the rep is notified and the lead watched, and only then leaves the queue', async () => {
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
    const published: OutgoingEvent[] = [];
    const at = (now: Date, failAssigned = false): AssignDeps => ({
      table,
      routingConfig: async () => undefined,
      now: () => now,
      publisher: {
        publish: async (...events) => {
          if (failAssigned && events.some((e) => e.detailType === LEAD_ASSIGNED)) throw new Error('EventBridge rejected 1 event(s): ThrottlingException');
          published.push(...events);
        },
      },
    });
    expect((await assignQualifiedLead(at(NOW), qualified)).outcome).toBe('waiting');

    await putRep(table, { repId: 'l1', teamId: 'late', name: 'l1', active: true });
    await expect(drainTeamQueue(at(NOW, true), 'late', NOW)).rejects.toThrow(/ThrottlingException/);
    expect((await getLead(table, 'Q1'))!.ownerId).toBe('l1');

    // A drain right after may be racing the one that assigned it: it leaves the lead to that one.
    const soon = new Date(NOW.getTime() + 1000);
    await drainTeamQueue(at(soon), 'late', soon);
    expect(published.filter((e) => e.detailType === LEAD_ASSIGNED)).toEqual([]);
    expect((await listWaiting(table, 'late')).map((w) => w.lead.leadId)).toEqual(['Q1']);

    const later = new Date(NOW.getTime() + 3 * 60_000);
    await drainTeamQueue(at(later), 'late', later);
    expect(published.filter((e) => e.detailType === LEAD_ASSIGNED).map((e) => e.detail)).toEqual([
      expect.objectContaining({ repId: 'l1', slaDeadline: '2025-02-03T10:10:00.000Z' }),
    ]);
    expect(await listWaiting(table, 'late')).toEqual([]);
  });
});
