import type { Channel, LeadRef } from '../../events/common.js';
import type { FunnelCounts } from '../domain/source-report.js';
import { dayOf } from '../domain/days.js';
import { keys } from './keys.js';
import { putAll, queryAll, type Table } from './table.js';

export type FunnelStage = keyof FunnelCounts;

export interface FunnelStep {
  lead: LeadRef;
  stage: FunnelStage;
  latencyMs?: number;
}

const STAGES = new Set<string>(['leads', 'qualified', 'assigned', 'notified'] satisfies FunnelStage[]);

/**
 * Records funnel steps on each lead's capture day, in as few BatchWriteItem calls as its limit of 25 allows.
 * A step is an item keyed by lead and step, so writing it again changes nothing: redelivered events
 * need no condition, and there is no shared counter item for concurrent leads to contend on. The
 * `notified` step keeps the capture-to-notify latency for the report's median.
 */
export async function recordFunnelSteps(table: Table, steps: FunnelStep[]): Promise<void> {
  const items = new Map<string, Record<string, unknown>>();
  for (const { lead, stage, latencyMs } of steps) {
    const key = keys.funnelMark(dayOf(lead.capturedAt), stage, lead.leadId);
    // BatchWriteItem refuses two requests for one key in the same call.
    items.set(`${key.PK}\u0000${key.SK}`, { ...key, sourceId: lead.sourceId, channel: lead.channel, latencyMs });
  }
  await putAll(table, [...items.values()]);
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
