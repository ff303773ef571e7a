import { NotFoundError } from '../domain/errors.js';
import { campaignOf, marketingChannelOf } from '../domain/touch-channel.js';
import type { Table } from '../store/table.js';
import { readValueSettings } from '../store/value-settings-store.js';
import { readContactRecord, valueOf } from './customer-value.js';

/**
 * `GET /v1/contacts/{id}`: the contact with its identities, its journey (touchpoints, oldest first, each
 * with its marketing channel and campaign), its purchases, its value figures and its segment, both
 * computed now from the purchases (the stored segment, which lead facts use, is shown beside it).
 * One query for the contact's partition and one read of the settings.
 */
export async function readContactView(table: Table, contactId: string, now: Date) {
  const [record, settings] = await Promise.all([readContactRecord(table, contactId), readValueSettings(table)]);
  if (!record) throw new NotFoundError(`no contact ${contactId}`);
  const { value, segment, acquisitionChannel } = valueOf(record, settings, now);
  const c = record.contact;
  return {
    contactId,
    identities: { emails: c.emails ?? [], phones: c.phones ?? [], externalIds: c.externalIds ?? [] },
    firstSeenAt: c.firstSeenAt,
    ...(c.ownerId ? { ownerId: c.ownerId } : {}),
    ...(c.lastLeadId ? { lastLeadId: c.lastLeadId, lastLeadAt: c.lastLeadAt } : {}),
    segment: segment ?? null,
    storedSegment: (c.segment as string | undefined) ?? null,
    acquisitionChannel,
    value,
    touchpoints: record.touchpoints.map((t) => ({
      ...t,
      marketingChannel: marketingChannelOf(t as { channel: string }),
      campaign: campaignOf(t as { channel: string }),
    })),
    purchases: record.purchases,
  };
}
