/** A sales rep: who they are and where to tell them about a lead. */
export interface Rep {
  repId: string;
  teamId: string;
  name: string;
  email?: string;
  /** Where notifications are POSTed. */
  webhookUrl?: string;
  active: boolean;
}

export interface Team {
  teamId: string;
  name: string;
  strategy: 'round_robin';
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
}

/** Who a bearer of an API key is. */
export type Principal = { kind: 'admin'; name: string } | { kind: 'source'; sourceId: string };

export interface RoutingConfig {
  /** The team that takes leads whose source names none. */
  fallbackTeamId: string;
}
