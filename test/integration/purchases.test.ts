import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadStatusChanged } from '../../events/lead-status-changed.js';
import { ConflictError } from '../../shared/domain/lead-status.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import { routeLead } from '../../shared/domain/routing/route.js';
import type { Lead } from '../../shared/domain/lead.js';
import { resolveContact } from '../../shared/use-cases/resolve-contact.js';
import { dynamoContactStore } from '../../shared/store/adapters.js';
import { createLead } from '../../shared/store/lead-store.js';
import { customerValues, purchasesOf, purchasesOfDay } from '../../shared/store/purchase-store.js';
import type { Table } from '../../shared/store/table.js';
import { saveValueSettings } from '../../shared/store/value-settings-store.js';
import { DEFAULT_SEGMENT_CONFIG } from '../../shared/domain/segments.js';
import { DEFAULT_MODEL_OPTIONS } from '../../shared/domain/attribution-models.js';
import { readContactView } from '../../shared/value/contact-view.js';
import { refreshCustomerValue } from '../../shared/value/customer-value.js';
import { getContact } from '../../shared/store/contact-store.js';
import { receivePurchases, recordWonLead, reportPurchase } from '../../shared/value/record-purchase.js';
import { startTestTable } from '../support/local-services.js';

let table: Table;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ table, stop } = await startTestTable());
});
afterAll(async () => stop?.());

/** Times derived from now, so no test starts failing as the calendar moves on. */
const now = new Date();
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
let seq = 0;
const unique = (prefix: string) => `${prefix}-${now.getTime()}-${seq++}`;

describe('purchases on DynamoDB Local', () => {
  it('records an order once: a retried request is a duplicate and the total counts it once', async () => {
    const email = `${unique('ann')}@example.org`;
    const input = { orderId: unique('A'), contact: { email }, amount: '149.9', currency: 'EUR', atGiven: true, at: daysAgo(2) };
    const first = await reportPurchase(table, input, now);
    const again = await reportPurchase(table, input, now);
    expect(first).toMatchObject({ created: true, contactCreated: true });
    expect(again).toMatchObject({ created: false, contactCreated: false });
    expect(again.purchase.contactId).toBe(first.purchase.contactId);
    const view = await readContactView(table, first.purchase.contactId, now);
    expect(view.value).toMatchObject({ purchases: 1, total: { EUR: '149.9' } });
    expect(view.identities.emails).toEqual([email]);
  });

  it('takes a retry of a purchase sent without a time (stamped on receipt) as the same order', async () => {
    const input = { orderId: unique('T'), contact: { email: `${unique('tim')}@example.org` }, amount: '20', currency: 'USD', atGiven: false };
    const first = await reportPurchase(table, { ...input, at: daysAgo(0.01) }, now);
    const retry = await reportPurchase(table, { ...input, at: daysAgo(0) }, now);
    expect([first.created, retry.created]).toEqual([true, false]);
    expect(retry.purchase.at).toBe(first.purchase.at);
  });

  it('answers 409 for an order id recorded with another amount, keeping the first', async () => {
    const email = `${unique('bob')}@example.org`;
    const orderId = unique('B');
    await reportPurchase(table, { orderId, contact: { email }, amount: '10', currency: 'USD', atGiven: true, at: daysAgo(1) }, now);
    await expect(reportPurchase(table, { orderId, contact: { email }, amount: '12', currency: 'USD', atGiven: true, at: daysAgo(1) }, now)).rejects.toBeInstanceOf(ConflictError);
    const [only] = (await purchasesOfDay(table, daysAgo(1).slice(0, 10))).filter((p) => p.orderId === orderId);
    expect(only?.amount).toBe('10');
  });

  it('nets a refund out of the total without counting it as a purchase', async () => {
    const email = `${unique('cy')}@example.org`;
    const bought = await reportPurchase(table, { orderId: unique('C'), contact: { email }, amount: '100', currency: 'USD', atGiven: true, at: daysAgo(5) }, now);
    await reportPurchase(table, { orderId: unique('C-refund'), contact: { email }, amount: '-25.5', currency: 'USD', atGiven: true, at: daysAgo(4) }, now);
    const view = await readContactView(table, bought.purchase.contactId, now);
    expect(view.value).toMatchObject({ purchases: 1, refunds: 1, total: { USD: '74.5' }, averageCheck: { USD: '74.5' } });
    expect(await purchasesOf(table, bought.purchase.contactId)).toHaveLength(2);
  });

  it('finds the customer by email, by phone and by external id, adding the identities it was not known by', async () => {
    const email = `${unique('dee')}@example.org`;
    const externalId = unique('shop-customer');
    const first = await reportPurchase(table, { orderId: unique('D'), contact: { email, externalId }, amount: '5', currency: 'USD', atGiven: true, at: daysAgo(3) }, now);
    const byExternal = await reportPurchase(table, { orderId: unique('D'), contact: { externalId, phone: '+14155550177' }, amount: '6', currency: 'USD', atGiven: true, at: daysAgo(2) }, now);
    const byPhone = await reportPurchase(table, { orderId: unique('D'), contact: { phone: '+14155550177' }, amount: '7', currency: 'USD', atGiven: true, at: daysAgo(1) }, now);
    expect(byExternal.purchase.contactId).toBe(first.purchase.contactId);
    expect(byPhone.purchase.contactId).toBe(first.purchase.contactId);
    const view = await readContactView(table, first.purchase.contactId, now);
    expect(view.identities).toEqual({ emails: [email], phones: ['+14155550177'], externalIds: [externalId] });
    expect(view.value).toMatchObject({ purchases: 3, total: { USD: '18' }, averageCheck: { USD: '6' }, averageDaysBetweenPurchases: '1' });
  });

  it('gives one new customer one contact when ten of their first purchases arrive at once', async () => {
    const email = `${unique('eve')}@example.org`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => reportPurchase(table, { orderId: unique(`E${i}`), contact: { email }, amount: '1', currency: 'USD', atGiven: true, at: daysAgo(1) }, now)),
    );
    expect(new Set(results.map((r) => r.purchase.contactId)).size).toBe(1);
    const view = await readContactView(table, results[0]!.purchase.contactId, now);
    expect(view.value).toMatchObject({ purchases: 10, total: { USD: '10' } });
    // Concurrent refreshes: the stored figures are from all ten, not a stale read of fewer.
    let stored: number | undefined;
    for await (const page of customerValues(table)) stored ??= page.find((v) => v.contactId === results[0]!.purchase.contactId)?.purchases;
    expect(stored).toBe(10);
  });

  it('records the valid purchases of a batch and answers 207 naming the invalid one, which holds nothing back', async () => {
    const email = `${unique('ida')}@example.org`;
    const at = daysAgo(1);
    const answer = await receivePurchases(table, {
      purchases: [
        { orderId: unique('I'), contact: { email }, amount: '10', currency: 'USD', at },
        { orderId: unique('I'), contact: { email }, amount: 'ten', currency: 'USD', at },
        { orderId: unique('I'), contact: { email }, amount: '15', currency: 'USD', at },
      ],
    }, now);
    expect(answer.statusCode).toBe(207);
    const body = answer.body as { recorded: number; invalid: number; results: Array<{ status: string; contactId?: string; problems?: Array<{ field: string }> }> };
    expect(body).toMatchObject({ recorded: 2, invalid: 1 });
    expect(body.results.map((r) => r.status)).toEqual(['recorded', 'invalid', 'recorded']);
    expect(body.results[1]!.problems!.map((p) => p.field)).toEqual(['purchases[1].amount']);
    // Two orders of one new customer in a batch make one contact.
    expect(body.results[0]!.contactId).toBe(body.results[2]!.contactId);
    const view = await readContactView(table, body.results[0]!.contactId!, now);
    expect(view.value).toMatchObject({ purchases: 2, total: { USD: '25' } });
  });

  it('answers 400 naming every item\'s problem when no purchase of a batch is valid', async () => {
    await expect(receivePurchases(table, { purchases: [{ orderId: 'x', contact: {}, amount: 1, currency: 'USD' }] }, now)).rejects.toMatchObject({
      statusCode: 400, fields: [{ field: 'purchases[0].contact' }],
    });
    await expect(receivePurchases(table, { purchases: [] }, now)).rejects.toMatchObject({ statusCode: 400, fields: [{ field: 'purchases' }] });
  });

  it('answers 404 for a contact that does not exist', async () => {
    await expect(readContactView(table, 'no-such-contact', now)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('won leads and segments on DynamoDB Local', () => {
  async function storedLead(email: string, capturedAt: string): Promise<{ leadId: string; contactId: string }> {
    const leadId = unique('L');
    const contact = await resolveContact(dynamoContactStore(table), {
      leadId, capturedAt, sourceId: 'site', channel: 'web_form', provider: 'html_form', person: { email },
      attribution: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'Winter Sale' },
      mergeWindowSeconds: 1, statusOf: async () => 'won',
    });
    const lead = {
      leadId, sourceId: 'site', channel: 'web_form', provider: 'html_form', externalIds: {}, person: { email }, answers: {}, attribution: {},
      capturedAt, isTest: false, status: 'won', score: 0, grade: 'C', reasons: [], qualifiedAt: capturedAt, contactId: contact!.contactId,
    } as unknown as Lead;
    await createLead(table, lead, [{ at: daysAgo(2), type: 'Lead Status Changed', detail: { to: 'qualified' } }]);
    return { leadId, contactId: contact!.contactId };
  }

  const won = (leadId: string, capturedAt: string, amount: number): LeadStatusChanged => ({
    version: 1,
    lead: { leadId, sourceId: 'site', channel: 'web_form', capturedAt, isTest: false },
    repId: 'rep', from: 'qualified', to: 'won', revenue: { amount, currency: 'USD' }, changedAt: daysAgo(1),
  });

  it('records a won lead\'s revenue as a purchase of its contact once, with the rep\'s qualification time', async () => {
    const capturedAt = daysAgo(3);
    const { leadId, contactId } = await storedLead(`${unique('fay')}@example.org`, capturedAt);
    const first = await recordWonLead(table, won(leadId, capturedAt, 1200.1), now);
    await recordWonLead(table, won(leadId, capturedAt, 1200.1), now);
    expect(first).toMatchObject({ orderId: `lead:${leadId}`, amount: '1200.1', currency: 'USD', origin: 'lead', leadId, opportunityAt: daysAgo(2) });
    const view = await readContactView(table, contactId, now);
    expect(view.value).toMatchObject({ purchases: 1, total: { USD: '1200.1' } });
    expect(view.acquisitionChannel).toBe('google_ads');
    expect(view.touchpoints[0]).toMatchObject({ marketingChannel: 'google_ads', campaign: 'winter sale' });
  });

  it('keeps a VIP\'s segment on the contact, so their next lead carries segment = vip and a routing rule on it matches', async () => {
    const email = `${unique('gil')}@example.org`;
    const capturedAt = daysAgo(10);
    const { contactId } = await storedLead(email, capturedAt);
    const bought = await reportPurchase(table, { orderId: unique('G'), contact: { email }, amount: '7500', currency: 'USD', atGiven: true, at: daysAgo(5) }, now);
    expect(bought.segment).toBe('vip');
    const next = await resolveContact(dynamoContactStore(table), {
      leadId: unique('L'), capturedAt: new Date().toISOString(), sourceId: 'site', channel: 'web_form', person: { email },
      mergeWindowSeconds: 1, statusOf: async () => 'won',
    });
    expect(next).toMatchObject({ contactId, returning: true, segment: 'vip' });
    const decision = routeLead(
      { channel: 'web_form', segment: next!.segment },
      { fallbackTeamId: 'sales', rules: [{ id: 'vips-to-seniors', when: [{ fact: 'segment', op: 'equals', value: 'vip' }], to: { teamId: 'senior' } }] },
      undefined,
      false,
    );
    expect(decision).toMatchObject({ ruleId: 'vips-to-seniors', target: { teamId: 'senior' } });
  });

  it('takes the new segment off a customer when the daily refresh finds the first purchase more than 30 days old', async () => {
    const email = `${unique('ivy')}@example.org`;
    const bought = await reportPurchase(table, { orderId: unique('N'), contact: { email }, amount: '20', currency: 'USD', atGiven: true, at: daysAgo(1) }, now);
    expect(bought.segment).toBe('new');
    expect((await getContact(table, bought.purchase.contactId))?.segment).toBe('new');
    const later = new Date(now.getTime() + 31 * 86_400_000);
    const refreshed = await refreshCustomerValue(table, bought.purchase.contactId, later);
    expect(refreshed).toMatchObject({ saved: true, purchases: 1 });
    expect(refreshed?.segment).toBeUndefined();
    expect((await getContact(table, bought.purchase.contactId))?.segment).toBeUndefined();
  });

  it('applies the admin\'s segment rules from the next purchase on', async () => {
    await saveValueSettings(
      table,
      { segments: { rules: [{ segment: 'whale', kind: 'spent_more_than', amounts: { USD: '50' }, withinDays: 30 }, ...DEFAULT_SEGMENT_CONFIG.rules] }, attribution: DEFAULT_MODEL_OPTIONS },
      { actor: 'test', at: now.toISOString() },
    );
    try {
      const bought = await reportPurchase(table, { orderId: unique('H'), contact: { email: `${unique('hal')}@example.org` }, amount: '60', currency: 'USD', atGiven: true, at: daysAgo(1) }, now);
      expect(bought.segment).toBe('whale');
    } finally {
      await saveValueSettings(table, { segments: DEFAULT_SEGMENT_CONFIG, attribution: DEFAULT_MODEL_OPTIONS }, { actor: 'test', at: now.toISOString() });
    }
  });
});
