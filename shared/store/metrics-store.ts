import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, LeadRef } from '../../events/common.js';
import type { FunnelCounts } from '../domain/source-report.js';
import { dayOf } from '../domain/days.js';
import { keys } from './keys.js';
import { queryAll, type Table } from './table.js';

export type FunnelStage = keyof FunnelCounts;

const STAGES = new Set<string>(['leads', 'qualified', 'assigned', 'notified'] satisfies FunnelStage[]);

/**
 * Records one funnel step of a lead on its capture day, exactly once: one conditional put per lead and
 * step, so a redelivered event changes nothing. There is no shared counter item to update, so steps of
 * concurrent leads never contend (a counter in a transaction would conflict under bursts). The
 * `notified` step keeps the capture-to-notify latency for the report's median.
 */
export async function markFunnelStep(table: Table, input: { lead: LeadRef; stage: FunnelStage; latencyMs?: number }): Promise<boolean> {
  const { lead, stage, latencyMs } = input;
  try {
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...keys.funnelMark(dayOf(lead.capturedAt), stage, lead.leadId),
          sourceId: lead.sourceId,
          channel: lead.channel,
          latencyMs,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export interface DayFunnel {
  counters: Array<{ sourceId: string; channel: Channel } & FunnelCounts>;
  latencies: Array<{ sourceId: string; channel: Channel; latencyMs: number }>;
}

/**
 * Counts a day's funnel steps per source and channel, and collects its notification latencies. One
 * query over the day's partition: the work grows with that day's leads, never with history.
 */
export async function readDayFunnel(table: Table, day: string): Promise<DayFunnel> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.funnelPartition(day) },
  });
  const counters = new Map<string, DayFunnel['counters'][number]>();
  const latencies: DayFunnel['latencies'] = [];
  for (const item of items) {
    const stage = String(item.SK).split('#')[0]!;
    if (!STAGES.has(stage)) continue;
    const key = `${item.sourceId}\u0000${item.channel}`;
    let counter = counters.get(key);
    if (!counter) {
      counter = { sourceId: item.sourceId, channel: item.channel, leads: 0, qualified: 0, assigned: 0, notified: 0 };
      counters.set(key, counter);
    }
    counter[stage as FunnelStage]++;
    if (stage === 'notified' && typeof item.latencyMs === 'number') {
      latencies.push({ sourceId: item.sourceId, channel: item.channel, latencyMs: item.latencyMs });
    }
  }
  return { counters: [...counters.values()], latencies };
}
