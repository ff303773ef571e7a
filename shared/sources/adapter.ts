import type { Channel } from '../../events/common.js';
import type { CallEvent } from '../domain/call-event.js';
import type { CanonicalLead } from '../domain/canonical-lead.js';
import type { FieldProblem } from '../domain/errors.js';

/**
 * A webhook request as an adapter sees it: the body byte-exact (signatures are computed over the raw
 * bytes, never over a re-serialization), header names lowercase.
 */
export interface InboundRequest {
  /** Uppercase HTTP method. */
  method: string;
  /** The public URL the sender called, with its query string, as the sender was given it (Twilio signs it). */
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Media type without parameters, lowercase; '' when the request has none. */
  mediaType: string;
  raw: Buffer;
  text: string;
  receivedAt: Date;
}

/** What an adapter knows of the configured source it reads for. */
export interface SourceContext {
  sourceId: string;
  /** ISO 3166 alpha-2 country for phone numbers written without one. */
  defaultCountry?: string;
  /** The source's secrets by name, as the adapter declares them in `secrets`. */
  secrets: Record<string, string | undefined>;
}

/**
 * A lead the sender only names (Meta and LinkedIn send ids, not people): it is read from the
 * provider's API after the webhook has been acknowledged.
 */
export interface LeadReference {
  provider: string;
  /** The provider's id of the lead (Meta's leadgen_id, LinkedIn's lead id), unique per provider. */
  externalId: string;
  /** Provider ids that travel with the lead: page, form, ad, campaign, ... */
  externalIds: Record<string, string>;
  attribution: CanonicalLead['attribution'];
  /** When the provider says the lead was created (ISO 8601), if it says. */
  createdAt?: string;
  isTest: boolean;
}

/** What one verified request carries. Anything the adapter cannot read is a thrown `ClientError` instead. */
export type Delivery =
  /** A handshake, echo or connection ping: answer exactly this and store nothing. */
  | { kind: 'reply'; statusCode: number; contentType: string; body: string }
  /** People, ready for intake. `rejected` names items of a batch that were unreadable (the rest still count). */
  | { kind: 'leads'; leads: CanonicalLead[]; rejected: FieldProblem[] }
  /** Ids of leads to read from the provider's API. */
  | { kind: 'lead-refs'; refs: LeadReference[]; rejected: FieldProblem[] }
  | { kind: 'calls'; calls: CallEvent[]; rejected: FieldProblem[] }
  /** The provider withdrew these leads (LinkedIn DELETED): they must not be worked. */
  | { kind: 'suppressions'; provider: string; externalIds: string[] }
  /** A well-formed notification that carries no lead (another event type): acknowledged, nothing stored. */
  | { kind: 'ignored'; reason: string };

/** A secret a source of this provider needs, as the admin API asks for it. */
export interface SecretSpec {
  name: string;
  /** What it is and where in the provider's console to find it. */
  description: string;
  required: boolean;
}

/** Which intake function serves the provider: adapters are bundled per family to keep functions small. */
export type SourceFamily = 'forms' | 'ads' | 'calls';

/** Reads one provider's webhooks: authenticity, handshakes, and the provider's body shape. */
export interface SourceAdapter {
  /** The provider's name in URLs and source configs, e.g. `meta_lead_ads`. */
  provider: string;
  family: SourceFamily;
  channel: Channel;
  secrets: readonly SecretSpec[];
  /** Media types accepted on POST; anything else is answered 415. */
  accepts: readonly string[];
  /** A body limit below the webhooks' 1 MB, for providers whose bodies are known to be smaller (413 above). */
  maxBytes?: number;
  /** Answers a GET (a verification handshake). Absent: the provider never sends GET, and it is a 405. */
  handshake?(request: InboundRequest, source: SourceContext): Delivery;
  /** Throws a `ClientError` (401 or 403) when the request cannot be shown to come from the sender. */
  verify(request: InboundRequest, source: SourceContext): void;
  /** Reads a verified request. Throws a `ClientError` (400) naming the problem when it is unreadable. */
  parse(request: InboundRequest, source: SourceContext): Delivery;
}
