import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, LeadRef } from '../../events/common.js';
import type { FunnelCounts } from '../domain/source-report.js';
import { dayOf } from '../domain/days.js';
import { keys } from './keys.js';
import { cancellationCodes, queryAll, withConflictRetry, type Table } from './table.js';

export type FunnelStage = keyof FunnelCounts;

/**
 * Counts one funnel step of a lead on its capture day, exactly once: a mark per lead and step is written
 * in the same transaction as the counter, and a redelivered event finds the mark and counts nothing.
 * The `notified` step's mark keeps the capture-to-notify latency for the report's median.
 */
export async function countFunnelStep(
  table: Table,
  input: { lead: LeadRef; stage: FunnelStage; latencyMs?: number },
): Promise<boolean> {
  const { lead, stage, latencyMs } = input;
  const day = dayOf(lead.capturedAt);
  try {
    await withConflictRetry(() =>
      table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.name,
                Item: {
                  ...keys.aggregateMark(day, stage, lead.leadId),
                  sourceId: lead.sourceId,
                  channel: lead.channel,
                  latencyMs,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: table.name,
                Key: keys.aggregate(day, lead.channel, lead.sourceId),
                UpdateExpression: 'SET sourceId = :source, channel = :channel ADD #stage :one',
                ExpressionAttributeNames: { '#stage': stage },
                ExpressionAttributeValues: { ':source': lead.sourceId, ':channel': lead.channel, ':one': 1 },
              },
            },
          ],
        }),
      ),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

export interface DayAggregates {
  counters: Array<{ sourceId: string; channel: Channel } & Partial<FunnelCounts>>;
  latencies: Array<{ sourceId: string; channel: Channel; latencyMs: number }>;
}

/** Everything counted for a day: its counters and its notification latencies. */
export async function readDayAggregates(table: Table, day: string): Promise<DayAggregates> {
  const result: DayAggregates = { counters: [], latencies: [] };
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.aggregatePartition(day) },
  });
  for (const item of items) {
    const sk = String(item.SK);
    if (sk.startsWith('C#')) {
      result.counters.push({
        sourceId: item.sourceId,
        channel: item.channel,
        leads: item.leads,
        qualified: item.qualified,
        assigned: item.assigned,
        notified: item.notified,
      });
    } else if (sk.startsWith('M#notified#') && typeof item.latencyMs === 'number') {
      result.latencies.push({ sourceId: item.sourceId, channel: item.channel, latencyMs: item.latencyMs });
    }
  }
  return result;
}
