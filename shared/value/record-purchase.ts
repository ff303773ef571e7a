import { ulid } from 'ulid';
import type { LeadStatusChanged } from '../../events/lead-status-changed.js';
import { ConflictError } from '../domain/lead-status.js';
import { decimal, decimalText } from '../domain/money.js';
import { ClientError, ValidationError } from '../domain/errors.js';
import { parsePurchase, parsePurchaseBatch, type PurchaseInput } from '../domain/purchase-input.js';
import { getLeadWithTimeline } from '../store/lead-store.js';
import { findOrCreateCustomer, recordPurchase, type StoredPurchase } from '../store/purchase-store.js';
import type { Table } from '../store/table.js';
import { refreshCustomerValue } from './customer-value.js';

/** What a reported purchase came to, for the API's answer. */
export interface ReportedPurchase {
  created: boolean;
  contactCreated: boolean;
  purchase: StoredPurchase;
  segment?: string;
}

/**
 * `POST /v1/purchases`: finds (or creates) the customer, records the purchase once per order id and
 * brings the customer's value and segment up to date. A repeat of the same order is answered with the
 * stored purchase; the same order id with another amount, currency, time or customer is a 409.
 */
export async function reportPurchase(table: Table, input: PurchaseInput, now: Date): Promise<ReportedPurchase> {
  const customer = await findOrCreateCustomer(table, input.contact, { newContactId: ulid(now.getTime()), at: input.at });
  const result = await recordPurchase(table, {
    orderId: input.orderId,
    contactId: customer.contactId,
    at: input.at,
    amount: input.amount,
    currency: input.currency,
    origin: 'api',
    recordedAt: now.toISOString(),
  }, { compareTime: input.atGiven });
  if (result.outcome === 'conflict') {
    const p = result.purchase;
    throw new ConflictError(`order ${input.orderId} was recorded already as ${p.amount} ${p.currency} at ${p.at} for contact ${p.contactId}; a correction or refund needs its own order id`);
  }
  // Also for a duplicate: the first request may have failed between recording and refreshing.
  const value = await refreshCustomerValue(table, result.purchase.contactId, now);
  return {
    created: result.outcome === 'recorded',
    contactCreated: customer.created,
    purchase: result.purchase,
    ...(value?.segment ? { segment: value.segment } : {}),
  };
}

/** The order id a won lead's purchase is recorded under: one per lead, so a redelivery is a duplicate. */
export function wonLeadOrderId(leadId: string): string {
  return `lead:${leadId}`;
}

/**
 * A lead was won: its revenue becomes a purchase of the lead's contact (idempotent by the lead id), with
 * the time the rep qualified it, if they did, for attribution. Test leads, changes to other statuses and
 * leads without a contact (no email or phone) record nothing; returns what was recorded, if anything.
 */
export async function recordWonLead(table: Table, change: LeadStatusChanged, now: Date): Promise<StoredPurchase | undefined> {
  if (change.to !== 'won' || !change.revenue || change.lead.isTest) return undefined;
  const stored = await getLeadWithTimeline(table, change.lead.leadId);
  const contactId = stored?.lead.contactId;
  if (!contactId) return undefined;
  const qualified = stored.timeline.find((e) => e.type === 'Lead Status Changed' && e.detail.to === 'qualified');
  const result = await recordPurchase(table, {
    orderId: wonLeadOrderId(change.lead.leadId),
    contactId,
    at: change.changedAt,
    // The event carries a JSON number; its shortest decimal form is what the rep typed.
    amount: decimalText(decimal(change.revenue.amount)),
    currency: change.revenue.currency,
    origin: 'lead',
    leadId: change.lead.leadId,
    ...(qualified ? { opportunityAt: qualified.at } : {}),
    recordedAt: now.toISOString(),
  });
  await refreshCustomerValue(table, contactId, now);
  return result.purchase;
}

/** One purchase's outcome in a batch. */
export type BatchResult =
  | { index: number; orderId: string; status: 'recorded' | 'duplicate'; contactId: string; segment?: string }
  | { index: number; orderId?: string; status: 'invalid' | 'conflict'; problems: Array<{ field: string; problem: string }> };

/**
 * `POST /v1/purchases` with one purchase (201 recorded, 200 a repeat) or `{"purchases": [...]}`: each
 * recorded on its own, in order (two orders of one new customer make one contact), answering 200 when
 * all went in, 207 with each item's outcome when some were refused, and 400 naming every problem when
 * none could be.
 */
export async function receivePurchases(table: Table, body: unknown, now: Date): Promise<{ statusCode: number; body: unknown }> {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('purchases' in body)) {
    const result = await reportPurchase(table, parsePurchase(body, now), now);
    return { statusCode: result.created ? 201 : 200, body: result };
  }
  const results: BatchResult[] = [];
  for (const item of parsePurchaseBatch(body as Record<string, unknown>, now)) {
    if ('problems' in item) {
      results.push({ index: item.index, status: 'invalid', problems: item.problems });
      continue;
    }
    try {
      const done = await reportPurchase(table, item.input, now);
      results.push({
        index: item.index, orderId: item.input.orderId, status: done.created ? 'recorded' : 'duplicate', contactId: done.purchase.contactId,
        ...(done.segment ? { segment: done.segment } : {}),
      });
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      results.push({ index: item.index, orderId: item.input.orderId, status: 'conflict', problems: [{ field: `purchases[${item.index}].orderId`, problem: error.message }] });
    }
  }
  const refused = results.filter((r) => r.status === 'invalid' || r.status === 'conflict');
  if (refused.length === results.length && results.every((r) => r.status === 'invalid')) {
    throw new ValidationError('no purchase of the batch is valid', refused.flatMap((r) => ('problems' in r ? r.problems : [])));
  }
  const count = (status: BatchResult['status']) => results.filter((r) => r.status === status).length;
  return {
    statusCode: refused.length ? 207 : 200,
    body: { recorded: count('recorded'), duplicates: count('duplicate'), invalid: count('invalid'), conflicts: count('conflict'), results },
  };
}
