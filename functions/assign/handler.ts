import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { LEAD_ASSIGNED, type LeadAssigned } from '../../events/lead-assigned.js';
import { LEAD_QUALIFIED, leadQualifiedSchema } from '../../events/lead-qualified.js';
import { parseDetail } from '../../shared/aws/event-input.js';
import { publisher, table } from '../../shared/aws/runtime.js';
import { pickByRoundRobin } from '../../shared/domain/round-robin.js';
import { leadRefOf, type Lead } from '../../shared/domain/lead.js';
import { getRoutingConfig, listTeamReps, takeRotationTicket } from '../../shared/store/directory-store.js';
import { assignLead, getLead, markUnassigned } from '../../shared/store/lead-store.js';
import { logger } from '../../shared/observability/logger.js';

function assignedEvent(lead: Lead): LeadAssigned {
  return {
    version: 1,
    lead: leadRefOf(lead),
    repId: lead.ownerId!,
    teamId: lead.teamId!,
    strategy: lead.routingTrace!.strategy,
    assignedAt: lead.assignedAt!,
    trace: lead.routingTrace!,
  };
}

/**
 * Lead Qualified → the lead goes to the next rep of its team in rotation and Lead Assigned is published.
 * The team is the source's, else the routing config's fallback. The owner is set only if the lead has
 * none, so a redelivered event keeps the first owner (and announces it again for consumers that missed
 * it); it does spend a rotation ticket, which only skips one rep's turn once.
 */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const qualified = parseDetail(leadQualifiedSchema, LEAD_QUALIFIED, event.detail);
    const leadId = qualified.lead.leadId;
    const at = new Date().toISOString();
    const teamId = qualified.teamHint ?? (await getRoutingConfig(table))?.fallbackTeamId;
    if (!teamId) {
      await markUnassigned(table, leadId, at, 'the source names no team and routing has no fallback team');
      return;
    }
    const [reps, ticket] = await Promise.all([listTeamReps(table, teamId), takeRotationTicket(table, teamId)]);
    const pick = pickByRoundRobin(reps, ticket);
    if (!pick) {
      await markUnassigned(table, leadId, at, `team ${teamId} has no active rep`);
      return;
    }
    const trace = {
      rule: qualified.teamHint ? 'source-team' : 'fallback-team',
      teamId,
      strategy: 'round_robin',
      candidates: pick.candidates,
      ticket,
      winner: pick.repId,
    };
    const { assigned } = await assignLead(table, { leadId, repId: pick.repId, teamId, at, trace });
    if (assigned) {
      const detail: LeadAssigned = { version: 1, lead: qualified.lead, repId: pick.repId, teamId, strategy: trace.strategy, assignedAt: at, trace };
      await publisher.publish({ detailType: LEAD_ASSIGNED, detail });
      return;
    }
    // The lead was already owned (this event was delivered again; its ticket is spent) or is missing.
    const stored = await getLead(table, leadId);
    if (!stored) throw new Error(`lead ${leadId} was qualified but is not stored`);
    if (!stored.ownerId) throw new Error(`lead ${leadId} could not be assigned and has no owner`);
    await publisher.publish({ detailType: LEAD_ASSIGNED, detail: assignedEvent(stored) });
  });
