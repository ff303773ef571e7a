import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_CAPTURED, leadCapturedSchema } from '../../events/lead-captured.js';
import { LEAD_DISQUALIFIED, LEAD_QUALIFIED, type LeadQualified } from '../../events/lead-qualified.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { table } from '../../shared/aws/runtime.js';
import { leadRefOf, type Lead } from '../../shared/domain/lead.js';
import { factsOf, scoreLead } from '../../shared/domain/scoring.js';
import { activeScoringConfig } from '../../shared/store/config-store.js';
import { appendTimelineOnce, createLead, getLead } from '../../shared/store/lead-store.js';
import { resolveContact } from '../../shared/use-cases/resolve-contact.js';
import { config } from '../../shared/aws/config.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * Lead Captured → the lead is scored and stored with its first timeline entries and its announcement
 * (Lead Qualified or Lead Disqualified) in one write. A redelivered event finds the lead stored and
 * changes nothing.
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const detail = parseDetail(leadCapturedSchema, LEAD_CAPTURED, event.detail);
    const { version: _version, rawRef: _rawRef, teamHint, ...captured } = detail;
    const facts = factsOf(detail);
    const result = scoreLead(facts, await activeScoringConfig(table));
    const qualifiedAt = new Date().toISOString();
    // Test leads stay out of contacts: a testing tool's dummy person is nobody's journey.
    const contact = captured.isTest
      ? undefined
      : await resolveContact(table, {
          leadId: captured.leadId,
          capturedAt: captured.capturedAt,
          sourceId: captured.sourceId,
          channel: captured.channel,
          person: captured.person,
          attribution: captured.attribution as Record<string, string>,
          mergeWindowSeconds: config().MERGE_WINDOW_SECONDS,
          statusOf: async (leadId) => (await getLead(table, leadId))?.status,
        });
    if (contact?.mergeInto) {
      await mergeIntoOpenLead(captured, contact.contactId, contact.mergeInto, qualifiedAt);
      return;
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
    const created = await createLead(
      table,
      lead,
      [
        {
          at: captured.capturedAt,
          type: LEAD_CAPTURED,
          detail: { sourceId: captured.sourceId, channel: captured.channel, provider: captured.provider },
        },
        { at: qualifiedAt, type, detail: { score: result.score, grade: result.grade, reasons: result.reasons } },
      ],
      [{ detailType: type, detail: qualified }],
    );
    if (created) return;
    // A redelivery: the stored lead was announced when it was written. Only a merged lead whose note on
    // the open lead may not have been written (a crash between the two writes) needs finishing.
    const stored = await getLead(table, captured.leadId);
    if (stored?.status === 'merged' && stored.mergedInto) {
      await mergeIntoOpenLead(captured, stored.contactId ?? '', stored.mergedInto, stored.qualifiedAt);
    }
  });

/**
 * A returning person's new lead while their earlier lead is still open: it is stored as merged (its
 * capture and answers are kept) and the open lead's timeline says the person came back, so the rep
 * working it sees the new submission and nobody else is handed the same person.
 */
async function mergeIntoOpenLead(captured: Omit<Lead, 'status' | 'score' | 'grade' | 'reasons' | 'qualifiedAt'>, contactId: string, openLeadId: string, at: string) {
  const merged: Lead = { ...captured, status: 'merged', score: 0, grade: 'merged', reasons: [], qualifiedAt: at, contactId, mergedInto: openLeadId };
  await createLead(table, merged, [
    { at: captured.capturedAt, type: LEAD_CAPTURED, detail: { sourceId: captured.sourceId, channel: captured.channel, provider: captured.provider } },
    { at, type: 'Lead Merged', detail: { into: openLeadId, why: 'the same person has an open lead captured within the merge window' } },
  ]);
  // Once per merged lead, also when a redelivery finds the merged lead stored but the entry missing.
  await appendTimelineOnce(table, openLeadId, `resubmitted:${captured.leadId}`, {
    at,
    type: 'Lead Resubmitted',
    detail: { leadId: captured.leadId, sourceId: captured.sourceId, channel: captured.channel, message: captured.message },
  });
}
