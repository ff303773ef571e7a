import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomerValue } from '../domain/customer-value.js';
import { dayOf } from '../domain/days.js';
import type { PurchaseContact } from '../domain/purchase-input.js';
import { claimIdentity, createContact, findContactIds, type Contact } from './contact-store.js';
import { keys } from './keys.js';
import { cancellationCodes, isConditionFailure, queryAll, withoutKeys, type Table } from './table.js';

/** A purchase (or a refund, negative) as stored under its contact, its order and its day. */
export interface StoredPurchase {
  orderId: string;
  contactId: string;
  at: string;
  amount: string;
  currency: string;
  /** `lead`: recorded from a won lead (order id `lead:<leadId>`); `api`: reported by a shop or CRM. */
  origin: 'lead' | 'api';
  leadId?: string;
  /** For a won lead: when its rep qualified it (the W-shaped model's opportunity anchor). */
  opportunityAt?: string;
  recordedAt: string;
}

/** What recording a purchase came to. */
export type RecordOutcome =
  | { outcome: 'recorded'; purchase: StoredPurchase }
  /** The order id was recorded before with the same contents: nothing changed. */
  | { outcome: 'duplicate'; purchase: StoredPurchase }
  /** The order id was recorded before with other contents; the stored one stands. */
  | { outcome: 'conflict'; purchase: StoredPurchase };

const SAME_FIELDS = ['contactId', 'amount', 'currency'] as const;

/** The purchase recorded under an order id, if any. */
export async function getOrder(table: Table, orderId: string): Promise<StoredPurchase | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.order(orderId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { entity: _entity, version: _version, ...purchase } = withoutKeys(out.Item);
  return purchase as unknown as StoredPurchase;
}

/**
 * Records a purchase once per order id: the order's claim, the purchase under its contact and its entry
 * in the day's list are one transaction, so a retried request (or a redelivered won event) can neither
 * count twice nor leave half a purchase. A repeat with the same contents (the time only when
 * `compareTime`) is a duplicate; with other contents a conflict (the stored purchase is kept and returned).
 */
export async function recordPurchase(table: Table, purchase: StoredPurchase, options: { compareTime: boolean } = { compareTime: true }): Promise<RecordOutcome> {
  const item = { entity: 'purchase', version: 1, ...purchase };
  try {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: { ...keys.order(purchase.orderId), ...item }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { TableName: table.name, Item: { ...keys.purchase(purchase.contactId, purchase.at, purchase.orderId), ...item } } },
          { Put: { TableName: table.name, Item: { ...keys.purchaseDay(dayOf(purchase.at), purchase.at, purchase.orderId), ...item } } },
        ],
      }),
    );
    return { outcome: 'recorded', purchase };
  } catch (error) {
    if (!cancellationCodes(error)?.includes('ConditionalCheckFailed')) throw error;
  }
  const stored = await getOrder(table, purchase.orderId);
  if (!stored) throw new Error(`order ${purchase.orderId} was claimed but cannot be read`);
  // A repeat that did not say when the purchase was made is matched on what it did say.
  const same = SAME_FIELDS.every((f) => stored[f] === purchase[f]) && (!options.compareTime || stored.at === purchase.at);
  return { outcome: same ? 'duplicate' : 'conflict', purchase: stored };
}

/** Every purchase and refund of a contact, oldest first. */
export async function purchasesOf(table: Table, contactId: string): Promise<StoredPurchase[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.contactPartition(contactId), ':prefix': keys.purchasePrefix },
    ConsistentRead: true,
  });
  return items.map((i) => {
    const { entity: _entity, version: _version, ...purchase } = withoutKeys(i);
    return purchase as unknown as StoredPurchase;
  });
}

/** The purchases made on a UTC day, in time order. */
export async function purchasesOfDay(table: Table, day: string): Promise<StoredPurchase[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.purchaseDayPartition(day) },
  });
  return items.map((i) => {
    const { entity: _entity, version: _version, ...purchase } = withoutKeys(i);
    return purchase as unknown as StoredPurchase;
  });
}

/** A contact's value figures and segment as last computed, and from how many purchase records. */
export interface StoredValue extends CustomerValue {
  contactId: string;
  segment?: string;
  /** The first-touch channel: where the customer was acquired. */
  acquisitionChannel: string;
  firstSeenAt?: string;
  /** Purchase records the figures were computed from; a computation from fewer never overwrites one from more. */
  records: number;
  computedAt: string;
}

/**
 * Stores a contact's value figures (listing the contact as a customer) and copies its segment onto the
 * contact, where qualify reads it as a lead fact. Concurrent purchases of one contact each recompute
 * from what they read; a computation from fewer records than the stored one is dropped, so the last
 * word is never a stale one. Returns false when it was dropped.
 */
export async function saveCustomerValue(table: Table, value: StoredValue): Promise<boolean> {
  try {
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...keys.customerValue(value.contactId), ...keys.customerListing(value.contactId), entity: 'customer-value', version: 1, ...value },
        ConditionExpression: 'attribute_not_exists(PK) OR #records <= :records',
        ExpressionAttributeNames: { '#records': 'records' },
        ExpressionAttributeValues: { ':records': value.records },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
  await table.client.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.contact(value.contactId),
      UpdateExpression: value.segment ? 'SET #segment = :segment, segmentAt = :at' : 'REMOVE #segment SET segmentAt = :at',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#segment': 'segment' },
      ExpressionAttributeValues: { ':at': value.computedAt, ...(value.segment ? { ':segment': value.segment } : {}) },
    }),
  ).catch((error) => {
    if (!isConditionFailure(error)) throw error;
  });
  return true;
}

/** Every customer's stored value, a page at a time through GSI1 (the daily refresh and the segment report). */
export async function* customerValues(table: Table): AsyncGenerator<StoredValue[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.customerListingPartition() },
        ExclusiveStartKey,
      }),
    );
    yield (out.Items ?? []).map((i) => {
      const { entity: _entity, version: _version, ...value } = withoutKeys(i);
      return value as unknown as StoredValue;
    });
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** Everything under a contact in one query: the contact, its touchpoints, purchases and value. */
export async function readContactPartition(table: Table, contactId: string): Promise<Record<string, any>[]> {
  return queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.contactPartition(contactId) },
    ConsistentRead: true,
  });
}

/** The contacts an email, phone and external id belong to, if any. */
async function findCustomer(table: Table, who: PurchaseContact): Promise<string | undefined> {
  const [found, external] = await Promise.all([
    findContactIds(table, { email: who.email, phone: who.phone }),
    who.externalId
      ? table.client.send(new GetCommand({ TableName: table.name, Key: keys.externalIdentity(who.externalId), ConsistentRead: true }))
      : undefined,
  ]);
  return found.byEmail ?? found.byPhone ?? (external?.Item?.contactId as string | undefined);
}

/** Adds an external id to a contact unless another contact holds it already (the first claim stays). */
async function claimExternalId(table: Table, externalId: string, contactId: string): Promise<void> {
  try {
    await table.client.send(
      new PutCommand({ TableName: table.name, Item: { ...keys.externalIdentity(externalId), contactId }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return;
    throw error;
  }
  await table.client.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.contact(contactId),
      UpdateExpression: 'SET externalIds = list_append(if_not_exists(externalIds, :none), :v)',
      ExpressionAttributeValues: { ':none': [], ':v': [externalId] },
    }),
  );
}

/**
 * The contact a purchase belongs to: found by email, then phone, then external id (identities it was not
 * known by yet are added to it), or created with them, in one transaction, for a customer leadflow has
 * not seen. A creation that loses a race to another resolves again and finds the winner's contact.
 */
export async function findOrCreateCustomer(table: Table, who: PurchaseContact, input: { newContactId: string; at: string }): Promise<{ contactId: string; created: boolean }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const contactId = await findCustomer(table, who);
    if (contactId) {
      if (who.email) await claimIdentity(table, 'email', who.email, contactId);
      if (who.phone) await claimIdentity(table, 'phone', who.phone, contactId);
      if (who.externalId) await claimExternalId(table, who.externalId, contactId);
      return { contactId, created: false };
    }
    const contact: Contact = {
      contactId: input.newContactId,
      emails: who.email ? [who.email] : [],
      phones: who.phone ? [who.phone] : [],
      externalIds: who.externalId ? [who.externalId] : [],
      firstSeenAt: input.at,
      touches: 0,
    };
    if (await createContact(table, contact)) return { contactId: contact.contactId, created: true };
  }
  throw new Error('the customer\'s identities keep changing while the purchase is recorded; retry');
}
