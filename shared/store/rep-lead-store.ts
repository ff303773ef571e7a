import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Availability, Rep } from '../domain/directory.js';
import type { Revenue, RepStatus } from '../domain/lead-status.js';
import type { Lead, TimelineEntry } from '../domain/lead.js';
import { ValidationError } from '../domain/errors.js';
import type { OutgoingEvent } from '../aws/event-publisher.js';
import { keys } from './keys.js';
import { outboxClause, setList } from './outbox.js';
import { inAssignment } from './sla-store.js';
import { isConditionFailure, withoutKeys, writeIf, type Table } from './table.js';

/*
 * The rep's side of a lead: accepting it and moving it through the sale. Each change is one conditional
 * UpdateItem on the lead item that also appends its timeline entry (like every change of a lead), and
 * its condition is what the caller read: the same owner, the same assignment, the same status. A change
 * that lost a race (the SLA sweeper took the lead back, another request got there first) changes
 * nothing and returns false, and the caller reads the lead again to say why.
 */


/** The condition that the lead is still in the given assignment of the given rep, and not taken back. */
function stillTheirs(assignment: number): { condition: string; values: Record<string, number> } {
  const current = inAssignment(assignment);
  return {
    condition: `ownerId = :rep AND ${current.condition} AND (attribute_not_exists(slaExpiredAssignment) OR slaExpiredAssignment <> :n)`,
    values: current.values,
  };
}

async function update(
  table: Table,
  leadId: string,
  set: string,
  condition: string,
  values: Record<string, unknown>,
  entry: TimelineEntry,
  announce?: OutgoingEvent[],
): Promise<boolean> {
  const outbox = outboxClause(announce);
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: keys.lead(leadId),
      UpdateExpression: `SET ${setList(set, outbox.set, 'timeline = list_append(if_not_exists(timeline, :none), :entry)')}`,
      ConditionExpression: `attribute_exists(PK) AND ${condition}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...values, ...outbox.values, ':none': [], ':entry': [entry] },
    }),
  );
}

/**
 * Records that the rep accepted their assignment of the lead, with the time from capture, once: false
 * when the lead is no longer theirs in that assignment, was taken back for a missed deadline, or was
 * already accepted.
 */
export async function recordAccepted(
  table: Table,
  input: { leadId: string; repId: string; assignment: number; at: string; captureToAcceptMs: number; via: 'link' | 'api'; announce?: OutgoingEvent[] },
): Promise<boolean> {
  const { leadId, repId, assignment, at, captureToAcceptMs, via } = input;
  const theirs = stillTheirs(assignment);
  return update(
    table,
    leadId,
    'acceptedAt = :at, captureToAcceptMs = :ms, #status = :accepted',
    `${theirs.condition} AND attribute_not_exists(acceptedAt) AND #status = :assigned`,
    { ...theirs.values, ':rep': repId, ':at': at, ':ms': captureToAcceptMs, ':accepted': 'accepted', ':assigned': 'assigned' },
    { at, type: 'Lead Accepted', detail: { repId, assignment, via, captureToAcceptMs } },
    input.announce,
  );
}

/**
 * Moves the lead from status `from` to the rep's new status, if it is still theirs and still in `from`.
 * The first change after assignment also counts as acceptance (a rep who calls the lead has taken it),
 * and the first contact records the time from capture to contact.
 */
export async function recordStatus(
  table: Table,
  input: {
    leadId: string;
    repId: string;
    assignment: number;
    from: string;
    to: RepStatus;
    at: string;
    revenue?: Revenue;
    reason?: string;
    note?: string;
    captureToAcceptMs?: number;
    captureToContactMs?: number;
    announce?: OutgoingEvent[];
  },
): Promise<boolean> {
  const { leadId, repId, assignment, from, to, at, revenue, reason, note } = input;
  const sets = ['#status = :to', 'statusChangedAt = :at'];
  const theirs = stillTheirs(assignment);
  const values: Record<string, unknown> = { ...theirs.values, ':rep': repId, ':to': to, ':at': at, ':from': from };
  if (input.captureToAcceptMs !== undefined) {
    sets.push('acceptedAt = if_not_exists(acceptedAt, :at)', 'captureToAcceptMs = if_not_exists(captureToAcceptMs, :acceptMs)');
    values[':acceptMs'] = input.captureToAcceptMs;
  }
  if (input.captureToContactMs !== undefined) {
    sets.push('contactedAt = if_not_exists(contactedAt, :at)', 'captureToContactMs = if_not_exists(captureToContactMs, :contactMs)');
    values[':contactMs'] = input.captureToContactMs;
  }
  if (revenue) {
    sets.push('revenue = :revenue');
    values[':revenue'] = revenue;
  }
  if (reason) {
    sets.push('lostReason = :reason');
    values[':reason'] = reason;
  }
  if (to === 'won' || to === 'lost') sets.push('closedAt = :at');
  return update(table, leadId, sets.join(', '), `${theirs.condition} AND #status = :from`, values, {
    at,
    type: 'Lead Status Changed',
    detail: { repId, from, to, ...(revenue ? { revenue } : {}), ...(reason ? { reason } : {}), ...(note ? { note } : {}) },
  }, input.announce);
}

/** A page of a rep's leads and the cursor of the next page, if any. */
export interface RepLeadPage {
  leads: Lead[];
  next?: string;
}

function decodeCursor(cursor: string, partition: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    // Only a key of this rep's own partition: another would read someone else's leads or fail the query.
    if (key.GSI1PK === partition && typeof key.GSI1SK === 'string' && typeof key.PK === 'string' && typeof key.SK === 'string' &&
      [key.GSI1SK, key.PK, key.SK].every((k) => (k as string).length <= 200)) {
      return { GSI1PK: key.GSI1PK, GSI1SK: key.GSI1SK, PK: key.PK, SK: key.SK };
    }
  } catch {
    // falls through to the error below
  }
  throw new ValidationError('the cursor is not one this list returned', [{ field: 'cursor', problem: 'pass the next value of the previous page as it was' }]);
}

/** "Leads of a rep, newest first" on GSI1, a page at a time. */
export async function listRepLeads(table: Table, repId: string, options: { limit: number; cursor?: string }): Promise<RepLeadPage> {
  const owner = keys.leadOwner(repId, '');
  const out = await table.client.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': owner.GSI1PK },
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: options.cursor ? decodeCursor(options.cursor, owner.GSI1PK) : undefined,
    }),
  );
  const leads = (out.Items ?? []).map((item) => {
    const { timeline: _timeline, onceKeys: _onceKeys, ...lead } = withoutKeys(item) as Lead & { timeline?: unknown; onceKeys?: unknown };
    return lead as Lead;
  });
  const next = out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey), 'utf8').toString('base64url') : undefined;
  return { leads, next };
}

/**
 * Sets a rep's availability. Returns the rep as it was before, so the caller can tell whether they just
 * came online; undefined when there is no such rep.
 */
export async function setRepAvailability(table: Table, repId: string, availability: Availability, at: string): Promise<Rep | undefined> {
  try {
    const out = await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.rep(repId),
        UpdateExpression: 'SET availability = :a, availabilityChangedAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':a': availability, ':at': at },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes ? (withoutKeys(out.Attributes) as unknown as Rep) : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
