import { describe, expect, it } from 'vitest';
import { tallyAssignment } from '../bench/assignment.js';
import type { DemoNotification, StoredLead } from '../bench/lead-api.js';

const capturedAt = '2026-11-30T10:00:00.000Z';

function lead(leadId: string, ownerId: string, assignedAfterMs: number, timeline: string[] = ['Lead Qualified', 'Lead Assigned']): StoredLead {
  return {
    leadId,
    capturedAt,
    qualifiedAt: new Date(Date.parse(capturedAt) + 100).toISOString(),
    assignedAt: new Date(Date.parse(capturedAt) + assignedAfterMs).toISOString(),
    ownerId,
    timeline: timeline.map((type) => ({ at: capturedAt, type })),
  };
}

const note = (leadId: string, repId: string): DemoNotification => ({ repId, receivedAt: capturedAt, payload: { leadId } });

describe('tallyAssignment', () => {
  const leads = [lead('l1', 'alice', 300), lead('l2', 'bob', 500), lead('l3', 'alice', 1100, ['Lead Qualified', 'Lead Waiting', 'Lead Assigned'])];
  const repLists = { alice: ['l1', 'l3', 'warmup-1'], bob: ['l2'] };
  const notifications = [note('l1', 'alice'), note('l1', 'alice'), note('l2', 'bob'), note('l3', 'alice'), note('warmup-1', 'bob')];

  it('measures capture → assigned and qualified → assigned from each lead, overall and per rep', () => {
    const report = tallyAssignment({ expected: 3, leads, repLists, notifications });
    expect(report.captureToAssigned).toMatchObject({ count: 3, p50: 500, max: 1100 });
    expect(report.qualifiedToAssigned).toMatchObject({ count: 3, min: 200, max: 1000 });
    expect(report.perRep.alice!.captureToAssigned).toMatchObject({ count: 2, min: 300, max: 1100 });
  });

  it('splits leads per rep from owners, the reps\' own lists and notifications, ignoring leads outside the burst', () => {
    const report = tallyAssignment({ expected: 3, leads, repLists, notifications });
    expect(report.perRep.alice).toMatchObject({ owned: 2, listed: 2, notified: 2 });
    expect(report.perRep.bob).toMatchObject({ owned: 1, listed: 1, notified: 1 });
    expect(report.listedTotal).toBe(3);
  });

  it('counts the leads that waited in a team queue and confirms each lead went out once', () => {
    const report = tallyAssignment({ expected: 3, leads, repLists, notifications });
    expect(report.waitedInQueue).toBe(1);
    expect(report).toMatchObject({ notAssigned: 0, assignedMoreThanOnce: 0, listedTwiceOrWrongly: 0, notifiedToSeveralReps: 0, eachAssignedOnce: true });
  });

  it('flags a lead with a second Lead Assigned entry on its timeline', () => {
    const twice = [lead('l1', 'alice', 300, ['Lead Assigned', 'Lead Assigned']), ...leads.slice(1)];
    const report = tallyAssignment({ expected: 3, leads: twice, repLists, notifications });
    expect(report.assignedMoreThanOnce).toBe(1);
    expect(report.eachAssignedOnce).toBe(false);
  });

  it('flags a lead listed by two reps, or by a rep who does not own it', () => {
    const report = tallyAssignment({ expected: 3, leads, repLists: { alice: ['l1', 'l3'], bob: ['l2', 'l1'] }, notifications });
    expect(report.listedTwiceOrWrongly).toBe(1);
    expect(report.listedTotal).toBe(4);
    expect(report.eachAssignedOnce).toBe(false);
  });

  it('flags a lead notified to two reps and leads that never got an owner', () => {
    const report = tallyAssignment({
      expected: 4,
      leads: [...leads, { leadId: 'l4', capturedAt, status: 'waiting' }],
      repLists,
      notifications: [...notifications, note('l2', 'alice')],
    });
    expect(report.notifiedToSeveralReps).toBe(1);
    expect(report.notAssigned).toBe(1);
    expect(report.eachAssignedOnce).toBe(false);
  });
});
