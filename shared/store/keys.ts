/**
 * Every key of the single table, in one place. Partition keys are prefixed by entity; the access pattern
 * each serves is named beside it.
 */
export const keys = {
  /** A lead's current state and its timeline. */
  lead: (leadId: string) => ({ PK: `LEAD#${leadId}`, SK: 'A' }),
  /** The request a lead arrived in, and the Lead Captured detail made from it. */
  leadCapture: (leadId: string) => ({ PK: `LEAD#${leadId}`, SK: 'RAW' }),
  /** "Leads of a rep, newest first" on GSI1. */
  leadOwner: (repId: string, assignedAt: string) => ({ GSI1PK: `REP#${repId}`, GSI1SK: assignedAt }),
  /** One submission seen from a source: the sender's idempotency key or the content's fingerprint. */
  dedupe: (sourceId: string, key: string) => ({ PK: `DEDUP#${sourceId}#${key}`, SK: 'A' }),
  /**
   * What a webhook carried that is not a lead yet (lead references, call events, withdrawals), kept a
   * day so its announcement is committed before the sender is answered; the stream relays it.
   */
  delivery: (deliveryId: string) => ({ PK: `DELIVERY#${deliveryId}`, SK: 'A' }),
  /** A provider withdrew this lead (LinkedIn DELETED); it is never captured afterwards. */
  withdrawal: (provider: string, externalId: string) => ({ PK: `WITHDRAWN#${provider}#${externalId}`, SK: 'A' }),
  /** A person: the identities they were seen with, their owner, their latest lead. */
  contact: (contactId: string) => ({ PK: `CONTACT#${contactId}`, SK: 'A' }),
  /** One touch of a contact's journey (a lead, a call), "oldest first" under the contact. */
  touchpoint: (contactId: string, at: string, ref: string) => ({ PK: `CONTACT#${contactId}`, SK: `TOUCH#${at}#${ref}` }),
  /** "The contact with this email / phone": one item per identity, claimed once. */
  identity: (kind: 'email' | 'phone', value: string) => ({ PK: `ID#${kind}#${value}`, SK: 'A' }),
  /** "The rep with this phone / telephony agent id", for call correlation. */
  repIdentity: (kind: 'phone' | 'agent', value: string) => ({ PK: `REPID#${kind}#${value}`, SK: 'A' }),
  /** One call's events merged into its record, by provider and call id. */
  call: (provider: string, callId: string) => ({ PK: `CALL#${provider}#${callId}`, SK: 'A' }),
  /** An API credential by the SHA-256 of its secret. */
  apiKey: (secretHash: string) => ({ PK: `KEY#${secretHash}`, SK: 'A' }),
  source: (sourceId: string) => ({ PK: `SOURCE#${sourceId}`, SK: 'A' }),
  /** "All sources, by id" on GSI1. */
  sourceListing: (sourceId: string) => ({ GSI1PK: 'SOURCES', GSI1SK: `SOURCE#${sourceId}` }),
  rep: (repId: string) => ({ PK: `REP#${repId}`, SK: 'A' }),
  /** "Reps of a team" on GSI1. */
  repMembership: (teamId: string, repId: string) => ({ GSI1PK: `TEAM#${teamId}`, GSI1SK: `REP#${repId}` }),
  teamPartition: (teamId: string) => `TEAM#${teamId}`,
  team: (teamId: string) => ({ PK: `TEAM#${teamId}`, SK: 'A' }),
  /** "Every team, by id" on GSI1 (admin lists, the sweeper's queue drains). */
  teamListing: (teamId: string) => ({ GSI1PK: 'TEAMS', GSI1SK: `TEAM#${teamId}` }),
  /** The team's rotation counter; each lead takes the next ticket. */
  teamCursor: (teamId: string) => ({ PK: `TEAM#${teamId}`, SK: 'CURSOR' }),
  /** Leads a rep got in one clock hour (`YYYY-MM-DDTHH`) / one day of their time zone; hourly and daily caps. */
  repLoadHour: (repId: string, hour: string) => ({ PK: `REP#${repId}`, SK: `LOAD#H#${hour}` }),
  repLoadDay: (repId: string, day: string) => ({ PK: `REP#${repId}`, SK: `LOAD#D#${day}` }),
  /** How many leads a rep holds open (assigned, not yet won, lost or handed on); least-loaded reads it. */
  repOpenLeads: (repId: string) => ({ PK: `REP#${repId}`, SK: 'LOAD#OPEN' }),
  /** A rep token's entry in the rep's list: its id, the hash of its key item, when it was made. */
  repToken: (repId: string, tokenId: string) => ({ PK: `REP#${repId}`, SK: `TOKEN#${tokenId}` }),
  /** "Leads waiting for a rep of the team, oldest capture first". */
  teamWaiting: (teamId: string, capturedAt: string, leadId: string) => ({ PK: `TEAM#${teamId}`, SK: `WAIT#${capturedAt}#${leadId}` }),
  teamWaitingPrefix: 'WAIT#',
  /** "Assignments whose acceptance deadline falls in this UTC minute, earliest first" (the SLA sweeper's reads). */
  slaWatch: (bucket: string, deadline: string, leadId: string) => ({ PK: `SLA#${bucket}`, SK: `${deadline}#${leadId}` }),
  slaPartition: (bucket: string) => `SLA#${bucket}`,
  /** The oldest SLA minute bucket that may still hold a watch. */
  slaSweepCursor: () => ({ PK: 'SLA#CURSOR', SK: 'A' }),
  routingConfig: () => ({ PK: 'CONFIG', SK: 'ROUTING#active' }),
  /** The active config of a kind (`ROUTING`, `SCORING`): a copy of the activated version, read per lead. */
  activeConfig: (kind: 'ROUTING' | 'SCORING') => ({ PK: 'CONFIG', SK: `${kind}#active` }),
  /** One saved version of a config; versions of a kind sort by number under `<kind>#v`. */
  configVersion: (kind: 'ROUTING' | 'SCORING', version: number) => ({ PK: 'CONFIG', SK: `${kind}#v${String(version).padStart(4, '0')}` }),
  /** The counter that hands out a kind's next version number. */
  configSequence: (kind: 'ROUTING' | 'SCORING') => ({ PK: 'CONFIG', SK: `${kind}#seq` }),
  configPartition: () => 'CONFIG',
  /** An audited admin change, newest first by its time. */
  auditEntry: (at: string, id: string) => ({ PK: 'AUDIT', SK: `${at}#${id}` }),
  auditPartition: () => 'AUDIT',
  /** That a lead reached a funnel step, on the day it was captured; reports count these. */
  funnelMark: (day: string, stage: string, leadId: string) => ({ PK: `FUNNEL#${day}`, SK: `${stage}#${leadId}` }),
  funnelPartition: (day: string) => `FUNNEL#${day}`,
  /** One row of a built report. */
  reportRow: (kind: string, day: string, rowKey: string) => ({ PK: `REPORT#${kind}#${day}`, SK: rowKey }),
  reportPartition: (kind: string, day: string) => `REPORT#${kind}#${day}`,

  // Purchases, customer value and attribution (shared/store/purchase-store.ts, value-store.ts,
  // attribution-store.ts).
  /** "The contact with this shop or CRM customer id", claimed once like email and phone identities. */
  externalIdentity: (externalId: string) => ({ PK: `ID#external#${externalId}`, SK: 'A' }),
  /** One order id, claimed once: what makes a reported purchase idempotent. */
  order: (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'A' }),
  /** One purchase or refund of a contact, "oldest first" under the contact beside its touchpoints. */
  purchase: (contactId: string, at: string, orderId: string) => ({ PK: `CONTACT#${contactId}`, SK: `PURCHASE#${at}#${orderId}` }),
  purchasePrefix: 'PURCHASE#',
  touchpointPrefix: 'TOUCH#',
  contactPartition: (contactId: string) => `CONTACT#${contactId}`,
  /** "Purchases made on a UTC day", for the attribution builder. */
  purchaseDay: (day: string, at: string, orderId: string) => ({ PK: `PURCHASES#${day}`, SK: `${at}#${orderId}` }),
  purchaseDayPartition: (day: string) => `PURCHASES#${day}`,
  /** A contact's value figures and segment as last computed. */
  customerValue: (contactId: string) => ({ PK: `CONTACT#${contactId}`, SK: 'VALUE' }),
  /** "Every customer (contact with a purchase)" on GSI1, for the daily segment refresh and report. */
  customerListing: (contactId: string) => ({ GSI1PK: 'CUSTOMERS', GSI1SK: `CONTACT#${contactId}` }),
  customerListingPartition: () => 'CUSTOMERS',
  /** Segment rules and attribution settings (lookback, half-life), one item beside the other configs. */
  valueSettings: () => ({ PK: 'CONFIG', SK: 'VALUE#active' }),
  /** When the attribution report was last built in full (the builder does so once a day). */
  attributionBuildState: () => ({ PK: 'REPORT#attribution#state', SK: 'A' }),
  // Spend (money coming in): ad platforms' daily costs, and the campaigns leads arrived from.
  /**
   * One day's spend of one platform, account, campaign, ad group and ad; "spend of a period" is one
   * query per month, SK between the first day and the last day followed by `~`. Each part is
   * URI-encoded, so a `#` in an id cannot shift the parts; an absent part is `-`.
   */
  spend: (day: string, platform: string, accountId?: string, campaignId?: string, adGroupId?: string, adId?: string) => ({
    PK: `SPEND#${day.slice(0, 7)}`,
    SK: [day, platform, accountId, campaignId, adGroupId, adId].map((part) => (part ? encodeURIComponent(part) : '-')).join('#'),
  }),
  spendPartition: (month: string) => `SPEND#${month}`,
  /** An ad account whose spend is pulled daily; "every connection" is one query of the partition. */
  spendConnection: (connectionId: string) => ({ PK: 'SPENDCONN', SK: connectionId }),
  spendConnectionsPartition: () => 'SPENDCONN',
  /** "Did any lead arrive from this campaign?": one item per campaign id or normalized campaign name seen on a lead. */
  campaignSeen: (kind: 'id' | 'name', value: string) => ({ PK: `CAMPAIGN#${kind}#${value}`, SK: 'A' }),
  // Channel and rep reports, exchange rates.
  /** One day's rate of a currency against a base ("latest rate on or before a day" is a descending read). */
  exchangeRate: (base: string, currency: string, day: string) => ({ PK: `RATE#${base}#${currency}`, SK: day }),
  exchangeRatePartition: (base: string, currency: string) => `RATE#${base}#${currency}`,
  /** "Every currency pair with rates": one item per base and currency, so a report knows what to read. */
  exchangeRatePair: (base: string, currency: string) => ({ PK: 'RATEPAIRS', SK: `${base}#${currency}` }),
  exchangeRatePairsPartition: () => 'RATEPAIRS',
  /** The admin's report settings (the report currency). */
  reportSettings: () => ({ PK: 'SETTINGS', SK: 'REPORTS' }),
};

/** Attribute names of the table's keys, index and TTL, shared by the CDK stack and the local runtime. */
export const tableSchema = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  ttlAttribute: 'expiresAt',
} as const;
