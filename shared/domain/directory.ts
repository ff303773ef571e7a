import type { Condition } from './conditions.js';

/** A rep's weekly hours in their own time zone: `mon`..`sun`, each a list of `HH:MM-HH:MM` spans. */
export type WeeklyHours = Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>;

/** Whether a rep is taking leads right now, as they (or an admin) set it. */
export interface Availability {
  status: 'online' | 'offline' | 'away';
  /** For `away`: when they are back (ISO 8601); after it they count as online. */
  until?: string;
}

/** A sales rep: who they are, where to tell them about a lead, and when they can take one. */
export interface Rep {
  repId: string;
  teamId: string;
  name: string;
  email?: string;
  /** Where notifications are POSTed. */
  webhookUrl?: string;
  /** The rep's own phone (E.164): an outbound call from it to a lead's number marks the lead contacted. */
  phone?: string;
  /** The rep's ids in telephony systems (extension, agent or user id), matched against call events' `agent`. */
  telephonyIds?: string[];
  /** False when the rep has left or is deactivated: never a candidate. */
  active: boolean;
  /** IANA time zone of the rep's working hours and days off; defaults to UTC. */
  timeZone?: string;
  /** Absent: the rep works at any hour. */
  workingHours?: WeeklyHours;
  /** Whole days off (`YYYY-MM-DD` in the rep's time zone): vacation, sick days. */
  daysOff?: string[];
  /** Absent: online. */
  availability?: Availability;
  /** Share under weighted round robin (default 1). */
  weight?: number;
  /** At most this many new leads per clock hour / per day, in the rep's time zone. */
  caps?: { perHour?: number; perDay?: number };
}

export type DistributionStrategy = 'round_robin' | 'weighted_round_robin' | 'least_loaded';

/** How long an assigned rep has to accept a lead before it goes to the next rep. */
export interface SlaPolicy {
  acceptWithinMinutes: number;
  /** `wall`: clock minutes; `working`: only minutes inside the rep's working hours count. */
  clock: 'wall' | 'working';
  /** After this many missed deadlines on one lead, the team's manager is told (escalation). */
  escalateAfterMisses: number;
}

export interface Team {
  teamId: string;
  name: string;
  strategy: DistributionStrategy;
  /** Company holidays (`YYYY-MM-DD`), days nobody on the team works. */
  holidays?: string[];
  /** The rep (or a manager who is not a rep) escalations go to. */
  manager?: { name: string; email?: string; webhookUrl?: string };
  sla?: SlaPolicy;
  /** Whether a returning contact goes to their current owner when that rep is eligible (default true). */
  stickyOwner?: boolean;
}

/** A configured lead source: which provider sends, and how to read and route what it sends. */
export interface Source {
  sourceId: string;
  name: string;
  provider: string;
  /** ISO 3166 country for phone numbers written without one. */
  defaultCountry?: string;
  /** The team its leads go to unless routing rules say otherwise. */
  teamId?: string;
  enabled: boolean;
  /** Browser origins allowed to post to the source (CORS); `*` allows any. */
  allowedOrigins?: string[];
  /** Where a browser is sent after a plain HTML form post (303), when the form has no JavaScript. */
  redirectUrl?: string;
  /**
   * Call tracking: what each tracking number (E.164) was published in, as attribution (utm_source,
   * utm_campaign, campaignId, ...). A call to the number carries it to the lead it creates.
   */
  trackingNumbers?: Record<string, Record<string, string>>;
  /** Names of the secrets the source has stored (never their values). */
  secretNames?: string[];
  /** The version of the secrets parameter this source uses; intake reads exactly it (see source-secrets.ts). */
  secretsVersion?: number;
  createdAt?: string;
  updatedAt?: string;
}

/** Who a bearer of an API key is. */
export type Principal =
  | { kind: 'admin'; name: string }
  | { kind: 'source'; sourceId: string }
  /** `tokenId` names the token for listing and revocation; tokens issued before it existed have none. */
  | { kind: 'rep'; repId: string; tokenId?: string };

/** Where a routing rule sends the leads it matches. */
export type RoutingTarget = { teamId: string } | { repId: string };

/** An ordered routing rule: the first whose conditions all hold decides where a lead goes. */
export interface RoutingRule {
  id: string;
  description?: string;
  /** Conditions over the lead's facts, plus `score` and `grade` (see shared/domain/conditions.ts). */
  when: Condition[];
  to: RoutingTarget;
}

/** The routing a team works by: ordered rules, then the fallback team. */
export interface RoutingConfig {
  rules?: RoutingRule[];
  /** The team that takes leads no rule matches and whose source names no team. */
  fallbackTeamId: string;
  /** Test leads (Google's is_test, Meta's testing tool) go to nobody unless a team is named here. */
  testLeadsTeamId?: string;
}
