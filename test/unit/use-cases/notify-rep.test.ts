import { describe, expect, it } from 'vitest';
import { LEAD_ASSIGNED, type LeadAssigned } from '../../../events/lead-assigned.js';
import { LEAD_TAKEN_BACK } from '../../../events/lead-taken-back.js';
import { NOTIFICATION_FAILED, REP_NOTIFIED } from '../../../events/rep-notified.js';
import { verifyAcceptToken } from '../../../shared/domain/accept-link.js';
import type { Rep } from '../../../shared/domain/directory.js';
import type { Lead } from '../../../shared/domain/lead.js';
import { DeliveryError } from '../../../shared/notify/webhook.js';
import { notifyRep, type NotifyPorts } from '../../../shared/use-cases/notify-rep.js';
import { MemoryStores } from '../../support/memory-stores.js';

const CAPTURED_AT = '2026-11-20T10:00:00.000Z';
const NOW = new Date('2026-11-20T10:00:03.000Z');
const ref = { leadId: 'L1', sourceId: 'site', channel: 'web_form' as const, capturedAt: CAPTURED_AT, isTest: false };
const assigned: LeadAssigned = {
  version: 1, lead: ref, repId: 'dana', teamId: 'sales', strategy: 'round_robin', assignedAt: '2026-11-20T10:00:01.000Z',
  trace: { rule: 'default', teamId: 'sales', strategy: 'round_robin', candidates: [], winner: 'dana' },
};

/** A notifier that records what it was asked to send, or fails as told. */
function recordingNotifier(fail?: DeliveryError) {
  const sent: Array<{ repId: string; message: Record<string, unknown>; key: string }> = [];
  return { sent, notify: async (rep: Rep, message: Record<string, unknown>, key: string) => {
    if (fail) throw fail;
    sent.push({ repId: rep.repId, message, key });
  } };
}

function setup(fail?: DeliveryError) {
  const stores = new MemoryStores();
  stores.reps.set('dana', { repId: 'dana', name: 'Dana', teamId: 'sales', active: true, webhookUrl: 'http://dana.test/hook' } as Rep);
  stores.putLead({
    ...ref, provider: 'html_form', externalIds: {}, person: { name: 'Ada', email: 'ada@example.org' }, answers: {}, attribution: {},
    status: 'assigned', score: 10, grade: 'warm', reasons: [], qualifiedAt: CAPTURED_AT, ownerId: 'dana', teamId: 'sales',
    assignedAt: '2026-11-20T10:00:01.000Z', slaDeadline: '2026-11-20T10:15:01.000Z',
  } as Lead);
  const notifier = recordingNotifier(fail);
  const ports: NotifyPorts = { leads: stores.leads, notifier, clock: { now: () => NOW }, links: { secret: 's3cret', publicApiUrl: 'http://api.test' } };
  return { stores, notifier, ports };
}

const notice = (attempt = 1, lastAttempt = false) => ({ detailType: LEAD_ASSIGNED, detail: assigned, attempt, lastAttempt });

describe('notifying the assigned rep', () => {
  it('sends the lead with a signed accept link for this assignment and records Rep Notified with the latency from capture', async () => {
    const { stores, notifier, ports } = setup();
    expect(await notifyRep(ports, notice())).toEqual({ outcome: 'notified', leadId: 'L1' });
    expect(notifier.sent).toHaveLength(1);
    const { message, key } = notifier.sent[0]!;
    expect(key).toBe('L1:dana:1');
    expect(message).toMatchObject({ type: 'lead.assigned', assignment: 1, acceptBy: '2026-11-20T10:15:01.000Z', lead: { name: 'Ada' } });
    const token = String(message.acceptUrl).split('/').pop()!;
    expect(verifyAcceptToken(token, 's3cret', NOW)).toMatchObject({ leadId: 'L1', repId: 'dana', assignment: 1 });
    expect(stores.announcedTypes()).toEqual([REP_NOTIFIED]);
    expect(await stores.leads.getLead('L1')).toMatchObject({ notifiedAt: NOW.toISOString(), captureToNotifyMs: 3000, notifiedAssignment: 1 });
  });

  it('sends nothing again for a lead already notified in this assignment', async () => {
    const { stores, notifier, ports } = setup();
    await notifyRep(ports, notice());
    expect(await notifyRep(ports, notice(2))).toEqual({ outcome: 'already-notified', leadId: 'L1' });
    expect(notifier.sent).toHaveLength(1);
    expect(stores.announcedTypes()).toEqual([REP_NOTIFIED]);
  });

  it('does not notify a rep the lead was taken from before the notice went out', async () => {
    const { stores, notifier, ports } = setup();
    stores.leadItems.get('L1')!.ownerId = 'eli';
    expect(await notifyRep(ports, notice())).toEqual({ outcome: 'moved-on', leadId: 'L1' });
    expect(notifier.sent).toHaveLength(0);
  });

  it('asks for a later retry with a growing delay while the rep’s endpoint fails, and records Notification Failed after the last attempt', async () => {
    const { stores, ports } = setup(new DeliveryError('webhook answered 503', true));
    const first = await notifyRep(ports, notice(1));
    expect(first).toMatchObject({ outcome: 'retry' });
    const third = await notifyRep(ports, notice(3));
    expect(third.outcome === 'retry' && first.outcome === 'retry' && third.delaySeconds > first.delaySeconds).toBe(true);
    expect(stores.announcedTypes()).toEqual([]);
    expect(await notifyRep(ports, notice(5, true))).toMatchObject({ outcome: 'gave-up' });
    expect(stores.announcedTypes()).toEqual([NOTIFICATION_FAILED]);
  });

  it('gives up at once, recording why, when retrying cannot help', async () => {
    const { stores, ports } = setup(new DeliveryError('webhook answered 404', false));
    expect(await notifyRep(ports, notice())).toMatchObject({ outcome: 'refused' });
    const { timeline } = (await stores.leads.getLeadWithTimeline('L1'))!;
    expect(timeline.at(-1)).toMatchObject({ type: NOTIFICATION_FAILED, detail: { error: 'webhook answered 404', attempt: 1 } });
  });
});

describe('telling a rep their lead was taken back', () => {
  const back = {
    version: 1, lead: ref, repId: 'dana', teamId: 'sales', assignment: 1, deadline: '2026-11-20T10:15:01.000Z', misses: 1,
    toRepId: 'eli', takenBackAt: '2026-11-20T10:16:00.000Z',
  };

  it('tells them once per missed assignment and records it on the lead', async () => {
    const { stores, notifier, ports } = setup();
    const taken = { detailType: LEAD_TAKEN_BACK, detail: back, attempt: 1, lastAttempt: false };
    expect(await notifyRep(ports, taken)).toEqual({ outcome: 'told-taken-back', leadId: 'L1' });
    expect(notifier.sent[0]).toMatchObject({ key: 'L1:taken-back:1', message: { type: 'lead.taken_back', reassignedTo: 'eli' } });
    await notifyRep(ports, taken);
    const { timeline } = (await stores.leads.getLeadWithTimeline('L1'))!;
    expect(timeline.filter((e) => e.type === 'Rep Told Lead Taken Back')).toHaveLength(1);
  });

  it('keeps retrying a failing taken-back notice into the dead-letter queue without recording a failure', async () => {
    const { stores, ports } = setup(new DeliveryError('webhook answered 500', true));
    expect(await notifyRep(ports, { detailType: LEAD_TAKEN_BACK, detail: back, attempt: 5, lastAttempt: true })).toMatchObject({ outcome: 'retry' });
    expect(stores.announcedTypes()).toEqual([]);
  });
});
