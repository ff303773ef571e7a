import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_ASSIGNED } from '../../events/lead-assigned.js';
import { LEAD_TAKEN_BACK } from '../../events/lead-taken-back.js';
import type { OutgoingEvent } from '../../shared/aws/event-publisher.js';
import type { Rep, Team } from '../../shared/domain/directory.js';
import type { Lead } from '../../shared/domain/lead.js';
import { acceptLead } from '../../shared/use-cases/accept-lead.js';
import { dynamoLeadStore } from '../../shared/store/adapters.js';
import { sweepSla, type SweepDeps } from '../../shared/use-cases/sweep-sla.js';
import { putRep, putTeam } from '../../shared/store/directory-store.js';
import { assignLead, createLead, getLeadWithTimeline } from '../../shared/store/lead-store.js';
import { putSlaWatch, readDueWatches } from '../../shared/store/sla-store.js';
import { slaBucketOf } from '../../shared/domain/sla.js';
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

const MINUTE = 60_000;

interface Harness {
  deps: (now: Date) => SweepDeps;
  /** What the writes made since the harness was set up announced (the table's stream). */
  announced: () => Promise<OutgoingEvent[]>;
  managerCalls: Array<{ url: string; payload: any; key: string }>;
}

async function harness(): Promise<Harness> {
  const mark = await stream.mark();
  const managerCalls: Harness['managerCalls'] = [];
  return {
    announced: () => stream.announcementsSince(mark),
    managerCalls,
    deps: (now) => ({
      table,
      routingConfig: async () => undefined,
      now: () => now,
      tellManager: async (url, payload, key) => void managerCalls.push({ url, payload, key }),
    }),
  };
}

let seq = 0;

/** A team with reps and an SLA, and a lead assigned to `owner` whose deadline is `deadline`, with its watch. */
async function arrange(options: { reps: string[]; owner: string; deadline: Date; escalateAfterMisses?: number }) {
  const teamId = `t${Date.now()}${seq++}`;
  const team: Team = {
    teamId,
    name: 'Sweep test',
    strategy: 'round_robin',
    sla: { acceptWithinMinutes: 5, clock: 'wall', escalateAfterMisses: options.escalateAfterMisses ?? 1 },
    manager: { name: 'Mo', webhookUrl: 'https://manager.example/hook' },
  };
  await putTeam(table, team);
  for (const repId of options.reps) {
    const rep: Rep = { repId: `${teamId}-${repId}`, teamId, name: repId, active: true };
    await putRep(table, rep);
  }
  const owner = `${teamId}-${options.owner}`;
  const leadId = `L${teamId}`;
  const capturedAt = new Date(options.deadline.getTime() - 10 * MINUTE).toISOString();
  const lead = {
    leadId,
    sourceId: 'src',
    channel: 'web_form',
    provider: 'html_form',
    externalIds: {},
    person: { email: 'sweep@example.org' },
    answers: {},
    attribution: {},
    capturedAt,
    isTest: false,
    status: 'qualified',
    score: 10,
    grade: 'warm',
    reasons: [],
    qualifiedAt: capturedAt,
  } as Lead;
  await createLead(table, lead, []);
  const deadline = options.deadline.toISOString();
  const trace = { rule: 'test', teamId, strategy: 'round_robin', candidates: [], winner: owner };
  await assignLead(table, { leadId, repId: owner, teamId, at: capturedAt, trace, slaDeadline: deadline });
  await putSlaWatch(table, { leadId, repId: owner, teamId, assignment: 1, deadline });
  return { teamId, leadId, owner, deadline };
}

const types = (timeline: Array<{ type: string }>) => timeline.map((e) => e.type);

describe('the SLA sweeper against DynamoDB Local', () => {
  it('hands a missed lead on exactly once when two sweeps run at the same moment, and escalates once', async () => {
    const deadline = new Date('2026-11-20T10:05:00.000Z');
    const { leadId, owner, teamId } = await arrange({ reps: ['ana', 'ben', 'cat'], owner: 'ana', deadline });
    const h = await harness();
    const now = new Date(deadline.getTime() + 30_000);

    const [a, b] = await Promise.all([sweepSla(h.deps(now), now), sweepSla(h.deps(now), now)]);

    expect([...a.reassigned, ...b.reassigned]).toEqual([leadId]);
    const { lead, timeline } = (await getLeadWithTimeline(table, leadId))!;
    expect(lead.ownerId).not.toBe(owner);
    expect([`${teamId}-ben`, `${teamId}-cat`]).toContain(lead.ownerId);
    expect(types(timeline).filter((t) => t === 'SLA Missed')).toHaveLength(1);
    expect(types(timeline).filter((t) => t === 'Lead Reassigned')).toHaveLength(1);
    expect(types(timeline).filter((t) => t === 'SLA Escalated')).toHaveLength(1);
    expect(timeline.find((e) => e.type === 'SLA Escalated')!.detail).toMatchObject({ delivered: true, misses: 1, nowWith: lead.ownerId });
    const announced = await h.announced();
    expect(announced.filter((e) => e.detailType === LEAD_TAKEN_BACK).map((e) => e.detail)).toEqual([
      expect.objectContaining({ repId: owner, toRepId: lead.ownerId, assignment: 1, misses: 1 }),
    ]);
    expect(announced.filter((e) => e.detailType === LEAD_ASSIGNED).map((e) => (e.detail as any).repId)).toEqual([lead.ownerId]);
    expect(h.managerCalls).toHaveLength(1);
    expect(h.managerCalls[0]!.payload).toMatchObject({ type: 'lead.sla_escalated', leadId, misses: 1 });
    expect(await readDueWatches(table, slaBucketOf(deadline), now)).toEqual([]);

    const again = await sweepSla(h.deps(now), now);
    expect(again.reassigned).toEqual([]);
    expect(await h.announced()).toEqual(announced);
    expect(h.managerCalls).toHaveLength(1);
    expect(types((await getLeadWithTimeline(table, leadId))!.timeline)).toEqual(types(timeline));
  });

  it('refuses the old link once the miss is claimed, so a late accept and the sweeper cannot both win', async () => {
    const deadline = new Date('2026-11-20T11:05:00.000Z');
    const { leadId, owner } = await arrange({ reps: ['ana', 'ben'], owner: 'ana', deadline, escalateAfterMisses: 3 });
    const h = await harness();
    const now = new Date(deadline.getTime() + 1000);
    const [accepted, swept] = await Promise.allSettled([
      acceptLead({ leads: dynamoLeadStore(h.deps(now).table) }, { leadId, repId: owner, assignment: 1, via: 'link', now }),
      sweepSla(h.deps(now), now),
    ]);
    const { lead, timeline } = (await getLeadWithTimeline(table, leadId))!;
    if (accepted.status === 'fulfilled') {
      // The rep got there first: the lead stays theirs and the sweep closed the watch instead.
      expect(lead.ownerId).toBe(owner);
      expect(types(timeline)).not.toContain('SLA Missed');
    } else {
      expect((accepted.reason as { statusCode: number }).statusCode).toBe(409);
      expect(lead.ownerId).not.toBe(owner);
      expect(types(timeline)).not.toContain('Lead Accepted');
    }
    expect(swept.status).toBe('fulfilled');
  });

  it('keeps a missed lead with its rep under a new deadline when no other rep can take it', async () => {
    const deadline = new Date('2026-11-20T12:05:00.000Z');
    const { leadId, owner } = await arrange({ reps: ['solo'], owner: 'solo', deadline, escalateAfterMisses: 2 });
    const h = await harness();
    const now = new Date(deadline.getTime() + 5000);
    const report = await sweepSla(h.deps(now), now);
    expect(report.kept).toEqual([leadId]);
    const { lead, timeline } = (await getLeadWithTimeline(table, leadId))!;
    expect(lead.ownerId).toBe(owner);
    expect(lead.slaDeadline).toBe(new Date(now.getTime() + 5 * MINUTE).toISOString());
    expect(types(timeline).slice(-2)).toEqual(['SLA Missed', 'SLA Extended']);
    const announced = await h.announced();
    expect(announced.map((e) => e.detailType)).toEqual([LEAD_ASSIGNED]);
    expect(announced[0]!.detail).toMatchObject({ repId: owner, slaDeadline: lead.slaDeadline, trace: { reason: 'sla-missed, kept: no other rep can take it' } });
    expect(h.managerCalls).toEqual([]);

    // The new assignment can be accepted, with the assignment number the new link carries.
    const accepted = await acceptLead({ leads: dynamoLeadStore(h.deps(now).table) }, { leadId, repId: owner, assignment: 2, via: 'link', now });
    expect(accepted.alreadyAccepted).toBe(false);
  });
});
