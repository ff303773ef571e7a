import type { Channel, LeadRef } from '../../events/common.js';
import type { Revenue } from '../domain/lead-status.js';
import type { FunnelCounts, LatencySample, RevenueSample } from '../domain/source-report.js';
import { dayOf } from '../domain/days.js';
import { keys } from './keys.js';
import { putAll, queryAll, type Table } from './table.js';

export type FunnelStage = keyof FunnelCounts;

export interface FunnelStep {
  lead: LeadRef;
  stage: FunnelStage;
  /** Capture to this step: notify, accept or first contact. */
  latencyMs?: number;
  /** What a won lead brought. */
  revenue?: Revenue;
}

const IS_STAGE = new Set<string>(['leads', 'qualified', 'assigned', 'notified', 'accepted', 'contacted', 'won', 'lost'] satisfies FunnelStage[]);

/**
 * Records funnel steps on each lead's capture day, in as few BatchWriteItem calls as its limit of 25 allows.
 * A step is an item keyed by lead and step, so writing it again changes nothing: redelivered events
 * need no condition, and there is no shared counter item for concurrent leads to contend on. The
 * `notified`, `accepted` and `contacted` steps keep their time from capture for the report's medians,
 * and `won` keeps the revenue.
 */
export async function recordFunnelSteps(table: Table, steps: FunnelStep[]): Promise<void> {
  const items = new Map<string, Record<string, unknown>>();
  for (const { lead, stage, latencyMs, revenue } of steps) {
    const key = keys.funnelMark(dayOf(lead.capturedAt), stage, lead.leadId);
    // BatchWriteItem refuses two requests for one key in the same call.
    items.set(`${key.PK}\u0000${key.SK}`, { ...key, sourceId: lead.sourceId, channel: lead.channel, latencyMs, revenue });
  }
  await putAll(table, [...items.values()]);
}

export interface DayFunnel {
  counters: Array<{ sourceId: string; channel: Channel } & FunnelCounts>;
  /** Capture to notify. */
  latencies: LatencySample[];
  acceptLatencies: LatencySample[];
  contactLatencies: LatencySample[];
  revenue: RevenueSample[];
}

function isRevenue(value: unknown): value is Revenue {
  const r = value as Revenue | undefined;
  return typeof r?.amount === 'number' && typeof r.currency === 'string';
}

/**
 * Counts a day's funnel steps per source and channel, and collects the times from capture (to notify,
 * accept, first contact) and the won revenue of its leads. One query over the day's partition: the work
 * grows with that day's leads, never with history.
 */
export async function readDayFunnel(table: Table, day: string): Promise<DayFunnel> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.funnelPartition(day) },
  });
  const counters = new Map<string, DayFunnel['counters'][number]>();
  const funnel: DayFunnel = { counters: [], latencies: [], acceptLatencies: [], contactLatencies: [], revenue: [] };
  const samplesOf: Partial<Record<FunnelStage, LatencySample[]>> = {
    notified: funnel.latencies,
    accepted: funnel.acceptLatencies,
    contacted: funnel.contactLatencies,
  };
  for (const item of items) {
    const stage = String(item.SK).split('#')[0]!;
    if (!IS_STAGE.has(stage)) continue;
    const { sourceId, channel } = item as { sourceId: string; channel: Channel };
    const key = `${sourceId}\u0000${channel}`;
    let counter = counters.get(key);
    if (!counter) {
      counter = { sourceId, channel, leads: 0, qualified: 0, assigned: 0, notified: 0, accepted: 0, contacted: 0, won: 0, lost: 0 };
      counters.set(key, counter);
    }
    counter[stage as FunnelStage]++;
    const samples = samplesOf[stage as FunnelStage];
    if (samples && typeof item.latencyMs === 'number') samples.push({ sourceId, channel, latencyMs: item.latencyMs });
    if (stage === 'won' && isRevenue(item.revenue)) {
      funnel.revenue.push({ sourceId, channel, amount: item.revenue.amount, currency: item.revenue.currency });
    }
  }
  funnel.counters = [...counters.values()];
  return funnel;
}
