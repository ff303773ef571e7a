import type { OutgoingEvent } from '../../shared/aws/event-publisher.js';
import type { Rep } from '../../shared/domain/directory.js';
import type { Lead, TimelineEntry } from '../../shared/domain/lead.js';
import { defaultScoringConfig, type ScoringConfig } from '../../shared/domain/scoring.js';
import type { SlaWatch } from '../../shared/domain/sla.js';
import type { Contact, Touchpoint } from '../../shared/store/contact-store.js';
import type { ContactStore, LeadStore, RepStore, SlaStore } from '../../shared/use-cases/ports.js';

/*
 * In-memory adapters of the use cases' store ports, for unit tests without a server. Each keeps the
 * items the DynamoDB repository keeps and refuses a write on the same condition its ConditionExpression
 * states (shared/store/*.ts), so a use case meets the same answers: a second create is false, a
 * change of a lead that moved on is false, a repeated once-only entry is false. Every write that
 * announces records its events, in order, the way its outbox would reach the stream.
 */

type LeadItem = Lead & { timeline: TimelineEntry[]; onceKeys?: string[]; takenBackNotices?: string[]; [extra: string]: unknown };

const copy = <T>(value: T): T => structuredClone(value);

/** Whether the lead is its rep's in the `n`th assignment and not taken back (rep-lead-store's `stillTheirs`). */
function stillTheirs(item: LeadItem, repId: string, n: number): boolean {
  const misses = item.slaMisses ?? 0;
  return item.ownerId === repId && (n === 1 ? misses === 0 : misses === n - 1) && item.slaExpiredAssignment !== n;
}

/** The stores of one test, with what was written and announced open for inspection. */
export class MemoryStores {
  readonly leadItems = new Map<string, LeadItem>();
  readonly reps = new Map<string, Rep>();
  readonly openLeads = new Map<string, number>();
  readonly watches: SlaWatch[] = [];
  readonly contactItems = new Map<string, Contact>();
  readonly identities = new Map<string, string>();
  readonly touches = new Map<string, Touchpoint>();
  /** Every write's announcements, in write order, with the lead it was written to. */
  readonly announced: Array<{ leadId: string; event: OutgoingEvent }> = [];
  scoring: ScoringConfig = defaultScoringConfig;

  private announce(leadId: string, events: readonly OutgoingEvent[] | undefined): void {
    for (const event of events ?? []) this.announced.push({ leadId, event: copy(event) });
  }

  /** The detail types announced so far, in order. */
  announcedTypes(): string[] {
    return this.announced.map((a) => a.event.detailType);
  }

  /** Applies `change` to the lead when it exists and `holds`, appending `entry`: one conditional write. */
  private change(leadId: string, holds: (item: LeadItem) => boolean, change: (item: LeadItem) => void, entry: TimelineEntry, announce?: readonly OutgoingEvent[]): boolean {
    const item = this.leadItems.get(leadId);
    if (!item || !holds(item)) return false;
    change(item);
    item.timeline.push(copy(entry));
    this.announce(leadId, announce);
    return true;
  }

  /** Puts a lead as qualify and assign leave it (test setup, not a port). */
  putLead(lead: Lead, timeline: TimelineEntry[] = []): void {
    this.leadItems.set(lead.leadId, { ...copy(lead), timeline: copy(timeline) });
  }

  readonly leads: LeadStore = {
    getLead: async (leadId) => {
      const item = this.leadItems.get(leadId);
      if (!item) return undefined;
      const { timeline: _t, ...lead } = copy(item);
      return lead;
    },
    getLeadWithTimeline: async (leadId) => {
      const item = this.leadItems.get(leadId);
      if (!item) return undefined;
      const { timeline, ...lead } = copy(item);
      return { lead, timeline };
    },
    getLeadAndRep: async (leadId, repId) => ({ lead: await this.leads.getLead(leadId), rep: this.reps.has(repId) ? copy(this.reps.get(repId)) : undefined }),
    createLead: async (lead, timeline, announce = []) => {
      if (this.leadItems.has(lead.leadId)) return false;
      this.putLead(lead, timeline);
      this.announce(lead.leadId, announce);
      return true;
    },
    appendTimeline: async (leadId, entry, announce) => {
      this.change(leadId, () => true, () => undefined, entry, announce);
    },
    appendTimelineOnce: async (leadId, onceKey, entry) =>
      this.change(leadId, (i) => !i.onceKeys?.includes(onceKey), (i) => (i.onceKeys = [...(i.onceKeys ?? []), onceKey]), entry),
    recordAssignmentNotified: async (input) => {
      const { leadId, repId, assignment: n, at, latencyMs, channel, attempt, type } = input;
      return this.change(
        leadId,
        (i) => (n === 1 ? i.notifiedAt === undefined && i.notifiedAssignment === undefined : i.notifiedAssignment === undefined || i.notifiedAssignment < n),
        (i) => {
          i.notifiedAt ??= at;
          i.captureToNotifyMs ??= latencyMs;
          i.notifiedAssignment = n;
        },
        { at, type, detail: { repId, channel, attempt, latencyMs, assignment: n } },
        input.announce,
      );
    },
    recordTakenBackNotice: async (leadId, repId, assignment, at) => {
      const notice = `${repId}#${assignment}`;
      return this.change(
        leadId,
        (i) => !i.takenBackNotices?.includes(notice),
        (i) => (i.takenBackNotices = [...(i.takenBackNotices ?? []), notice]),
        { at, type: 'Rep Told Lead Taken Back', detail: { repId, assignment } },
      );
    },
    recordAccepted: async (input) => {
      const { leadId, repId, assignment, at, captureToAcceptMs, via } = input;
      return this.change(
        leadId,
        (i) => stillTheirs(i, repId, assignment) && i.acceptedAt === undefined && i.status === 'assigned',
        (i) => Object.assign(i, { acceptedAt: at, captureToAcceptMs, status: 'accepted' }),
        { at, type: 'Lead Accepted', detail: { repId, assignment, via, captureToAcceptMs } },
        input.announce,
      );
    },
    recordStatus: async (input) => {
      const { leadId, repId, assignment, from, to, at, revenue, reason, note } = input;
      return this.change(
        leadId,
        (i) => stillTheirs(i, repId, assignment) && i.status === from,
        (i) => {
          Object.assign(i, { status: to, statusChangedAt: at });
          if (input.captureToAcceptMs !== undefined) {
            i.acceptedAt ??= at;
            i.captureToAcceptMs ??= input.captureToAcceptMs;
          }
          if (input.captureToContactMs !== undefined) {
            i.contactedAt ??= at;
            i.captureToContactMs ??= input.captureToContactMs;
          }
          if (revenue) i.revenue = copy(revenue);
          if (reason) i.lostReason = reason;
          if (to === 'won' || to === 'lost') i.closedAt = at;
        },
        { at, type: 'Lead Status Changed', detail: { repId, from, to, ...(revenue ? { revenue } : {}), ...(reason ? { reason } : {}), ...(note ? { note } : {}) } },
        input.announce,
      );
    },
  };

  readonly sla: SlaStore = {
    putSlaWatch: async (watch) => {
      // The watch's key is its deadline and lead: filing it again replaces it.
      const at = this.watches.findIndex((w) => w.deadline === watch.deadline && w.leadId === watch.leadId);
      if (at >= 0) this.watches.splice(at, 1);
      this.watches.push(copy(watch));
    },
  };

  readonly repStore: RepStore = {
    listRepLeads: async (repId, options) => {
      const owned = [...this.leadItems.values()].filter((i) => i.ownerId === repId).sort((a, b) => ((a.assignedAt ?? '') < (b.assignedAt ?? '') ? 1 : -1));
      return { leads: owned.slice(0, options.limit).map(({ timeline: _t, onceKeys: _o, ...lead }) => copy(lead)) };
    },
    setRepAvailability: async (repId, availability, at) => {
      const rep = this.reps.get(repId);
      if (!rep) return undefined;
      const before = copy(rep);
      Object.assign(rep, { availability: copy(availability), availabilityChangedAt: at });
      return before;
    },
    releaseOpenLead: async (repId) => {
      const n = this.openLeads.get(repId) ?? 0;
      if (n > 0) this.openLeads.set(repId, n - 1);
    },
  };

  readonly contacts: ContactStore = {
    findContactIds: async ({ email, phone }) => ({
      byEmail: email ? this.identities.get(`email#${email}`) : undefined,
      byPhone: phone ? this.identities.get(`phone#${phone}`) : undefined,
    }),
    getContact: async (contactId) => copy(this.contactItems.get(contactId)),
    createContact: async (contact, firstTouch) => {
      const ids = [
        ...contact.emails.map((e) => `email#${e}`),
        ...contact.phones.map((p) => `phone#${p}`),
        ...(contact.externalIds ?? []).map((x) => `external#${x}`),
      ];
      // One transaction: nothing is written when the contact or any identity exists.
      if (this.contactItems.has(contact.contactId) || ids.some((id) => this.identities.has(id))) return false;
      this.contactItems.set(contact.contactId, copy(contact));
      for (const id of ids) this.identities.set(id, contact.contactId);
      if (firstTouch) this.touches.set(`${contact.contactId}#${firstTouch.at}#${firstTouch.leadId ?? firstTouch.callId ?? 'unknown'}`, copy(firstTouch));
      return true;
    },
    claimIdentity: async (kind, value, contactId) => {
      if (this.identities.has(`${kind}#${value}`)) return;
      this.identities.set(`${kind}#${value}`, contactId);
      const contact = this.contactItems.get(contactId);
      if (contact) (kind === 'email' ? contact.emails : contact.phones).push(value);
    },
    recordTouch: async (contactId, touch) => {
      const key = `${contactId}#${touch.at}#${touch.leadId ?? touch.callId ?? 'unknown'}`;
      if (this.touches.has(key)) return;
      this.touches.set(key, copy(touch));
      const contact = this.contactItems.get(contactId);
      if (!contact) return;
      contact.touches += 1;
      if (touch.kind === 'lead' && !touch.mergedInto && (contact.lastLeadAt === undefined || contact.lastLeadAt < touch.at)) {
        contact.lastLeadId = touch.leadId;
        contact.lastLeadAt = touch.at;
      }
    },
  };

  readonly configs = { activeScoringConfig: async () => copy(this.scoring) };
}
