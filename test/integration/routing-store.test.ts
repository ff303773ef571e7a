import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_ASSIGNED } from '../../events/lead-assigned.js';
import type { LeadQualified } from '../../events/lead-qualified.js';
import type { Rep } from '../../shared/domain/directory.js';
import type { Lead } from '../../shared/domain/lead.js';
import { assignQualifiedLead, assignToNextRep, drainTeamQueue, type AssignDeps } from '../../shared/use-cases/assign-lead.js';
import { putRep, putTeam } from '../../shared/store/directory-store.js';
import { createLead, getLeadWithTimeline } from '../../shared/store/lead-store.js';
import { keys } from '../../shared/store/keys.js';
import { claimRep, listWaiting, readLoads, releaseOpenLead } from '../../shared/store/routing-store.js';
import type { Table } from '../../shared/store/table.js';
import type { TableStream } from '../support/announcements.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stream: TableStream;
let stop: () => Promise<void>;
const NOW = new Date('2025-01-06T10:00:00Z');
let deps: AssignDeps;

beforeAll(async () => {
  ({ table, stream, stop } = await startTestTable());
  deps = { table, routingConfig: async () => undefined, now: () => NOW };
});
afterAll(async () => stop?.());

const rep = (repId: string, teamId: string, over: Partial<Rep> = {}): Rep => ({ repId, teamId, name: repId, active: true, ...over });

async function newLead(leadId: string, capturedAt: string): Promise<LeadQualified> {
  const lead: Lead = {
    leadId, sourceId: 'src', channel: 'web_form', provider: 'html_form', externalIds: {}, person: {}, answers: {}, attribution: {},
    capturedAt, isTest: false, status: 'qualified', score: 0, grade: 'cold', reasons: [], qualifiedAt: capturedAt,
  };
  await createLead(table, lead, []);
  return { version: 1, lead: { leadId, sourceId: 'src', channel: 'web_form', capturedAt, isTest: false }, score: 0, grade: 'cold', reasons: [], teamHint: undefined, qualifiedAt: capturedAt };
}

describe('routing store on DynamoDB Local', () => {
  it('never lets 200 concurrent claims pass a rep’s hourly cap of 17 or daily cap', async () => {
    const capped = rep('capped', 'caps', { caps: { perHour: 17, perDay: 30 } });
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => claimRep(table, capped, NOW)));
    expect(outcomes.filter((o) => o.claim)).toHaveLength(17);
    expect(outcomes.filter((o) => o.why?.startsWith('hourly cap'))).toHaveLength(183);
    const later = new Date(NOW.getTime() + 3_600_000);
    const second = await Promise.all(Array.from({ length: 200 }, () => claimRep(table, capped, later)));
    // The day has 30: 17 in the first hour leaves 13 for the second, though its hourly cap allows 17.
    expect(second.filter((o) => o.claim)).toHaveLength(13);
    expect((await readLoads(table, [capped], later)).get('capped')).toEqual({ thisHour: 13, today: 30, open: 30 });
    await releaseOpenLead(table, 'capped');
    expect((await readLoads(table, [capped], later)).get('capped')!.open).toBe(29);
  });

  it('queues leads nobody can take, then drains them in capture order when a rep comes online, once under concurrent drains', async () => {
    await putTeam(table, { teamId: 'night', name: 'Night', strategy: 'round_robin', sla: { acceptWithinMinutes: 15, clock: 'wall', escalateAfterMisses: 2 } });
    await putRep(table, rep('n1', 'night', { availability: { status: 'offline' } }));
    const mark = await stream.mark();
    const leads = [await newLead('W2', '2025-01-06T09:02:00.000Z'), await newLead('W1', '2025-01-06T09:01:00.000Z'), await newLead('W3', '2025-01-06T09:03:00.000Z')];
    for (const q of leads) {
      expect(await assignQualifiedLead(deps, { ...q, teamHint: 'night' })).toMatchObject({ outcome: 'waiting', why: 'no rep of team night can take a lead now' });
    }
    const w1 = await getLeadWithTimeline(table, 'W1');
    expect(w1?.lead.status).toBe('waiting');
    expect(w1?.timeline.map((e) => e.type)).toEqual(['Lead Waiting']);
    expect((await listWaiting(table, 'night')).map((w) => w.lead.leadId)).toEqual(['W1', 'W2', 'W3']);

    await putRep(table, rep('n1', 'night', { caps: { perHour: 2 } }));
    await putRep(table, rep('n2', 'night', { availability: { status: 'offline' } }));
    const drains = await Promise.all([drainTeamQueue(deps, 'night'), drainTeamQueue(deps, 'night'), drainTeamQueue(deps, 'night')]);
    const assigned = drains.flatMap((d) => d.assigned);
    // n1 can take two this hour: the two oldest go, each once; the third keeps waiting.
    expect(assigned.sort()).toEqual(['W1', 'W2']);
    expect((await listWaiting(table, 'night')).map((w) => w.lead.leadId)).toEqual(['W3']);
    expect((await readLoads(table, [rep('n1', 'night')], NOW)).get('n1')).toMatchObject({ thisHour: 2, open: 2 });
    const stored = (await getLeadWithTimeline(table, 'W1'))!;
    expect(stored.lead).toMatchObject({ ownerId: 'n1', status: 'assigned', slaDeadline: '2025-01-06T10:15:00.000Z' });
    expect(stored.lead.routingTrace).toMatchObject({ rule: 'team-queue', reason: 'queue-drain', winner: 'n1' });
    // Queued, the lead announced nothing; the one drain that assigned it announced its owner, once.
    expect(await stream.announcementsSince(mark, { item: keys.lead('W1') })).toEqual([
      { detailType: LEAD_ASSIGNED, detail: expect.objectContaining({ lead: expect.objectContaining({ leadId: 'W1' }), repId: 'n1', slaDeadline: '2025-01-06T10:15:00.000Z' }) },
    ]);
    expect(await stream.announcementsSince(mark, { item: keys.lead('W3') })).toEqual([]);
  });

  it('hands an owned lead to the next eligible rep, never back to a rep who missed it', async () => {
    await putTeam(table, { teamId: 'day', name: 'Day', strategy: 'round_robin' });
    for (const id of ['d1', 'd2', 'd3']) await putRep(table, rep(id, 'day'));
    const q = await newLead('R1', '2025-01-06T09:30:00.000Z');
    const first = await assignQualifiedLead(deps, { ...q, teamHint: 'day' });
    expect(first.outcome).toBe('assigned');
    const owner = (first as { repId: string }).repId;
    const missed = ['d1', 'd2', 'd3'].filter((id) => id !== owner)[0]!;
    const handed = await stream.mark();
    const next = await assignToNextRep(deps, 'R1', { exclude: [missed], reason: 'sla-missed' });
    const expected = ['d1', 'd2', 'd3'].find((id) => id !== owner && id !== missed);
    expect(next).toMatchObject({ reassigned: true, fromRepId: owner, repId: expected });
    const { timeline, lead } = (await getLeadWithTimeline(table, 'R1'))!;
    expect(lead.ownerId).toBe(expected);
    expect(timeline.map((e) => e.type)).toEqual(['Lead Assigned', 'Lead Reassigned']);
    expect(await stream.announcementsSince(handed)).toEqual([
      { detailType: LEAD_ASSIGNED, detail: expect.objectContaining({ repId: expected, trace: expect.objectContaining({ reason: 'sla-missed' }) }) },
    ]);
    const refused = await stream.mark();
    expect(await assignToNextRep(deps, 'R1', { exclude: [owner, missed], reason: 'sla-missed' })).toEqual({ reassigned: false, why: 'no rep of team day can take a lead now' });
    expect(await stream.announcementsSince(refused)).toEqual([]);
  });

  it('keeps a returning contact with their owner when eligible, without spending a rotation ticket', async () => {
    await putTeam(table, { teamId: 'sticky', name: 'Sticky', strategy: 'round_robin' });
    for (const id of ['s1', 's2']) await putRep(table, rep(id, 'sticky'));
    const q = await newLead('S1', '2025-01-06T09:40:00.000Z');
    const out = await assignQualifiedLead(deps, { ...q, teamHint: 'sticky', contact: { contactId: 'c1', returning: true, ownerId: 's2' } });
    expect(out).toMatchObject({ outcome: 'assigned', repId: 's2', trace: { strategy: 'sticky_owner', sticky: { decision: 'owner' } } });
    const q2 = await newLead('S2', '2025-01-06T09:41:00.000Z');
    expect(await assignQualifiedLead(deps, { ...q2, teamHint: 'sticky' })).toMatchObject({ repId: 's1', trace: { ticket: 0 } });
  });

  it('gives 1,000 leads assigned at once to 7 reps 142 or 143 each, none twice and none lost', async () => {
    await putTeam(table, { teamId: 'burst', name: 'Burst', strategy: 'round_robin' });
    const reps = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'];
    for (const id of reps) await putRep(table, rep(id, 'burst'));
    const qualified = await Promise.all(Array.from({ length: 1000 }, (_, i) => newLead(`B${i}`, '2025-01-06T09:50:00.000Z')));
    const outcomes = await Promise.all(qualified.map((q) => assignQualifiedLead(deps, { ...q, teamHint: 'burst' })));
    const perRep = new Map<string, number>();
    for (const o of outcomes) {
      expect(o.outcome).toBe('assigned');
      const repId = (o as { repId: string }).repId;
      perRep.set(repId, (perRep.get(repId) ?? 0) + 1);
    }
    expect([...perRep.keys()].sort()).toEqual(reps);
    for (const count of perRep.values()) expect([142, 143]).toContain(count);
    const loads = await readLoads(table, reps.map((id) => rep(id, 'burst')), NOW);
    expect([...loads.values()].reduce((sum, l) => sum + l.open, 0)).toBe(1000);
  }, 300_000);
});
