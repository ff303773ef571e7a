import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_ASSIGNED } from '../../events/lead-assigned.js';
import { LEAD_TAKEN_BACK } from '../../events/lead-taken-back.js';
import type { OutgoingEvent } from '../../shared/aws/event-publisher.js';
import type { Lead } from '../../shared/domain/lead.js';
import { slaBucketOf } from '../../shared/domain/sla.js';
import { STALL_MS, sweepSla, type SweepDeps } from '../../shared/sla/sweep-sla.js';
import { putRep, putTeam } from '../../shared/store/directory-store.js';
import { assignLead, createLead, getLead } from '../../shared/store/lead-store.js';
import { putSlaWatch, readDueWatches } from '../../shared/store/sla-store.js';
import type { Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());

const MINUTE = 60_000;

/**
 * A publisher whose first publish of Lead Assigned fails, as PutEvents does when throttled: the sweep
 * that moved the lead throws after the move is stored.
 */
function flakyBus() {
  const published: OutgoingEvent[] = [];
  let failed = false;
  return {
    published,
    deps: (now: Date): SweepDeps => ({
      table,
      publisher: {
        publish: async (...events) => {
          if (!failed && events.some((e) => e.detailType === LEAD_ASSIGNED)) {
            failed = true;
            throw new Error('EventBridge rejected 1 event(s): ThrottlingException');
          }
          published.push(...events);
        },
      },
      routingConfig: async () => undefined,
      now: () => now,
      tellManager: async () => undefined,
    }),
  };
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

describe('an SLA sweep that failed after moving a lead', () => {
  it('announces the new owner on a later sweep, so the rep the lead went to is told and watched', async () => {
    const deadline = new Date('2026-11-21T10:05:00.000Z');
    const { leadId, owner } = await arrange('resume-moved', ['ana', 'ben'], deadline);
    const bus = flakyBus();
    const first = new Date(deadline.getTime() + 10_000);
    const report = await sweepSla(bus.deps(first), first);
    expect(report.unfinished).toBe(1);
    const moved = (await getLead(table, leadId))!;
    expect(moved.ownerId).toBe('resume-moved-ben');
    expect(bus.published.filter((e) => e.detailType === LEAD_ASSIGNED)).toEqual([]);

    // A sweep right after leaves it to the first (which may still be running) ...
    await sweepSla(bus.deps(new Date(first.getTime() + 1000)), new Date(first.getTime() + 1000));
    expect(bus.published.filter((e) => e.detailType === LEAD_ASSIGNED)).toEqual([]);

    // ... and once the first is surely gone, a sweep finishes its announcements.
    const later = new Date(first.getTime() + STALL_MS + MINUTE);
    await sweepSla(bus.deps(later), later);
    expect(bus.published.filter((e) => e.detailType === LEAD_ASSIGNED).map((e) => e.detail)).toEqual([
      expect.objectContaining({ repId: 'resume-moved-ben', slaDeadline: moved.slaDeadline }),
    ]);
    expect(bus.published.filter((e) => e.detailType === LEAD_TAKEN_BACK).map((e) => e.detail)).toEqual([
      expect.objectContaining({ repId: owner, toRepId: 'resume-moved-ben', assignment: 1 }),
    ]);
    expect(await readDueWatches(table, slaBucketOf(deadline), later)).toEqual([]);
  });

  it('announces the new deadline of a lead kept with its only rep, so the rep gets a new link and the lead stays watched', async () => {
    const deadline = new Date('2026-11-21T11:05:00.000Z');
    const { leadId, owner } = await arrange('resume-kept', ['solo'], deadline);
    const bus = flakyBus();
    const first = new Date(deadline.getTime() + 10_000);
    await sweepSla(bus.deps(first), first);
    const kept = (await getLead(table, leadId))!;
    expect(kept.ownerId).toBe(owner);
    expect(bus.published).toEqual([]);

    const later = new Date(first.getTime() + STALL_MS + MINUTE);
    await sweepSla(bus.deps(later), later);
    expect(bus.published.map((e) => e.detailType)).toEqual([LEAD_ASSIGNED]);
    expect(bus.published[0]!.detail).toMatchObject({ repId: owner, slaDeadline: kept.slaDeadline });
    expect(await readDueWatches(table, slaBucketOf(deadline), later)).toEqual([]);
  });
});
