import type { Person } from '../../events/lead-captured.js';
import type { ContactStore } from './ports.js';

/** Who a lead's person is, for routing (sticky owner) and for merging a re-submission. */
export interface ContactResolution {
  contactId: string;
  /** The contact existed before this lead. */
  returning: boolean;
  ownerId?: string;
  /** The person's open lead this one re-submits, within the merge window: it is merged, not worked twice. */
  mergeInto?: string;
  /** The customer segment stored on the contact (from its purchases), a fact for scoring and routing. */
  segment?: string;
}

/** Lead states in which nobody works the lead any more. */
const CLOSED = new Set(['won', 'lost', 'disqualified', 'withdrawn', 'merged']);

/**
 * Matches a lead's person to a contact by email, then phone, creating the contact (with its identities,
 * in one transaction) for someone new. The lead becomes a touchpoint on the contact's journey. A
 * returning person whose latest lead is still open and was captured within `mergeWindowSeconds` is
 * merged into that lead. Deterministic under redelivery: a new contact takes the id of the lead that
 * created it, so the same lead resolves to the same contact whenever it is processed.
 */
export async function resolveContact(
  contacts: ContactStore,
  input: {
    leadId: string;
    capturedAt: string;
    sourceId: string;
    channel: string;
    /** The source's provider, kept on the touchpoint so attribution can name the ad platform. */
    provider?: string;
    person: Person;
    attribution?: Record<string, string>;
    mergeWindowSeconds: number;
    statusOf: (leadId: string) => Promise<string | undefined>;
  },
): Promise<ContactResolution | undefined> {
  const { email, phone } = input.person;
  if (!email && !phone) return undefined;
  let found = await contacts.findContactIds({ email, phone });
  let contactId = found.byEmail ?? found.byPhone;
  const touch = {
    at: input.capturedAt,
    kind: 'lead' as const,
    leadId: input.leadId,
    sourceId: input.sourceId,
    channel: input.channel,
    ...(input.provider ? { provider: input.provider } : {}),
    ...(input.attribution && Object.keys(input.attribution).length ? { attribution: input.attribution } : {}),
  };
  if (!contactId) {
    const created = await contacts.createContact(
      {
        contactId: input.leadId,
        emails: email ? [email] : [],
        phones: phone ? [phone] : [],
        firstSeenAt: input.capturedAt,
        touches: 1,
        lastLeadId: input.leadId,
        lastLeadAt: input.capturedAt,
      },
      touch,
    );
    // Someone new: the contact, its identities and this lead's touchpoint were written together.
    if (created) return { contactId: input.leadId, returning: false };
    found = await contacts.findContactIds({ email, phone });
    contactId = found.byEmail ?? found.byPhone;
    if (!contactId) throw new Error(`lead ${input.leadId}: an identity was claimed but its contact cannot be read`);
  }
  // This lead created the contact on an earlier delivery: its touchpoint was written with it.
  if (contactId === input.leadId) return { contactId, returning: false };
  if (email && !found.byEmail) await contacts.claimIdentity('email', email, contactId);
  if (phone && !found.byPhone) await contacts.claimIdentity('phone', phone, contactId);

  const contact = await contacts.getContact(contactId);
  let mergeInto: string | undefined;
  const previous = contact?.lastLeadId;
  if (previous && previous !== input.leadId && contact?.lastLeadAt) {
    const age = (Date.parse(input.capturedAt) - Date.parse(contact.lastLeadAt)) / 1000;
    if (age >= 0 && age <= input.mergeWindowSeconds) {
      const status = await input.statusOf(previous);
      if (status && !CLOSED.has(status)) mergeInto = previous;
    }
  }
  await contacts.recordTouch(contactId, { ...touch, ...(mergeInto ? { mergedInto: mergeInto } : {}) });
  return { contactId, returning: true, ownerId: contact?.ownerId, ...(mergeInto ? { mergeInto } : {}), ...(contact?.segment ? { segment: contact.segment } : {}) };
}
