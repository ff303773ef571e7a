import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { Rep } from '../domain/directory.js';
import type { LeadCaptured } from '../../events/lead-captured.js';
import type { Lead, TimelineEntry } from '../domain/lead.js';
import type { RoutingTrace } from '../../events/lead-assigned.js';
import { keys } from './keys.js';
import { cancellationCodes, queryAll, withConflictRetry, withoutKeys, type Table } from './table.js';

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
  publishedAt?: string;
}

export type CaptureOutcome = { leadId: string; duplicate: false } | { leadId: string; duplicate: true; publishedAt?: string };

/**
 * Makes a capture durable and claims its dedupe key in one transaction, so a submission is either new
 * (and archived) or recognised as a repeat of a lead that already is. A dedupe key whose window has
 * passed is claimed afresh.
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
                Item: { ...keys.leadCapture(captured.leadId), captured, raw },
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
    const existing = await table.client.send(
      new GetCommand({ TableName: table.name, Key: dedupe, ConsistentRead: true }),
    );
    const leadId = existing.Item?.leadId as string | undefined;
    if (!leadId) throw new Error(`dedupe key ${dedupe.PK} was claimed but cannot be read back`);
    const stored = await getCapture(table, leadId);
    return { leadId, duplicate: true, publishedAt: stored?.publishedAt };
  }
}

/** Records that the capture's Lead Captured event was accepted by the bus. */
export async function markCapturePublished(table: Table, leadId: string, at: string): Promise<void> {
  await table.client.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.leadCapture(leadId),
      UpdateExpression: 'SET publishedAt = if_not_exists(publishedAt, :at)',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/** The archived capture of a lead, if there is one. */
export async function getCapture(table: Table, leadId: string): Promise<StoredCapture | undefined> {
  const out = await table.client.send(
    new GetCommand({ TableName: table.name, Key: keys.leadCapture(leadId), ConsistentRead: true }),
  );
  return out.Item ? (withoutKeys(out.Item) as StoredCapture) : undefined;
}

function timelineItem(leadId: string, entry: TimelineEntry) {
  return { ...keys.leadEvent(leadId, entry.at, entry.type), ...entry };
}

/**
 * Creates the lead with its first timeline entries. Returns false when the lead already exists (the
 * event was delivered again), leaving it untouched.
 */
export async function createLead(table: Table, lead: Lead, timeline: TimelineEntry[]): Promise<boolean> {
  try {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.name,
              Item: { ...keys.lead(lead.leadId), ...lead },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...timeline.map((e) => ({ Put: { TableName: table.name, Item: timelineItem(lead.leadId, e) } })),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** A lead's current state. */
export async function getLead(table: Table, leadId: string): Promise<Lead | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.lead(leadId), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as unknown as Lead) : undefined;
}

/** A lead and its timeline, oldest entry first; one query over the lead's partition. */
export async function getLeadWithTimeline(
  table: Table,
  leadId: string,
): Promise<{ lead: Lead; timeline: TimelineEntry[] } | undefined> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.leadPartition(leadId) },
  });
  const leadItem = items.find((i) => i.SK === 'A');
  if (!leadItem) return undefined;
  const timeline = items
    .filter((i) => typeof i.SK === 'string' && i.SK.startsWith('EV#'))
    .map((i) => ({ at: i.at, type: i.type, detail: i.detail }) as TimelineEntry);
  return { lead: withoutKeys(leadItem) as unknown as Lead, timeline };
}

/**
 * Gives the lead its owner, once: a redelivered assignment finds the lead owned and changes nothing.
 * Returns the owner the lead has after the call.
 */
export async function assignLead(
  table: Table,
  input: { leadId: string; repId: string; teamId: string; at: string; trace: RoutingTrace },
): Promise<{ assigned: boolean }> {
  const { leadId, repId, teamId, at, trace } = input;
  try {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.lead(leadId),
              UpdateExpression:
                'SET ownerId = :rep, teamId = :team, assignedAt = :at, routingTrace = :trace, #status = :assigned, GSI1PK = :g1pk, GSI1SK = :g1sk',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(ownerId)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':rep': repId,
                ':team': teamId,
                ':at': at,
                ':trace': trace,
                ':assigned': 'assigned',
                ':g1pk': keys.leadOwner(repId, at).GSI1PK,
                ':g1sk': keys.leadOwner(repId, at).GSI1SK,
              },
            },
          },
          {
            Put: {
              TableName: table.name,
              Item: timelineItem(leadId, { at, type: 'Lead Assigned', detail: { repId, teamId, trace } }),
            },
          },
        ],
      }),
    );
    return { assigned: true };
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return { assigned: false };
    throw error;
  }
}

/**
 * Records that no rep could take the lead, on the lead and its timeline; a lead that has an owner by
 * now (an earlier delivery assigned it) is left as it is.
 */
export async function markUnassigned(table: Table, leadId: string, at: string, why: string): Promise<void> {
  try {
    await sendMarkUnassigned(table, leadId, at, why);
  } catch (error) {
    if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
  }
}

function sendMarkUnassigned(table: Table, leadId: string, at: string, why: string) {
  return table.client.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table.name,
            Key: keys.lead(leadId),
            UpdateExpression: 'SET #status = :s',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(ownerId)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':s': 'unassigned' },
          },
        },
        { Put: { TableName: table.name, Item: timelineItem(leadId, { at, type: 'Lead Unassigned', detail: { why } }) } },
      ],
    }),
  );
}

/** A lead and the rep it is assigned to, read together in one BatchGetItem. */
export async function getLeadAndRep(table: Table, leadId: string, repId: string): Promise<{ lead?: Lead; rep?: Rep }> {
  const leadKey = keys.lead(leadId);
  const repKey = keys.rep(repId);
  let RequestItems: BatchGetCommandOutput['UnprocessedKeys'] = {
    [table.name]: { Keys: [leadKey, repKey], ConsistentRead: true },
  };
  const found: Record<string, any>[] = [];
  for (let attempt = 1; RequestItems && Object.keys(RequestItems).length; attempt++) {
    if (attempt > 8) throw new Error(`could not read lead ${leadId} and rep ${repId}: DynamoDB left keys unprocessed`);
    if (attempt > 1) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    const out: BatchGetCommandOutput = await table.client.send(new BatchGetCommand({ RequestItems }));
    found.push(...(out.Responses?.[table.name] ?? []));
    RequestItems = out.UnprocessedKeys;
  }
  const lead = found.find((i) => i.PK === leadKey.PK && i.SK === leadKey.SK);
  const rep = found.find((i) => i.PK === repKey.PK && i.SK === repKey.SK);
  return {
    lead: lead ? (withoutKeys(lead) as unknown as Lead) : undefined,
    rep: rep ? (withoutKeys(rep) as unknown as Rep) : undefined,
  };
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
  try {
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.name,
              Key: keys.lead(leadId),
              UpdateExpression: 'SET notifiedAt = :at, captureToNotifyMs = :ms',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(notifiedAt)',
              ExpressionAttributeValues: { ':at': at, ':ms': latencyMs },
            },
          },
          {
            Put: {
              TableName: table.name,
              Item: timelineItem(leadId, { at, type: 'Rep Notified', detail: { repId, channel, attempt, latencyMs } }),
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** Adds an entry to a lead's timeline. */
export async function appendTimeline(table: Table, leadId: string, entry: TimelineEntry): Promise<void> {
  await table.client.send(new PutCommand({ TableName: table.name, Item: timelineItem(leadId, entry) }));
}
