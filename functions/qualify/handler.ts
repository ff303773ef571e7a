import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_CAPTURED, leadCapturedSchema } from '../../events/lead-captured.js';
import { LEAD_DISQUALIFIED, LEAD_QUALIFIED, type LeadQualified } from '../../events/lead-qualified.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { publisher, table } from '../../shared/aws/runtime.js';
import { leadRefOf, type Lead } from '../../shared/domain/lead.js';
import { factsOf, scoreLead } from '../../shared/domain/scoring.js';
import { activeScoringConfig } from '../../shared/store/config-store.js';
import { createLead, getLead } from '../../shared/store/lead-store.js';
import { logger } from '../../shared/observability/logger.js';

/**
 * Lead Captured → the lead is scored, stored with its first timeline entries, and announced as qualified
 * or disqualified. A redelivered event finds the lead stored and announces what was stored.
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const detail = parseDetail(leadCapturedSchema, LEAD_CAPTURED, event.detail);
    const { version: _version, rawRef: _rawRef, teamHint, ...captured } = detail;
    const result = scoreLead(factsOf(detail), await activeScoringConfig(table));
    const qualifiedAt = new Date().toISOString();
    const type = result.disqualifiedBy ? LEAD_DISQUALIFIED : LEAD_QUALIFIED;
    const lead: Lead = {
      ...captured,
      status: result.disqualifiedBy ? 'disqualified' : 'qualified',
      score: result.score,
      grade: result.grade,
      reasons: result.reasons,
      qualifiedAt,
    };
    const created = await createLead(table, lead, [
      {
        at: captured.capturedAt,
        type: LEAD_CAPTURED,
        detail: { sourceId: captured.sourceId, channel: captured.channel, provider: captured.provider },
      },
      { at: qualifiedAt, type, detail: { score: result.score, grade: result.grade, reasons: result.reasons } },
    ]);
    const stored = created ? lead : await getLead(table, captured.leadId);
    if (!stored) throw new Error(`lead ${captured.leadId} exists but could not be read`);
    const qualified: LeadQualified = {
      version: 1,
      lead: leadRefOf(stored),
      score: stored.score,
      grade: stored.grade,
      reasons: stored.reasons,
      teamHint,
      qualifiedAt: stored.qualifiedAt,
    };
    await publisher.publish({ detailType: stored.status === 'disqualified' ? LEAD_DISQUALIFIED : LEAD_QUALIFIED, detail: qualified });
  });
