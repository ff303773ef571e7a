/*
 * The ports the use cases speak to. Each store port is the set of store operations a use case needs,
 * with the table bound: the DynamoDB adapter (shared/store/adapters.ts) binds the repository functions
 * of shared/store to a table, and the in-memory adapter (test/support/memory-stores.ts) keeps the same
 * items in maps with the same conditions, for fast unit tests of the use cases. A port's method types
 * are taken from the repository functions themselves, so the two cannot drift apart and no shape is
 * written twice.
 */
import type { Rep } from '../domain/directory.js';
import type { Table } from '../store/table.js';
import type {
  appendTimeline,
  appendTimelineOnce,
  createLead,
  getLead,
  getLeadAndRep,
  getLeadWithTimeline,
} from '../store/lead-store.js';
import type { recordAssignmentNotified, recordTakenBackNotice, putSlaWatch } from '../store/sla-store.js';
import type { listRepLeads, recordAccepted, recordStatus, setRepAvailability } from '../store/rep-lead-store.js';
import type { releaseOpenLead } from '../store/routing-store.js';
import type { ActiveConfig, ConfigKind, ConfigOf, ConfigVersion, activeScoringConfig, listConfigVersions } from '../store/config-store.js';
import type { AuditEntry } from '../store/audit-store.js';
import type { listAudit } from '../store/audit-store.js';
import type { claimIdentity, createContact, findContactIds, getContact, recordTouch } from '../store/contact-store.js';
import type { leadsByIds, readRoutingSnapshot, recentLeadIds } from '../store/routing-snapshot.js';
import type { getSource } from '../store/directory-store.js';

/** A repository function with its table bound: what a use case calls. */
export type Bound<F> = F extends (table: Table, ...args: infer A) => infer R ? (...args: A) => R : never;

/** The time, handed in so tests control it. */
export interface Clock {
  now(): Date;
}

/** A lead's item: its state, timeline and the outbox of each change. */
export interface LeadStore {
  getLead: Bound<typeof getLead>;
  getLeadWithTimeline: Bound<typeof getLeadWithTimeline>;
  getLeadAndRep: Bound<typeof getLeadAndRep>;
  createLead: Bound<typeof createLead>;
  appendTimeline: Bound<typeof appendTimeline>;
  appendTimelineOnce: Bound<typeof appendTimelineOnce>;
  recordAssignmentNotified: Bound<typeof recordAssignmentNotified>;
  recordTakenBackNotice: Bound<typeof recordTakenBackNotice>;
  recordAccepted: Bound<typeof recordAccepted>;
  recordStatus: Bound<typeof recordStatus>;
}

/** People behind leads: contacts, the identities that find them, their touchpoints. */
export interface ContactStore {
  findContactIds: Bound<typeof findContactIds>;
  getContact: Bound<typeof getContact>;
  createContact: Bound<typeof createContact>;
  claimIdentity: Bound<typeof claimIdentity>;
  recordTouch: Bound<typeof recordTouch>;
}

/** SLA watches filed for the sweeper. */
export interface SlaStore {
  putSlaWatch: Bound<typeof putSlaWatch>;
}

/** What the rep's side reads and changes of reps: their leads, availability and open-lead counts. */
export interface RepStore {
  listRepLeads: Bound<typeof listRepLeads>;
  setRepAvailability: Bound<typeof setRepAvailability>;
  releaseOpenLead: Bound<typeof releaseOpenLead>;
}

/** Versioned routing and scoring configs, and the audit log every admin change writes. */
export interface ConfigStore {
  activeScoringConfig: Bound<typeof activeScoringConfig>;
  // Generic over the kind, so written out: a bound type would lose the kind's config type.
  readActiveConfig<K extends ConfigKind>(kind: K): Promise<ActiveConfig<K> | undefined>;
  createConfigVersion<K extends ConfigKind>(
    kind: K,
    config: ConfigOf[K],
    by: { actor: string; at: string; note?: string },
    audit: (version: number) => AuditEntry,
  ): Promise<ConfigVersion<K>>;
  getConfigVersion<K extends ConfigKind>(kind: K, version: number): Promise<ConfigVersion<K> | undefined>;
  listConfigVersions: Bound<typeof listConfigVersions>;
  activateConfigVersion<K extends ConfigKind>(saved: ConfigVersion<K>, by: { actor: string; at: string }, audit: AuditEntry): Promise<ActiveConfig<K>>;
  listAudit: Bound<typeof listAudit>;
}

/** What routing (and its simulation) reads of the directory: teams, reps, loads, sources, recent leads. */
export interface DirectoryStore {
  readRoutingSnapshot: Bound<typeof readRoutingSnapshot>;
  recentLeadIds: Bound<typeof recentLeadIds>;
  leadsByIds: Bound<typeof leadsByIds>;
  getSource: Bound<typeof getSource>;
}

/**
 * Tells a rep something on their channel (today their webhook). Throws a `DeliveryError` saying
 * whether trying again can help (shared/notify/webhook.ts).
 */
export interface Notifier {
  notify(rep: Rep, message: Record<string, unknown>, idempotencyKey: string): Promise<void>;
}
