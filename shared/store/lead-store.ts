import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadCaptured } from '../../events/lead-captured.js';
import type { RoutingTrace } from '../../events/lead-assigned.js';
import type { Rep } from '../domain/directory.js';
import type { Lead, TimelineEntry } from '../domain/lead.js';
import { LEAD_CAPTURED } from '../../events/detail-types.js';
import type { OutgoingEvent } from '../aws/event-publisher.js';
import { keys } from './keys.js';
import { OUTBOX_ATTRIBUTE, outboxClause, outboxOf, setList } from './outbox.js';
import { isConditionFailure, cancellationCodes, getAll, withConflictRetry, withoutKeys, writeIf, type Table } from './table.js';

/*
 * A lead is one item (`LEAD#id / A`) holding its state and its timeline as a list. Every change of
 * state is one conditional write to that item that also appends to the timeline, so state and timeline
 * can never disagree, with no transaction: a single-item write is atomic in DynamoDB, costs half the
 * write units of a transactional one, and reading a lead is one GetItem.
 */

/** What intake archives about a request, beside the Lead Captured detail made from it. */
export interface RawRequest {
  contentType: string;
  body: string;
  headers: Record<string, string>;
  sourceIp?: string;
}

export interface StoredCapture {
  captured: LeadCaptured;
  raw: RawRequest;
}

export type CaptureOutcome = { leadId: string; duplicate: boolean };


/**
 * Makes a capture durable, claims its dedupe key and stores its announcement in one transaction (a
 * claimed key without its archived request would strand the lead), so a submission is either new, and
 * on its way, or recognised as a repeat of a lead that already is. The archived capture's outbox names
 * its `captured` attribute as Lead Captured's detail, so the item holds the lead once. A dedupe key
 * whose window has passed is claimed afresh.
 */
export async function captureLead(
  table: Table,
  input: { captured: LeadCaptured; raw: RawRequest; dedupeKey: string; windowSeconds: number; now: Date },
): Promise<CaptureOutcome> {
  const { captured, raw, dedupeKey, windowSeconds, now } = input;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const dedupe = keys.dedupe(captured.sourceId, dedupeKey);
  try {
    await withConflictRetry(() =>
      table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: { ...dedupe, leadId: captured.leadId, expiresAt: nowSeconds + windowSeconds },
                ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
                ExpressionAttributeValues: { ':now': nowSeconds },
              },
            },
            {
              Put: {
                TableName: table.name,
                Item: { ...keys.leadCapture(captured.leadId), captured, raw, [OUTBOX_ATTRIBUTE]: outboxOf([{ detailType: LEAD_CAPTURED, detailFrom: 'captured' }]) },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      ),
    );
    return { leadId: captured.leadId, duplicate: false };
  } catch (error) {
    if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    const existing = await table.client.send(new GetCommand({ TableName: table.name, Key: dedupe, ConsistentRead: true }));
    const leadId = existing.Item?.leadId as string | undefined;
    if (!leadId) throw new Error(`dedupe key ${dedupe.PK} was claimed but cannot be read back`);
    return { leadId, duplicate: true };
  }
}

/** The archived capture of a lead, if there is one. */
export async function getCapture(table: Table, leadId: string): Promise<StoredCapture | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.leadCapture(leadId), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as StoredCapture) : undefined;
}

/**
 * Creates the lead with its first timeline entries and what its creation announces. Returns false when
 * the lead already exists (the event was delivered again), leaving it untouched.
 */
export async function createLead(table: Table, lead: Lead, timeline: TimelineEntry[], announce: OutgoingEvent[] = []): Promise<boolean> {
  return writeIf(
    table,
    new PutCommand({
      TableName: table.name,
      Item: { ...keys.lead(lead.leadId), ...lead, timeline, ...(announce.length ? { [OUTBOX_ATTRIBUTE]: outboxOf(announce) } : {}) },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

function splitLead(item: Record<string, unknown>): { lead: Lead; timeline: TimelineEntry[] } {
  const { timeline = [], ...lead } = withoutKeys(item) as unknown as Lead & { timeline?: TimelineEntry[] };
  return { lead, timeline };
}

/** A lead's current state. */
export async function getLead(table: Table, leadId: string): Promise<Lead | undefined> {
  return (await getLeadWithTimeline(table, leadId))?.lead;
}

/** A lead and its timeline, oldest entry first. */
export async function getLeadWithTimeline(table: Table, leadId: string): Promise<{ lead: Lead; timeline: TimelineEntry[] } | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.lead(leadId), ConsistentRead: true }));
  return out.Item ? splitLead(out.Item) : undefined;
}

/**
 * Applies a change to the lead and appends its timeline entry in one conditional write. Returns false
 * when the condition does not hold (the change was already made, or the lead is missing).
 */
async function changeLead(
  table: Table,
  leadId: string,
  change: { set: string; condition: string; values: Record<string, unknown>; names?: Record<string, string> },
  entry: TimelineEntry,
  announce?: OutgoingEvent[],
): Promise<boolean> {
  const outbox = outboxClause(announce);
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: keys.lead(leadId),
      UpdateExpression: `SET ${setList(change.set, outbox.set, 'timeline = list_append(if_not_exists(timeline, :none), :entry)')}`,
      ConditionExpression: `attribute_exists(PK)${change.condition ? ` AND ${change.condition}` : ''}`,
      ExpressionAttributeNames: change.names,
      ExpressionAttributeValues: { ...change.values, ...outbox.values, ':none': [], ':entry': [entry] },
    }),
  );
}

/**
 * Gives the lead its owner, once, with its announcement (Lead Assigned): a redelivered assignment finds
 * the lead owned and changes nothing.
 */
export async function assignLead(
  table: Table,
  input: { leadId: string; repId: string; teamId: string; at: string; trace: RoutingTrace; slaDeadline?: string; announce?: OutgoingEvent[] },
): Promise<{ assigned: boolean }> {
  const { leadId, repId, teamId, at, trace, slaDeadline, announce } = input;
  const owner = keys.leadOwner(repId, at);
  const assigned = await changeLead(
    table,
    leadId,
    {
      set: `ownerId = :rep, teamId = :team, assignedAt = :at, routingTrace = :trace, #status = :assigned, GSI1PK = :g1pk, GSI1SK = :g1sk${slaDeadline ? ', slaDeadline = :sla' : ''}`,
      condition: 'attribute_not_exists(ownerId)',
      names: { '#status': 'status' },
      values: {
        ':rep': repId, ':team': teamId, ':at': at, ':trace': trace, ':assigned': 'assigned', ':g1pk': owner.GSI1PK, ':g1sk': owner.GSI1SK,
        ...(slaDeadline ? { ':sla': slaDeadline } : {}),
      },
    },
    { at, type: 'Lead Assigned', detail: { repId, teamId, trace, ...(slaDeadline ? { slaDeadline } : {}) } },
    announce,
  );
  return { assigned };
}

/**
 * Hands a lead from its current owner to another rep (an SLA miss), once: the write holds only while
 * `fromRepId` still owns the lead, so two sweepers racing on one miss move it once.
 */
export async function reassignLead(
  table: Table,
  input: { leadId: string; fromRepId: string; repId: string; teamId: string; at: string; trace: RoutingTrace; slaDeadline?: string; reason: string; announce?: OutgoingEvent[] },
): Promise<{ reassigned: boolean }> {
  const { leadId, fromRepId, repId, teamId, at, trace, slaDeadline, reason, announce } = input;
  const owner = keys.leadOwner(repId, at);
  const reassigned = await changeLead(
    table,
    leadId,
    {
      set: `ownerId = :rep, teamId = :team, assignedAt = :at, routingTrace = :trace, #status = :assigned, GSI1PK = :g1pk, GSI1SK = :g1sk${slaDeadline ? ', slaDeadline = :sla' : ''}`,
      condition: 'ownerId = :from',
      names: { '#status': 'status' },
      values: {
        ':rep': repId, ':team': teamId, ':at': at, ':trace': trace, ':assigned': 'assigned', ':g1pk': owner.GSI1PK, ':g1sk': owner.GSI1SK,
        ':from': fromRepId, ...(slaDeadline ? { ':sla': slaDeadline } : {}),
      },
    },
    { at, type: 'Lead Reassigned', detail: { fromRepId, repId, teamId, reason, trace, ...(slaDeadline ? { slaDeadline } : {}) } },
    announce,
  );
  return { reassigned };
}

/**
 * Records that the lead waits in its team's queue because no rep can take it now; once, and never for
 * a lead that has an owner by now.
 */
export async function markWaiting(table: Table, leadId: string, input: { at: string; teamId: string; why: string; trace: Record<string, unknown> }): Promise<boolean> {
  return changeLead(
    table,
    leadId,
    {
      set: '#status = :s, teamId = :team',
      condition: 'attribute_not_exists(ownerId) AND #status <> :s',
      names: { '#status': 'status' },
      values: { ':s': 'waiting', ':team': input.teamId },
    },
    { at: input.at, type: 'Lead Waiting', detail: { teamId: input.teamId, why: input.why, trace: input.trace } },
  );
}

/**
 * Records that no rep could take the lead; a lead that has an owner by now (an earlier delivery
 * assigned it) is left as it is.
 */
export async function markUnassigned(table: Table, leadId: string, at: string, why: string): Promise<void> {
  await changeLead(
    table,
    leadId,
    // Once is enough: a redelivered event finds the lead unassigned already and adds no second entry.
    { set: '#status = :s', condition: 'attribute_not_exists(ownerId) AND #status <> :s', names: { '#status': 'status' }, values: { ':s': 'unassigned' } },
    { at, type: 'Lead Unassigned', detail: { why } },
  );
}

/**
 * Records the first successful notification of the lead's owner. Returns false when one was already
 * recorded (a redelivered message), so the caller does not announce it twice.
 */
export async function recordNotified(
  table: Table,
  input: { leadId: string; repId: string; at: string; latencyMs: number; channel: string; attempt: number },
): Promise<boolean> {
  const { leadId, repId, at, latencyMs, channel, attempt } = input;
  return changeLead(
    table,
    leadId,
    { set: 'notifiedAt = :at, captureToNotifyMs = :ms', condition: 'attribute_not_exists(notifiedAt)', values: { ':at': at, ':ms': latencyMs } },
    { at, type: 'Rep Notified', detail: { repId, channel, attempt, latencyMs } },
  );
}

/** Adds an entry to a lead's timeline, with what it announces. */
export async function appendTimeline(table: Table, leadId: string, entry: TimelineEntry, announce?: OutgoingEvent[]): Promise<void> {
  await changeLead(table, leadId, { set: '', condition: '', values: {} }, entry, announce);
}

/**
 * Appends an entry to the lead's timeline once per `onceKey` (a call, a re-submission): the lead keeps
 * the keys of the entries made this way, so an event delivered twice at once, or retried after a crash,
 * finds its key there and changes nothing. Returns false when the entry was made already (or the lead
 * is missing).
 */
export async function appendTimelineOnce(table: Table, leadId: string, onceKey: string, entry: TimelineEntry): Promise<boolean> {
  return changeLead(
    table,
    leadId,
    {
      set: 'onceKeys = list_append(if_not_exists(onceKeys, :none), :onceKeys)',
      condition: '(attribute_not_exists(onceKeys) OR NOT contains(onceKeys, :onceKey))',
      values: { ':onceKeys': [onceKey], ':onceKey': onceKey },
    },
    entry,
  );
}

/** A lead and the rep it is assigned to, read together in one BatchGetItem. */
export async function getLeadAndRep(table: Table, leadId: string, repId: string): Promise<{ lead?: Lead; rep?: Rep }> {
  const leadKey = keys.lead(leadId);
  const repKey = keys.rep(repId);
  const found = await getAll(table, [leadKey, repKey]);
  const lead = found.find((i) => i.PK === leadKey.PK && i.SK === leadKey.SK);
  const rep = found.find((i) => i.PK === repKey.PK && i.SK === repKey.SK);
  return { lead: lead ? splitLead(lead).lead : undefined, rep: rep ? (withoutKeys(rep) as unknown as Rep) : undefined };
}

/** Records that the provider withdrew a lead (kept 90 days), so a late or repeated read never captures it. */
export async function recordWithdrawal(table: Table, input: { provider: string; externalId: string; at: string }): Promise<void> {
  await table.client.send(
    new PutCommand({
      TableName: table.name,
      Item: { ...keys.withdrawal(input.provider, input.externalId), at: input.at, expiresAt: Math.floor(Date.parse(input.at) / 1000) + 90 * 86_400 },
    }),
  );
}

/** Whether the provider withdrew the lead it knows by this id. */
export async function isWithdrawn(table: Table, provider: string, externalId: string): Promise<boolean> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.withdrawal(provider, externalId), ConsistentRead: true }));
  return Boolean(out.Item);
}

/** The lead that claimed a dedupe key (a provider's lead id), if one did within the key's window. */
export async function leadIdOfDedupeKey(table: Table, sourceId: string, dedupeKey: string): Promise<string | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.dedupe(sourceId, dedupeKey), ConsistentRead: true }));
  return out.Item?.leadId as string | undefined;
}

/** Marks a lead withdrawn by its provider, once; it keeps its history but is no longer worked. */
export async function withdrawLead(table: Table, input: { leadId: string; at: string; why: string }): Promise<boolean> {
  return changeLead(
    table,
    input.leadId,
    { set: '#status = :s', condition: '#status <> :s', names: { '#status': 'status' }, values: { ':s': 'withdrawn' } },
    { at: input.at, type: 'Lead Withdrawn', detail: { why: input.why } },
  );
}
