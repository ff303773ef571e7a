/*
 * The DynamoDB adapters of the use cases' store ports (shared/use-cases/ports.ts): each binds the
 * repository functions of this folder to one table, so a use case makes exactly the calls the
 * repositories make. One factory per port, so a function's bundle carries only the stores it uses.
 */
import type { ConfigStore, ContactStore, DirectoryStore, LeadStore, RepStore, SlaStore } from '../use-cases/ports.js';
import { listAudit } from './audit-store.js';
import {
  activateConfigVersion,
  activeScoringConfig,
  createConfigVersion,
  getConfigVersion,
  listConfigVersions,
  readActiveConfig,
} from './config-store.js';
import { claimIdentity, createContact, findContactIds, getContact, recordTouch } from './contact-store.js';
import { getSource } from './directory-store.js';
import { appendTimeline, appendTimelineOnce, createLead, getLead, getLeadAndRep, getLeadWithTimeline } from './lead-store.js';
import { listRepLeads, recordAccepted, recordStatus, setRepAvailability } from './rep-lead-store.js';
import { leadsByIds, readRoutingSnapshot, recentLeadIds } from './routing-snapshot.js';
import { releaseOpenLead } from './routing-store.js';
import { putSlaWatch, recordAssignmentNotified, recordTakenBackNotice } from './sla-store.js';
import type { Table } from './table.js';

/** The lead store on a table. */
export function dynamoLeadStore(table: Table): LeadStore {
  return {
    getLead: (leadId) => getLead(table, leadId),
    getLeadWithTimeline: (leadId) => getLeadWithTimeline(table, leadId),
    getLeadAndRep: (leadId, repId) => getLeadAndRep(table, leadId, repId),
    createLead: (lead, timeline, announce) => createLead(table, lead, timeline, announce),
    appendTimeline: (leadId, entry, announce) => appendTimeline(table, leadId, entry, announce),
    appendTimelineOnce: (leadId, onceKey, entry) => appendTimelineOnce(table, leadId, onceKey, entry),
    recordAssignmentNotified: (input) => recordAssignmentNotified(table, input),
    recordTakenBackNotice: (leadId, repId, assignment, at) => recordTakenBackNotice(table, leadId, repId, assignment, at),
    recordAccepted: (input) => recordAccepted(table, input),
    recordStatus: (input) => recordStatus(table, input),
  };
}

/** The contact store on a table. */
export function dynamoContactStore(table: Table): ContactStore {
  return {
    findContactIds: (identities) => findContactIds(table, identities),
    getContact: (contactId) => getContact(table, contactId),
    createContact: (contact, firstTouch) => createContact(table, contact, firstTouch),
    claimIdentity: (kind, value, contactId) => claimIdentity(table, kind, value, contactId),
    recordTouch: (contactId, touch) => recordTouch(table, contactId, touch),
  };
}

/** The SLA watch store on a table. */
export function dynamoSlaStore(table: Table): SlaStore {
  return { putSlaWatch: (watch) => putSlaWatch(table, watch) };
}

/** The rep store on a table. */
export function dynamoRepStore(table: Table): RepStore {
  return {
    listRepLeads: (repId, options) => listRepLeads(table, repId, options),
    setRepAvailability: (repId, availability, at) => setRepAvailability(table, repId, availability, at),
    releaseOpenLead: (repId) => releaseOpenLead(table, repId),
  };
}

/** The config store (versions, the active configs, the audit log) on a table. */
export function dynamoConfigStore(table: Table): ConfigStore {
  return {
    activeScoringConfig: () => activeScoringConfig(table),
    readActiveConfig: (kind) => readActiveConfig(table, kind),
    createConfigVersion: (kind, config, by, audit) => createConfigVersion(table, kind, config, by, audit),
    getConfigVersion: (kind, version) => getConfigVersion(table, kind, version),
    listConfigVersions: (kind) => listConfigVersions(table, kind),
    activateConfigVersion: (saved, by, audit) => activateConfigVersion(table, saved, by, audit),
    listAudit: (options) => listAudit(table, options),
  };
}

/** The directory reads routing and its simulation make, on a table. */
export function dynamoDirectoryStore(table: Table): DirectoryStore {
  return {
    readRoutingSnapshot: (ids, now) => readRoutingSnapshot(table, ids, now),
    recentLeadIds: (count, now) => recentLeadIds(table, count, now),
    leadsByIds: (leadIds) => leadsByIds(table, leadIds),
    getSource: (sourceId) => getSource(table, sourceId),
  };
}
