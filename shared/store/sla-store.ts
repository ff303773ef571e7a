import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dueSortKeyBound, slaBucketOf, type SlaWatch } from '../domain/sla.js';
import type { Lead } from '../domain/lead.js';
import { keys } from './keys.js';
import type { OutgoingEvent } from '../aws/event-publisher.js';
import { outboxClause, setList } from './outbox.js';
import { isConditionFailure, queryAll, withoutKeys, writeIf, type Table } from './table.js';

/** A watch is kept a week past its deadline at most; a sweeper that was down longer has bigger problems. */
const WATCH_TTL_SECONDS = 7 * 86_400;


/** Files a watch under its deadline's minute. Writing it again (a redelivered Lead Assigned) changes nothing. */
export async function putSlaWatch(table: Table, watch: SlaWatch): Promise<void> {
  await table.client.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        ...keys.slaWatch(slaBucketOf(watch.deadline), watch.deadline, watch.leadId),
        ...watch,
        expiresAt: Math.floor(Date.parse(watch.deadline) / 1000) + WATCH_TTL_SECONDS,
      },
    }),
  );
}

/** "Watches of one minute whose deadline has passed at `now`", earliest first. */
export async function readDueWatches(table: Table, bucket: string, now: Date): Promise<SlaWatch[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk AND SK < :bound',
    ExpressionAttributeValues: { ':pk': keys.slaPartition(bucket), ':bound': dueSortKeyBound(now) },
    ConsistentRead: true,
  });
  return items.map((i) => {
    const { expiresAt: _ttl, ...watch } = withoutKeys(i) as SlaWatch & { expiresAt?: number };
    return watch;
  });
}

/** Removes a handled watch. */
export async function deleteSlaWatch(table: Table, watch: SlaWatch): Promise<void> {
  await table.client.send(
    new DeleteCommand({ TableName: table.name, Key: keys.slaWatch(slaBucketOf(watch.deadline), watch.deadline, watch.leadId) }),
  );
}

/** The oldest minute that may still hold a watch, if a sweep has recorded one. */
export async function readSweepCursor(table: Table): Promise<string | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.slaSweepCursor(), ConsistentRead: true }));
  return out.Item?.sweptFrom as string | undefined;
}

/**
 * Moves the cursor from what this sweep read to `to`. Compare-and-set: when a concurrent sweep moved it
 * first, this one changes nothing (both read the same minutes; the other's view is as good).
 */
export async function moveSweepCursor(table: Table, from: string | undefined, to: string): Promise<boolean> {
  if (from === to) return true;
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: keys.slaSweepCursor(),
      UpdateExpression: 'SET sweptFrom = :to',
      ConditionExpression: from === undefined ? 'attribute_not_exists(sweptFrom)' : 'sweptFrom = :from',
      ExpressionAttributeValues: { ':to': to, ...(from === undefined ? {} : { ':from': from }) },
    }),
  );
}

/**
 * The condition that a lead is in its `n`th assignment. Assignments are counted by missed deadlines: only
 * a miss hands a lead on, so the `n`th assignment is the one after `n - 1` misses. Values `:n` and `:prev`.
 */
export function inAssignment(n: number): { condition: string; values: Record<string, number> } {
  return n === 1
    ? { condition: '(attribute_not_exists(slaMisses) OR slaMisses = :prev)', values: { ':n': n, ':prev': 0 } }
    : { condition: 'slaMisses = :prev', values: { ':n': n, ':prev': n - 1 } };
}

/** Which assignment a lead is in (see `inAssignment`). */
export function assignmentOf(lead: { slaMisses?: number }): number {
  return (lead.slaMisses ?? 0) + 1;
}

/**
 * Takes the watched assignment back from its rep for a missed deadline, once: the lead must still be
 * theirs in that assignment, unaccepted and only assigned. From then on that assignment cannot be
 * accepted (the accept condition checks `slaExpiredAssignment`), so a rep clicking at the last moment and
 * the sweeper cannot both win. Returns the lead as it now is, or undefined when the claim lost.
 */
export async function claimMissedDeadline(table: Table, watch: SlaWatch, at: string): Promise<Lead | undefined> {
  const current = inAssignment(watch.assignment);
  try {
    const out = await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.lead(watch.leadId),
        UpdateExpression:
          'SET slaExpiredAssignment = :n, slaExpiredAt = :at, slaMisses = if_not_exists(slaMisses, :zero) + :one, ' +
          'missedBy = list_append(if_not_exists(missedBy, :none), :rep1), timeline = list_append(if_not_exists(timeline, :none), :entry)',
        ConditionExpression:
          `attribute_exists(PK) AND ownerId = :rep AND ${current.condition} AND attribute_not_exists(acceptedAt) AND #status = :assigned ` +
          'AND (attribute_not_exists(slaExpiredAssignment) OR slaExpiredAssignment <> :n)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ...current.values,
          ':at': at,
          ':zero': 0,
          ':one': 1,
          ':none': [],
          ':rep': watch.repId,
          ':rep1': [watch.repId],
          ':assigned': 'assigned',
          ':entry': [{ at, type: 'SLA Missed', detail: { repId: watch.repId, assignment: watch.assignment, deadline: watch.deadline } }],
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const { timeline: _timeline, ...lead } = withoutKeys(out.Attributes!) as Lead & { timeline?: unknown };
    return lead;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Claims the one escalation of a lead; false when it was already escalated. */
export async function claimEscalation(table: Table, leadId: string, at: string): Promise<boolean> {
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: keys.lead(leadId),
      UpdateExpression: 'SET escalatedAt = :at',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(escalatedAt)',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/**
 * Takes over a miss whose sweeper stopped before handing the lead on (it claimed the miss and then
 * failed): compare-and-set on the claim time, so of several sweepers finding it only one resumes.
 */
export async function reclaimStalledMiss(table: Table, leadId: string, repId: string, seenClaimAt: string, at: string): Promise<boolean> {
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: keys.lead(leadId),
      UpdateExpression: 'SET slaExpiredAt = :at',
      ConditionExpression: 'ownerId = :rep AND slaExpiredAt = :seen',
      ExpressionAttributeValues: { ':at': at, ':rep': repId, ':seen': seenClaimAt },
    }),
  );
}

/**
 * Gives the same rep a new assignment and deadline when nobody else could take a lead they missed: the
 * lead stays theirs, acceptable again (by a new link), and is watched again. Once per missed assignment.
 * `slaExpiredAt` stays: it tells a later sweep how long ago this hand-on began, should it fail to announce.
 */
export async function reopenForSameRep(
  table: Table,
  input: { leadId: string; repId: string; missedAssignment: number; deadline: string; at: string; why: string; announce?: OutgoingEvent[] },
): Promise<boolean> {
  const { leadId, repId, missedAssignment, deadline, at, why } = input;
  const outbox = outboxClause(input.announce);
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: keys.lead(leadId),
      UpdateExpression: `SET ${setList('slaDeadline = :deadline', outbox.set, 'timeline = list_append(if_not_exists(timeline, :none), :entry)')} REMOVE slaExpiredAssignment`,
      ConditionExpression: 'ownerId = :rep AND slaExpiredAssignment = :n',
      ExpressionAttributeValues: {
        ':deadline': deadline,
        ':rep': repId,
        ':n': missedAssignment,
        ':none': [],
        ':entry': [{ at, type: 'SLA Extended', detail: { repId, assignment: missedAssignment + 1, deadline, why } }],
        ...outbox.values,
      },
    }),
  );
}

/** Appends an SLA event to the lead's timeline (an escalation and whether it reached the manager). */
export async function appendSlaEntry(table: Table, leadId: string, entry: { at: string; type: string; detail: Record<string, unknown> }): Promise<void> {
  await table.client.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.lead(leadId),
      UpdateExpression: 'SET timeline = list_append(if_not_exists(timeline, :none), :entry)',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':none': [], ':entry': [entry] },
    }),
  );
}

/**
 * Records that a rep was told about a lead in one of its assignments (its first notification for that
 * assignment): false when it was recorded already. The first notification of the lead keeps its time and
 * latency for reports; later assignments only move `notifiedAssignment` on.
 */
export async function recordAssignmentNotified(
  table: Table,
  input: { leadId: string; repId: string; assignment: number; at: string; latencyMs: number; channel: string; attempt: number; type: string; announce?: OutgoingEvent[] },
): Promise<boolean> {
  const { leadId, repId, assignment, at, latencyMs, channel, attempt, type } = input;
  const outbox = outboxClause(input.announce);
  const condition =
    assignment === 1
      ? 'attribute_not_exists(notifiedAt) AND attribute_not_exists(notifiedAssignment)'
      : '(attribute_not_exists(notifiedAssignment) OR notifiedAssignment < :n)';
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: keys.lead(leadId),
      UpdateExpression: `SET ${setList(
        'notifiedAt = if_not_exists(notifiedAt, :at), captureToNotifyMs = if_not_exists(captureToNotifyMs, :ms), notifiedAssignment = :n',
        outbox.set,
        'timeline = list_append(if_not_exists(timeline, :none), :entry)',
      )}`,
      ConditionExpression: `attribute_exists(PK) AND ${condition}`,
      ExpressionAttributeValues: {
        ':at': at,
        ':ms': latencyMs,
        ':n': assignment,
        ':none': [],
        ':entry': [{ at, type, detail: { repId, channel, attempt, latencyMs, assignment } }],
        ...outbox.values,
      },
    }),
  );
}

/** Records, once per missed assignment, that the rep was told the lead was taken back from them. */
export async function recordTakenBackNotice(table: Table, leadId: string, repId: string, assignment: number, at: string): Promise<boolean> {
  const notice = `${repId}#${assignment}`;
  return writeIf(
    table,
    new UpdateCommand({
      TableName: table.name,
      Key: keys.lead(leadId),
      UpdateExpression:
        'SET takenBackNotices = list_append(if_not_exists(takenBackNotices, :none), :notice), timeline = list_append(if_not_exists(timeline, :none), :entry)',
      ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(takenBackNotices) OR NOT contains(takenBackNotices, :key))',
      ExpressionAttributeValues: {
        ':none': [],
        ':notice': [notice],
        ':key': notice,
        ':entry': [{ at, type: 'Rep Told Lead Taken Back', detail: { repId, assignment } }],
      },
    }),
  );
}
