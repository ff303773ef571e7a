import { randomUUID } from 'node:crypto';
import type { OutgoingEvent } from '../aws/event-publisher.js';

/*
 * The transactional outbox, kept on the item a use case changes. A write that changes state also sets
 * `outbox` to what the change announces, under a fresh id, in the same single-item write; the table's
 * stream carries the item's old and new image to the relay, which publishes the events of an outbox
 * whose id is new. A write that announces nothing leaves `outbox` as it was, so nothing is published
 * for it. A crash right after a write cannot lose its announcement, and nothing publishes after a write.
 */

/** The attribute holding a write's announcements. */
export const OUTBOX_ATTRIBUTE = 'outbox';

/**
 * One stored announcement: its detail inline, or, for a detail the item already holds whole (the
 * archived capture holds Lead Captured), the name of that attribute, so the item does not carry it twice.
 */
export interface StoredAnnouncement {
  detailType: string;
  detail?: object;
  detailFrom?: string;
}

export interface Outbox {
  id: string;
  events: StoredAnnouncement[];
}

/** A new outbox for what one write announces. */
export function outboxOf(events: ReadonlyArray<OutgoingEvent | StoredAnnouncement>): Outbox {
  return { id: randomUUID(), events: events.map((e) => ({ ...e })) };
}

/**
 * The `SET` clause and value that store `events` as the write's outbox; empty when there is nothing to
 * announce, so the item's previous outbox (already relayed) stays and nothing is published again.
 */
export function outboxClause(events: readonly OutgoingEvent[] | undefined): { set: string; values: Record<string, unknown> } {
  if (!events?.length) return { set: '', values: {} };
  return { set: `${OUTBOX_ATTRIBUTE} = :outbox`, values: { ':outbox': outboxOf(events) } };
}

/** `clauses` joined into one `SET` list, skipping empty ones. */
export function setList(...clauses: string[]): string {
  return clauses.filter(Boolean).join(', ');
}
