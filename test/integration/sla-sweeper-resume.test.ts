import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_ASSIGNED } from '../../events/lead-assigned.js';
import { LEAD_TAKEN_BACK } from '../../events/lead-taken-back.js';
import type { Lead } from '../../shared/domain/lead.js';
import { slaBucketOf } from '../../shared/domain/sla.js';
import { announcementsOf } from '../../shared/relay/announcements.js';
import { STALL_MS, sweepSla, type SweepDeps } from '../../shared/use-cases/sweep-sla.js';
import { putRep, putTeam } from '../../shared/store/directory-store.js';
import { keys } from '../../shared/store/keys.js';
import { assignLead, createLead, getLeadWithTimeline } from '../../shared/store/lead-store.js';
import { putSlaWatch, readDueWatches } from '../../shared/store/sla-store.js';
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

const MINUTE = 60_000;

function deps(now: Date, on: Table = table): SweepDeps {
  return { table: on, routingConfig: async () => undefined, now: () => now, tellManager: async () => undefined };
}

async function arrange(teamId: string, reps: string[], deadline: Date) {
  await putTeam(table, { teamId, name: teamId, strategy: 'round_robin', sla: { acceptWithinMinutes: 5, clock: 'wall', escalateAfterMisses: 3 } });
  for (const r of reps) await putRep(table, { repId: `${teamId}-${r}`, teamId, name: r, active: true });
  const owner = `${teamId}-${reps[0]}`;
  const leadId = `L-${teamId}`;
  const capturedAt = new Date(deadline.getTime() - 10 * MINUTE).toISOString();
  const lead = {
    leadId, sourceId: 'src', channel: 'web_form', provider: 'html_form', externalIds: {}, person: {}, answers: {}, attribution: {},
    capturedAt, isTest: false, status: 'qualified', score: 1, grade: 'warm', reasons: [], qualifiedAt: capturedAt,
  } as Lead;
  await createLead(table, lead, []);
  const trace = { rule: 'test', teamId, strategy: 'round_robin', candidates: [], winner: owner };
  await assignLead(table, { leadId, repId: owner, teamId, at: capturedAt, trace, slaDeadline: deadline.toISOString() });
  await putSlaWatch(table, { leadId, repId: owner, teamId, assignment: 1, deadline: deadline.toISOString() });
  return { leadId, owner };
}

/** A sweep whose process dies right after the write that moves the lead on (to another rep, or a new deadline). */
async function sweepDyingAfterTheMove(leadId: string, now: Date): Promise<void> {
  const dying = tableDyingAfter(table, announcingWriteOf(keys.lead(leadId)));
  await expect(sweepSla(deps(now, dying.table), now)).rejects.toThrow(/process died/);
  expect(dying.died()).toBe(true);
}

describe('an SLA sweep that died right after moving a lead', () => {
  it('announced the new owner and the taking back in the write that moved the lead, and a later sweep only closes the watch, announcing nothing', async () => {
    const deadline = new Date('2026-11-21T10:05:00.000Z');
    const { leadId, owner } = await arrange('resume-moved', ['ana', 'ben'], deadline);
    const first = new Date(deadline.getTime() + 10_000);
    const mark = await stream.mark();
    await sweepDyingAfterTheMove(leadId, first);
    const { lead: moved, timeline } = (await getLeadWithTimeline(table, leadId))!;
    expect(moved.ownerId).toBe('resume-moved-ben');

    // Both announcements went with the move, in one write: none waits on the dead sweep.
    const announcing = (await stream.changesSince(mark, { item: keys.lead(leadId) })).filter((r) => announcementsOf(r).length);
    expect(announcing).toHaveLength(1);
    expect(announcementsOf(announcing[0]!)).toEqual([
      { detailType: LEAD_ASSIGNED, detail: expect.objectContaining({ repId: 'resume-moved-ben', slaDeadline: moved.slaDeadline }) },
      { detailType: LEAD_TAKEN_BACK, detail: expect.objectContaining({ repId: owner, toRepId: 'resume-moved-ben', assignment: 1 }) },
    ]);
    expect(await stream.announcementsSince(mark)).toEqual(announcementsOf(announcing[0]!));

    // A sweep right after leaves the watch to the first (which may still be running) ...
    const resumed = await stream.mark();
    const soon = new Date(first.getTime() + 1000);
    expect((await sweepSla(deps(soon), soon)).unfinished).toBe(1);
    expect(await readDueWatches(table, slaBucketOf(deadline), soon)).toHaveLength(1);

    // ... and once the first is surely gone, a sweep finishes it without moving or announcing anything again.
    const later = new Date(first.getTime() + STALL_MS + MINUTE);
    expect(await sweepSla(deps(later), later)).toMatchObject({ reassigned: [leadId], unfinished: 0 });
    expect(await readDueWatches(table, slaBucketOf(deadline), later)).toEqual([]);
    expect(await stream.changesSince(resumed, { item: keys.lead(leadId) })).toEqual([]);
    expect(await stream.announcementsSince(resumed)).toEqual([]);
    expect((await getLeadWithTimeline(table, leadId))!.timeline).toEqual(timeline);
  });

  it('announced the new deadline of a lead kept with its only rep in the write that set it, and a later sweep only closes the watch, announcing nothing', async () => {
    const deadline = new Date('2026-11-21T11:05:00.000Z');
    const { leadId, owner } = await arrange('resume-kept', ['solo'], deadline);
    const first = new Date(deadline.getTime() + 10_000);
    const mark = await stream.mark();
    await sweepDyingAfterTheMove(leadId, first);
    const kept = (await getLeadWithTimeline(table, leadId))!.lead;
    expect(kept.ownerId).toBe(owner);
    expect(kept.slaDeadline).toBe(new Date(first.getTime() + 5 * MINUTE).toISOString());
    expect(await stream.announcementsSince(mark)).toEqual([
      { detailType: LEAD_ASSIGNED, detail: expect.objectContaining({ repId: owner, slaDeadline: kept.slaDeadline }) },
    ]);

    const resumed = await stream.mark();
    const later = new Date(first.getTime() + STALL_MS + MINUTE);
    expect(await sweepSla(deps(later), later)).toMatchObject({ kept: [leadId], unfinished: 0 });
    expect(await readDueWatches(table, slaBucketOf(deadline), later)).toEqual([]);
    expect(await stream.changesSince(resumed, { item: keys.lead(leadId) })).toEqual([]);
    expect(await stream.announcementsSince(resumed)).toEqual([]);
  });
});
