import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { isConditionFailure, cancellationCodes, withoutKeys, type Table } from './table.js';

/** A person leadflow has seen, across leads and calls. */
export interface Contact {
  contactId: string;
  emails: string[];
  phones: string[];
  /** The rep who owns the contact (the owner of their latest assigned lead). */
  ownerId?: string;
  lastLeadId?: string;
  lastLeadAt?: string;
  firstSeenAt: string;
  touches: number;
  /** A shop's or CRM's own customer ids (purchases name the customer by them). */
  externalIds?: string[];
  /** The customer segment, as last computed from the contact's purchases (shared/value). */
  segment?: string;
}

/** One touch of a contact's journey. */
export interface Touchpoint {
  at: string;
  kind: 'lead' | 'call';
  leadId?: string;
  callId?: string;
  sourceId: string;
  channel: string;
  provider?: string;
  /** For a lead that re-submitted within the merge window: the open lead it was merged into. */
  mergedInto?: string;
  attribution?: Record<string, string>;
}


/** The contacts the identities belong to (email first), read in one BatchGetItem. */
export async function findContactIds(table: Table, identities: { email?: string; phone?: string }): Promise<{ byEmail?: string; byPhone?: string }> {
  const wanted = [
    identities.email ? keys.identity('email', identities.email) : undefined,
    identities.phone ? keys.identity('phone', identities.phone) : undefined,
  ].filter((k): k is { PK: string; SK: string } => Boolean(k));
  if (!wanted.length) return {};
  const out = await table.client.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: wanted, ConsistentRead: true } } }));
  const items = out.Responses?.[table.name] ?? [];
  const of = (kind: 'email' | 'phone', value?: string) =>
    value ? (items.find((i) => i.PK === keys.identity(kind, value).PK)?.contactId as string | undefined) : undefined;
  return { byEmail: of('email', identities.email), byPhone: of('phone', identities.phone) };
}

export async function getContact(table: Table, contactId: string): Promise<Contact | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.contact(contactId), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as unknown as Contact) : undefined;
}

/**
 * Creates a contact together with its identities (emails, phones, external ids) and its first touchpoint
 * if it has one, in one transaction: two arrivals of a new person at once cannot both create one, and a
 * new person costs one write. Returns false when an identity was claimed meanwhile (the caller
 * resolves again and finds that contact).
 */
export async function createContact(table: Table, contact: Contact, firstTouch?: Touchpoint): Promise<boolean> {
  const identities = [
    ...contact.emails.map((e) => keys.identity('email', e)),
    ...contact.phones.map((p) => keys.identity('phone', p)),
    ...(contact.externalIds ?? []).map((id) => keys.externalIdentity(id)),
  ];
  const touch = firstTouch
    ? [{ Put: { TableName: table.name, Item: { ...keys.touchpoint(contact.contactId, firstTouch.at, firstTouch.leadId ?? firstTouch.callId ?? 'unknown'), ...firstTouch } } }]
    : [];
  try {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: { ...keys.contact(contact.contactId), ...contact }, ConditionExpression: 'attribute_not_exists(PK)' } },
          ...identities.map((key) => ({
            Put: { TableName: table.name, Item: { ...key, contactId: contact.contactId }, ConditionExpression: 'attribute_not_exists(PK)' },
          })),
          ...touch,
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) return false;
    throw error;
  }
}

/** Adds an identity to a contact, unless another contact holds it already (the first claim stays). */
export async function claimIdentity(table: Table, kind: 'email' | 'phone', value: string, contactId: string): Promise<void> {
  try {
    await table.client.send(
      new PutCommand({ TableName: table.name, Item: { ...keys.identity(kind, value), contactId }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.contact(contactId),
        UpdateExpression: `SET ${kind === 'email' ? 'emails' : 'phones'} = list_append(if_not_exists(${kind === 'email' ? 'emails' : 'phones'}, :none), :v)`,
        ExpressionAttributeValues: { ':none': [], ':v': [value] },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * Records a touch on the contact's journey (idempotent: the touchpoint's key is its time and lead or
 * call), and, for a lead, makes it the contact's latest unless a later one is recorded already.
 */
export async function recordTouch(table: Table, contactId: string, touch: Touchpoint): Promise<void> {
  const ref = touch.leadId ?? touch.callId ?? 'unknown';
  try {
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...keys.touchpoint(contactId, touch.at, ref), ...touch },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return;
    throw error;
  }
  const key = keys.contact(contactId);
  if (touch.kind === 'lead' && !touch.mergedInto) {
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
          UpdateExpression: 'ADD touches :one SET lastLeadId = :lead, lastLeadAt = :at',
          ConditionExpression: 'attribute_not_exists(lastLeadAt) OR lastLeadAt < :at',
          ExpressionAttributeValues: { ':one': 1, ':lead': touch.leadId, ':at': touch.at },
        }),
      );
      return;
    } catch (error) {
      // A later lead is the latest already (events arrive out of order); only count the touch.
      if (!isConditionFailure(error)) throw error;
    }
  }
  await table.client.send(
    new UpdateCommand({ TableName: table.name, Key: key, UpdateExpression: 'ADD touches :one', ExpressionAttributeValues: { ':one': 1 } }),
  );
}

/** Makes a rep the contact's owner, so their next lead can go to them (sticky ownership). */
export async function setContactOwner(table: Table, contactId: string, repId: string): Promise<void> {
  await table.client.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.contact(contactId),
      UpdateExpression: 'SET ownerId = :rep',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':rep': repId },
    }),
  ).catch((error) => {
    if (!isConditionFailure(error)) throw error;
  });
}
