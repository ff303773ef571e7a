/**
 * Where a lead goes: the ordered routing rules (first match wins), else its source's team, else the
 * fallback team; and whether a returning contact's owner takes it instead of the rotation.
 */
import { allHold, type LeadFacts } from '../conditions.js';
import type { RoutingConfig, RoutingTarget, Team } from '../directory.js';
import type { CandidateVerdict } from './strategies.js';

/** The routing decision: which rule decided (a rule id, `source-team`, `fallback-team` or `test-lead`) and where to. */
export interface RouteDecision {
  ruleId: string;
  /** Undefined when the lead goes to nobody (a test lead with no test team). */
  target?: RoutingTarget;
  why: string;
}

/**
 * Decides the target of a lead by the config. Test leads go to the config's test team, or to nobody, so
 * a platform's test submission never lands on a rep. Otherwise the first rule whose conditions all hold
 * wins; then the source's team; then the fallback team.
 */
export function routeLead(facts: LeadFacts, config: RoutingConfig, sourceTeamId: string | undefined, isTest: boolean): RouteDecision {
  if (isTest) {
    return config.testLeadsTeamId
      ? { ruleId: 'test-lead', target: { teamId: config.testLeadsTeamId }, why: 'test lead, sent to the test leads team' }
      : { ruleId: 'test-lead', why: 'test lead, and routing names no test leads team' };
  }
  const rule = (config.rules ?? []).find((r) => allHold(r.when, facts));
  if (rule) return { ruleId: rule.id, target: rule.to, why: rule.description ?? `rule ${rule.id} matched` };
  if (sourceTeamId) return { ruleId: 'source-team', target: { teamId: sourceTeamId }, why: 'no rule matched; the source names a team' };
  return { ruleId: 'fallback-team', target: { teamId: config.fallbackTeamId }, why: 'no rule matched and the source names no team' };
}

/** What became of a returning contact's owner, for the routing trace. */
export interface StickyDecision {
  ownerId?: string;
  /** `owner`: the owner takes the lead; anything else says why the strategy decides instead. */
  decision: 'owner' | 'no-owner' | 'disabled' | 'not-in-team' | 'not-eligible';
  why: string;
}

/**
 * Whether a returning contact's current owner takes the lead: only when the team keeps owners (its
 * `stickyOwner`, default true), the owner is a rep of the target team, and they are eligible now.
 */
export function stickyOwnerOf(team: Team, ownerId: string | undefined, candidates: readonly CandidateVerdict[]): StickyDecision {
  if (!ownerId) return { decision: 'no-owner', why: 'the contact is new or has no owner' };
  if (team.stickyOwner === false) return { ownerId, decision: 'disabled', why: `team ${team.teamId} does not keep owners` };
  const owner = candidates.find((c) => c.repId === ownerId);
  if (!owner) return { ownerId, decision: 'not-in-team', why: `owner ${ownerId} is not a rep of team ${team.teamId}` };
  if (!owner.eligible) return { ownerId, decision: 'not-eligible', why: `owner ${ownerId} cannot take it: ${owner.why}` };
  return { ownerId, decision: 'owner', why: `returning contact kept by owner ${ownerId}` };
}
