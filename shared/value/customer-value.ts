import { customerValueOf, type CustomerValue } from '../domain/customer-value.js';
import { segmentOf } from '../domain/segments.js';
import { marketingChannelOf } from '../domain/touch-channel.js';
import type { ValueSettings } from '../domain/value-settings.js';
import { keys } from '../store/keys.js';
import { readContactPartition, saveCustomerValue, type StoredPurchase, type StoredValue } from '../store/purchase-store.js';
import type { Table } from '../store/table.js';
import { readValueSettings } from '../store/value-settings-store.js';

/** A contact with everything stored under it: identities, touchpoints, purchases, value as last saved. */
export interface ContactRecord {
  contact: Record<string, any>;
  touchpoints: Array<Record<string, any>>;
  purchases: StoredPurchase[];
  storedValue?: StoredValue;
}

const strip = ({ PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, entity: _e, version: _v, ...rest }: Record<string, any>) => rest;

/** Reads a contact's partition (one query) into its parts; undefined when there is no such contact. */
export async function readContactRecord(table: Table, contactId: string): Promise<ContactRecord | undefined> {
  const items = await readContactPartition(table, contactId);
  const contact = items.find((i) => i.SK === keys.contact(contactId).SK);
  if (!contact) return undefined;
  const value = items.find((i) => i.SK === keys.customerValue(contactId).SK);
  return {
    contact: strip(contact),
    touchpoints: items.filter((i) => String(i.SK).startsWith(keys.touchpointPrefix)).map(strip),
    purchases: items.filter((i) => String(i.SK).startsWith(keys.purchasePrefix)).map((i) => strip(i) as StoredPurchase),
    ...(value ? { storedValue: strip(value) as StoredValue } : {}),
  };
}

/** The contact's value, segment and acquisition channel now, from its record and the settings. */
export function valueOf(record: ContactRecord, settings: ValueSettings, now: Date): { value: CustomerValue; segment?: string; acquisitionChannel: string } {
  const firstSeenAt = record.contact.firstSeenAt as string | undefined;
  const value = customerValueOf(record.purchases, firstSeenAt);
  const segment = segmentOf(settings.segments, { purchases: record.purchases, firstSeenAt }, now);
  // Touchpoints sort oldest first by their key; the first is where the customer was acquired.
  const first = record.touchpoints[0];
  const acquisitionChannel = first ? marketingChannelOf(first as { channel: string }) : 'unattributed';
  return { value, ...(segment ? { segment } : {}), acquisitionChannel };
}

/**
 * Recomputes a contact's value figures and segment from all its purchases and stores them (the segment
 * also on the contact, for lead facts). Run after every purchase and daily for every customer, since a
 * segment changes with time alone (a new customer stops being new).
 */
export async function refreshCustomerValue(
  table: Table,
  contactId: string,
  now: Date,
  settings?: ValueSettings,
): Promise<(StoredValue & { saved: boolean }) | undefined> {
  const record = await readContactRecord(table, contactId);
  if (!record || !record.purchases.length) return undefined;
  const { value, segment, acquisitionChannel } = valueOf(record, settings ?? (await readValueSettings(table)), now);
  const stored: StoredValue = {
    contactId,
    ...value,
    ...(segment ? { segment } : {}),
    acquisitionChannel,
    ...(record.contact.firstSeenAt ? { firstSeenAt: record.contact.firstSeenAt } : {}),
    records: record.purchases.length,
    computedAt: now.toISOString(),
  };
  return { ...stored, saved: await saveCustomerValue(table, stored) };
}
