import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_CAPTURED, type LeadCaptured } from '../../events/lead-captured.js';
import { takeRotationTicket } from '../../shared/store/directory-store.js';
import {
  appendTimeline,
  assignLead,
  captureLead,
  createLead,
  getCapture,
  getLeadWithTimeline,
  markUnassigned,
  recordNotified,
} from '../../shared/store/lead-store.js';
import { readDayFunnel, recordFunnelSteps } from '../../shared/store/metrics-store.js';
import type { Lead } from '../../shared/domain/lead.js';
import type { Table } from '../../shared/store/table.js';
import { keys } from '../../shared/store/keys.js';
import type { TableStream } from '../support/announcements.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stream: TableStream;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stream, stop } = await startTestTable());
});
afterAll(async () => stop?.());

let seq = 0;
function captured(overrides: Partial<LeadCaptured> = {}): LeadCaptured {
  const leadId = `L${Date.now()}${seq++}`;
  return {
    version: 1,
    leadId,
    sourceId: 'src',
    channel: 'web_form',
    provider: 'html_form',
    externalIds: {},
    person: { email: 'a@example.org' },
    answers: {},
    attribution: {},
    capturedAt: '2026-11-20T10:00:00.000Z',
    isTest: false,
    rawRef: { pk: `LEAD#${leadId}`, sk: 'RAW' },
    ...overrides,
  };
}
const raw = { contentType: 'application/json', body: '{}', headers: {} };

describe('capturing a lead in DynamoDB Local', () => {
  it('lets exactly one of ten concurrent identical captures create the lead and announce it; the rest get its id', async () => {
    const now = new Date();
    const attempts = Array.from({ length: 10 }, () => captured());
    const mark = await stream.mark();
    const outcomes = await Promise.all(
      attempts.map((c) => captureLead(table, { captured: c, raw, dedupeKey: 'same-key', windowSeconds: 600, now })),
    );
    const fresh = outcomes.filter((o) => !o.duplicate);
    expect(fresh).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.leadId))).toEqual(new Set([fresh[0]!.leadId]));
    const losers = attempts.filter((c) => c.leadId !== fresh[0]!.leadId);
    for (const c of losers) expect(await getCapture(table, c.leadId)).toBeUndefined();
    const winner = attempts.find((c) => c.leadId === fresh[0]!.leadId);
    expect(await stream.announcementsSince(mark)).toEqual([{ detailType: LEAD_CAPTURED, detail: winner }]);
  });

  it('claims a dedupe key afresh once its window has passed', async () => {
    const first = await captureLead(table, { captured: captured(), raw, dedupeKey: 'windowed', windowSeconds: 60, now: new Date('2026-11-20T10:00:00Z') });
    const within = await captureLead(table, { captured: captured(), raw, dedupeKey: 'windowed', windowSeconds: 60, now: new Date('2026-11-20T10:00:59Z') });
    const after = await captureLead(table, { captured: captured(), raw, dedupeKey: 'windowed', windowSeconds: 60, now: new Date('2026-11-20T10:01:01Z') });
    expect(within).toMatchObject({ leadId: first.leadId, duplicate: true });
    expect(after.duplicate).toBe(false);
    expect(after.leadId).not.toBe(first.leadId);
  });

  it('stores Lead Captured in the transaction that stores the capture, and a repeat writes and announces nothing', async () => {
    const c = captured();
    const mark = await stream.mark();
    expect(await captureLead(table, { captured: c, raw, dedupeKey: 'announced-once', windowSeconds: 600, now: new Date() })).toEqual({ leadId: c.leadId, duplicate: false });
    // The archived capture's outbox names its own `captured` attribute: the lead, with its empty maps, whole.
    expect(await stream.announcementsSince(mark, { item: keys.leadCapture(c.leadId) })).toEqual([{ detailType: LEAD_CAPTURED, detail: c }]);
    expect(await stream.announcementsSince(mark)).toHaveLength(1);

    const repeat = await stream.mark();
    const again = await captureLead(table, { captured: captured(), raw, dedupeKey: 'announced-once', windowSeconds: 600, now: new Date() });
    expect(again).toEqual({ leadId: c.leadId, duplicate: true });
    expect(await stream.changesSince(repeat)).toEqual([]);
  });
});

describe('lead state in DynamoDB Local', () => {
  function lead(c: LeadCaptured): Lead {
    const { version: _v, rawRef: _r, teamHint: _t, ...rest } = c;
    return { ...rest, status: 'qualified', score: 10, grade: 'cold', reasons: [], qualifiedAt: '2026-11-20T10:00:01.000Z' };
  }

  it('creates a lead once; a second create leaves the first untouched', async () => {
    const l = lead(captured());
    expect(await createLead(table, l, [{ at: l.capturedAt, type: 'Lead Captured', detail: {} }])).toBe(true);
    expect(await createLead(table, { ...l, score: 99 }, [])).toBe(false);
    const stored = await getLeadWithTimeline(table, l.leadId);
    expect(stored?.lead.score).toBe(10);
    expect(stored?.timeline.map((e) => e.type)).toEqual(['Lead Captured']);
  });

  it('assigns a lead to one owner only, however many assignments race', async () => {
    const l = lead(captured());
    await createLead(table, l, []);
    const trace = { rule: 'r', teamId: 't', strategy: 'round_robin', candidates: [], winner: 'x' };
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((repId) => assignLead(table, { leadId: l.leadId, repId, teamId: 't', at: new Date().toISOString(), trace })),
    );
    expect(results.filter((r) => r.assigned)).toHaveLength(1);
    const stored = await getLeadWithTimeline(table, l.leadId);
    expect(stored?.timeline.filter((e) => e.type === 'Lead Assigned')).toHaveLength(1);
  });

  it('records the first notification only', async () => {
    const l = lead(captured());
    await createLead(table, l, []);
    const input = { leadId: l.leadId, repId: 'a', at: new Date().toISOString(), latencyMs: 120, channel: 'webhook', attempt: 1 };
    expect(await recordNotified(table, input)).toBe(true);
    expect(await recordNotified(table, { ...input, attempt: 2 })).toBe(false);
    const stored = await getLeadWithTimeline(table, l.leadId);
    expect(stored?.lead).toMatchObject({ notifiedAt: input.at, captureToNotifyMs: 120 });
    expect(stored?.timeline).toEqual([{ at: input.at, type: 'Rep Notified', detail: { repId: 'a', channel: 'webhook', attempt: 1, latencyMs: 120 } }]);
  });

  it('keeps the timeline in the order things happened, and leaves an owned lead owned', async () => {
    const l = lead(captured());
    await createLead(table, l, [{ at: '2026-11-20T10:00:00.000Z', type: 'Lead Captured', detail: {} }]);
    const trace = { rule: 'r', teamId: 't', strategy: 'round_robin', candidates: [], winner: 'a' };
    await assignLead(table, { leadId: l.leadId, repId: 'a', teamId: 't', at: '2026-11-20T10:00:01.000Z', trace });
    await markUnassigned(table, l.leadId, '2026-11-20T10:00:02.000Z', 'nobody left');
    await appendTimeline(table, l.leadId, { at: '2026-11-20T10:00:03.000Z', type: 'Notification Failed', detail: { error: 'x' } });
    const stored = await getLeadWithTimeline(table, l.leadId);
    expect(stored?.lead.status).toBe('assigned');
    expect(stored?.timeline.map((e) => e.type)).toEqual(['Lead Captured', 'Lead Assigned', 'Notification Failed']);
  });

  it('records a lead as unassigned once, however often the event is delivered', async () => {
    const l = lead(captured());
    await createLead(table, l, []);
    await markUnassigned(table, l.leadId, '2026-11-20T10:00:01.000Z', 'team t has no active rep');
    await markUnassigned(table, l.leadId, '2026-11-20T10:00:02.000Z', 'team t has no active rep');
    const stored = await getLeadWithTimeline(table, l.leadId);
    expect(stored?.lead.status).toBe('unassigned');
    expect(stored?.timeline.map((e) => e.type)).toEqual(['Lead Unassigned']);
  });

  it('changes nothing for a lead that does not exist', async () => {
    const trace = { rule: 'r', teamId: 't', strategy: 'round_robin', candidates: [], winner: 'a' };
    expect(await assignLead(table, { leadId: 'missing', repId: 'a', teamId: 't', at: '2026-11-20T10:00:00.000Z', trace })).toEqual({ assigned: false });
    await appendTimeline(table, 'missing', { at: '2026-11-20T10:00:00.000Z', type: 'X', detail: {} });
    expect(await getLeadWithTimeline(table, 'missing')).toBeUndefined();
  });
});

describe('rotation tickets and funnel counters in DynamoDB Local', () => {
  it('hands 100 concurrent callers the tickets 0 to 99, each once', async () => {
    const tickets = await Promise.all(Array.from({ length: 100 }, () => takeRotationTicket(table, 'team-tickets')));
    expect([...tickets].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('counts each funnel step of a lead once, however often its event is delivered', async () => {
    const ref = { leadId: 'counted-1', sourceId: 'src-count', channel: 'web_form' as const, capturedAt: '2026-11-19T23:59:59.000Z', isTest: false };
    await Promise.all(Array.from({ length: 5 }, () => recordFunnelSteps(table, [{ lead: ref, stage: 'leads' }])));
    await recordFunnelSteps(table, [
      { lead: ref, stage: 'leads' },
      { lead: ref, stage: 'notified', latencyMs: 840 },
      { lead: ref, stage: 'notified', latencyMs: 840 },
      { lead: { ...ref, leadId: 'counted-2' }, stage: 'leads' },
      { lead: { ...ref, leadId: 'counted-3', channel: 'phone' }, stage: 'leads' },
    ]);
    const day = await readDayFunnel(table, '2026-11-19');
    expect(day.counters).toEqual([
      { sourceId: 'src-count', channel: 'web_form', leads: 2, qualified: 0, assigned: 0, notified: 1, accepted: 0, contacted: 0, won: 0, lost: 0 },
      { sourceId: 'src-count', channel: 'phone', leads: 1, qualified: 0, assigned: 0, notified: 0, accepted: 0, contacted: 0, won: 0, lost: 0 },
    ]);
    expect(day.latencies).toEqual([{ sourceId: 'src-count', channel: 'web_form', latencyMs: 840 }]);
  });

  it('writes more steps than one BatchWriteItem takes', async () => {
    const steps = Array.from({ length: 60 }, (_, i) => ({
      lead: { leadId: `many-${i}`, sourceId: 'src-many', channel: 'web_form' as const, capturedAt: '2026-11-16T12:00:00.000Z', isTest: false },
      stage: 'leads' as const,
    }));
    await recordFunnelSteps(table, steps);
    expect((await readDayFunnel(table, '2026-11-16')).counters).toEqual([
      { sourceId: 'src-many', channel: 'web_form', leads: 60, qualified: 0, assigned: 0, notified: 0, accepted: 0, contacted: 0, won: 0, lost: 0 },
    ]);
  });

  it('counts a lead on the day it was captured, not the day a later step happened', async () => {
    const ref = { leadId: 'late-1', sourceId: 'src-late', channel: 'web_form' as const, capturedAt: '2026-11-17T23:59:59.000Z', isTest: false };
    await recordFunnelSteps(table, [{ lead: ref, stage: 'notified', latencyMs: 2000 }]);
    expect((await readDayFunnel(table, '2026-11-17')).counters).toHaveLength(1);
    expect((await readDayFunnel(table, '2026-11-18')).counters).toHaveLength(0);
  });
});
