import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_STATUS_CHANGED } from '../../events/lead-status-changed.js';
import type { Lead } from '../../shared/domain/lead.js';
import { resolveContact } from '../../shared/use-cases/resolve-contact.js';
import { dynamoContactStore } from '../../shared/store/adapters.js';
import { trackCall } from '../../shared/use-cases/track-call.js';
import { putRep } from '../../shared/store/directory-store.js';
import { assignLead, createLead, getLead } from '../../shared/store/lead-store.js';
import type { Table } from '../../shared/store/table.js';
import type { TableStream } from '../support/announcements.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stream: TableStream;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stream, stop } = await startTestTable());
});
afterAll(async () => stop?.());

describe('a rep calling a lead handed to them after an SLA miss', () => {
  it('marks the lead contacted, as it does for the lead’s first rep', async () => {
    const phone = '+79161230001';
    const capturedAt = '2026-11-20T09:00:00.000Z';
    await putRep(table, { repId: 'second', teamId: 'phones', name: 'Second', active: true, telephonyIds: ['202'] });
    // The lead missed its first rep's deadline once and is now in its second assignment, with rep "second".
    const lead = {
      leadId: 'LREASSIGNED', sourceId: 'site', channel: 'web_form', provider: 'html_form', externalIds: {}, person: { phone },
      answers: {}, attribution: {}, capturedAt, isTest: false, status: 'qualified', score: 1, grade: 'warm', reasons: [],
      qualifiedAt: capturedAt, slaMisses: 1,
    } as Lead;
    await createLead(table, lead, []);
    await resolveContact(dynamoContactStore(table), {
      leadId: lead.leadId, capturedAt, sourceId: 'site', channel: 'web_form', person: { phone }, mergeWindowSeconds: 60, statusOf: async () => undefined,
    });
    const trace = { rule: 'reassignment', teamId: 'phones', strategy: 'round_robin', candidates: [], winner: 'second' };
    await assignLead(table, { leadId: lead.leadId, repId: 'second', teamId: 'phones', at: '2026-11-20T09:20:00.000Z', trace });

    const mark = await stream.mark();
    await trackCall(
      { table, now: () => new Date('2026-11-20T09:31:00Z'), contentWindowSeconds: 600, sourceOf: async () => undefined },
      {
        version: 1,
        sourceId: 'pbx',
        receivedAt: '2026-11-20T09:30:05.000Z',
        call: {
          provider: 'mango_office', callId: 'out-1', eventId: 'out-1:answered', direction: 'outbound', state: 'answered',
          occurredAt: '2026-11-20T09:30:00.000Z', from: '+74951234567', to: phone, agent: '202', attribution: {}, isTest: false,
        },
      },
    );

    const stored = (await getLead(table, lead.leadId)) as Lead & { contactedAt?: string };
    expect(stored.status).toBe('contacted');
    expect(stored.contactedAt).toBe('2026-11-20T09:30:00.000Z');
    const announced = await stream.announcementsSince(mark);
    expect(announced.map((e) => e.detailType)).toEqual([LEAD_STATUS_CHANGED]);
    expect(announced[0]!.detail).toMatchObject({ lead: { leadId: lead.leadId }, repId: 'second', from: 'assigned', to: 'contacted', changedAt: '2026-11-20T09:30:00.000Z' });
  });
});
