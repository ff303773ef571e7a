import { LEAD_CAPTURED, type LeadCaptured } from '../../events/lead-captured.js';
import { LEAD_DISQUALIFIED, LEAD_QUALIFIED, type LeadQualified } from '../../events/lead-qualified.js';
import { leadRefOf, type Lead } from '../domain/lead.js';
import { factsOf, scoreLead } from '../domain/scoring.js';
import type { Clock, ConfigStore, ContactStore, LeadStore } from './ports.js';
import { resolveContact } from './resolve-contact.js';

export interface QualifyPorts {
  leads: Pick<LeadStore, 'createLead' | 'getLead' | 'appendTimelineOnce'>;
  contacts: ContactStore;
  configs: Pick<ConfigStore, 'activeScoringConfig'>;
  clock: Clock;
  /** How long after a person's open lead a new one of theirs is merged into it rather than worked. */
  mergeWindowSeconds: number;
}

/** What qualification made of the captured lead. */
export type QualifyOutcome =
  | { outcome: 'qualified' | 'disqualified'; leadId: string; score: number; grade: string }
  | { outcome: 'merged'; leadId: string; into: string }
  | { outcome: 'already-stored'; leadId: string };

type Captured = Omit<Lead, 'status' | 'score' | 'grade' | 'reasons' | 'qualifiedAt'>;

/**
 * Lead Captured → the lead is scored and stored with its first timeline entries and its announcement
 * (Lead Qualified or Lead Disqualified) in one write. A returning person's lead within the merge window
 * of their open lead is stored as merged into it instead. A redelivered event finds the lead stored and
 * changes nothing.
 */
export async function qualifyLead(ports: QualifyPorts, detail: LeadCaptured): Promise<QualifyOutcome> {
  const { version: _version, rawRef: _rawRef, teamHint, ...captured } = detail;
  const facts = factsOf(detail);
  const qualifiedAt = ports.clock.now().toISOString();
  // Test leads stay out of contacts: a testing tool's dummy person is nobody's journey.
  const contact = captured.isTest
    ? undefined
    : await resolveContact(ports.contacts, {
        leadId: captured.leadId,
        capturedAt: captured.capturedAt,
        sourceId: captured.sourceId,
        channel: captured.channel,
        provider: captured.provider,
        person: captured.person,
        attribution: captured.attribution as Record<string, string>,
        mergeWindowSeconds: ports.mergeWindowSeconds,
        statusOf: async (leadId) => (await ports.leads.getLead(leadId))?.status,
      });
  // A returning customer's segment (vip, regular, ...) is a fact scoring and routing rules can use.
  if (contact?.segment) facts.segment = contact.segment;
  const result = scoreLead(facts, await ports.configs.activeScoringConfig());
  if (contact?.mergeInto) {
    await mergeIntoOpenLead(ports, captured, contact.contactId, contact.mergeInto, qualifiedAt);
    return { outcome: 'merged', leadId: captured.leadId, into: contact.mergeInto };
  }
  const type = result.disqualifiedBy ? LEAD_DISQUALIFIED : LEAD_QUALIFIED;
  const lead: Lead = {
    ...captured,
    status: result.disqualifiedBy ? 'disqualified' : 'qualified',
    score: result.score,
    grade: result.grade,
    reasons: result.reasons,
    qualifiedAt,
    ...(contact ? { contactId: contact.contactId } : {}),
  };
  const qualified: LeadQualified = {
    version: 1,
    lead: leadRefOf(lead),
    score: lead.score,
    grade: lead.grade,
    reasons: lead.reasons,
    teamHint,
    // Routing rules decide on the same facts, so assign need not derive them (nor bundle what that takes).
    facts: Object.fromEntries(Object.entries(facts).filter((e): e is [string, string] => typeof e[1] === 'string')),
    ...(contact ? { contact: { contactId: contact.contactId, returning: contact.returning, ...(contact.ownerId ? { ownerId: contact.ownerId } : {}) } } : {}),
    qualifiedAt,
  };
  const created = await ports.leads.createLead(
    lead,
    [
      { at: captured.capturedAt, type: LEAD_CAPTURED, detail: capturedEntryOf(captured) },
      { at: qualifiedAt, type, detail: { score: result.score, grade: result.grade, reasons: result.reasons } },
    ],
    [{ detailType: type, detail: qualified }],
  );
  if (created) return { outcome: lead.status as 'qualified' | 'disqualified', leadId: lead.leadId, score: lead.score, grade: lead.grade };
  // A redelivery: the stored lead was announced when it was written. Only a merged lead whose note on
  // the open lead may not have been written (a crash between the two writes) needs finishing.
  const stored = await ports.leads.getLead(captured.leadId);
  if (stored?.status === 'merged' && stored.mergedInto) {
    await mergeIntoOpenLead(ports, captured, stored.contactId ?? '', stored.mergedInto, stored.qualifiedAt);
  }
  return { outcome: 'already-stored', leadId: captured.leadId };
}

function capturedEntryOf(captured: Captured) {
  return { sourceId: captured.sourceId, channel: captured.channel, provider: captured.provider };
}

/**
 * A returning person's new lead while their earlier lead is still open: it is stored as merged (its
 * capture and answers are kept) and the open lead's timeline says the person came back, so the rep
 * working it sees the new submission and nobody else is handed the same person.
 */
async function mergeIntoOpenLead(ports: QualifyPorts, captured: Captured, contactId: string, openLeadId: string, at: string): Promise<void> {
  const merged: Lead = { ...captured, status: 'merged', score: 0, grade: 'merged', reasons: [], qualifiedAt: at, contactId, mergedInto: openLeadId };
  await ports.leads.createLead(merged, [
    { at: captured.capturedAt, type: LEAD_CAPTURED, detail: capturedEntryOf(captured) },
    { at, type: 'Lead Merged', detail: { into: openLeadId, why: 'the same person has an open lead captured within the merge window' } },
  ]);
  // Once per merged lead, also when a redelivery finds the merged lead stored but the entry missing.
  await ports.leads.appendTimelineOnce(openLeadId, `resubmitted:${captured.leadId}`, {
    at,
    type: 'Lead Resubmitted',
    detail: { leadId: captured.leadId, sourceId: captured.sourceId, channel: captured.channel, message: captured.message },
  });
}
