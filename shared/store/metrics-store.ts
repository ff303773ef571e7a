import type { Channel, LeadRef } from '../../events/common.js';
import type { CallEvent } from '../domain/call-event.js';
import { mergeCallEvent, type CallRecord } from '../domain/call-correlation.js';
import type { DayLead } from '../domain/channel-report.js';
import { decimal, decimalText } from '../domain/money.js';
import type { RepCall, RepMark } from '../domain/rep-report.js';
import type { CampaignRef } from '../domain/campaign-ref.js';
import type { Revenue } from '../domain/lead-status.js';
import type { FunnelCounts, LatencySample, RevenueSample } from '../domain/source-report.js';
import { dayOf } from '../domain/days.js';
import { keys } from './keys.js';
import { putAll, queryAll, type Table } from './table.js';

export type FunnelStage = keyof FunnelCounts;

/**
 * Marks only the rep report reads: each assignment to a rep (`rep_assigned`, one per lead and rep) and
 * each missed acceptance deadline (`sla_missed`, one per lead and assignment).
 */
export type RepStage = 'rep_assigned' | 'sla_missed';

export interface FunnelStep {
  lead: LeadRef;
  stage: FunnelStage | RepStage;
  /** Distinguishes several marks of one lead and stage (the rep, the assignment number). */
  part?: string;
  /** Capture to this step: notify, accept or first contact. */
  latencyMs?: number;
  /** What a won lead brought. */
  revenue?: Revenue;
  /** The rep the step is about (assigned, accepted, contacted, won, SLA missed). */
  repId?: string;
  /** On the `leads` mark: the campaign the lead came from, which the channel report matches spend to. */
  campaign?: CampaignRef;
}

/** One call event, on the day it happened, with the rep on our side of the call when known. */
export interface CallMark {
  event: CallEvent;
  repId?: string;
}

const IS_STAGE = new Set<string>(['leads', 'qualified', 'assigned', 'notified', 'accepted', 'contacted', 'won', 'lost'] satisfies FunnelStage[]);

/**
 * Records funnel steps on each lead's capture day, in as few BatchWriteItem calls as its limit of 25 allows.
 * A step is an item keyed by lead and step, so writing it again changes nothing: redelivered events
 * need no condition, and there is no shared counter item for concurrent leads to contend on. The
 * `notified`, `accepted` and `contacted` steps keep their time from capture for the report's medians,
 * and `won` keeps the revenue.
 */
export async function recordFunnelSteps(table: Table, steps: FunnelStep[], calls: CallMark[] = []): Promise<void> {
  const items = new Map<string, Record<string, unknown>>();
  for (const { lead, stage, part, latencyMs, revenue, repId, campaign } of steps) {
    const key = keys.funnelMark(dayOf(lead.capturedAt), stage, part ? `${lead.leadId}#${part}` : lead.leadId);
    // BatchWriteItem refuses two requests for one key in the same call.
    items.set(`${key.PK}\u0000${key.SK}`, { ...key, leadId: lead.leadId, sourceId: lead.sourceId, channel: lead.channel, latencyMs, revenue, repId, campaign });
  }
  for (const { event, repId } of calls) {
    // One mark per call event, on the day it happened; the builder merges a call's events as track-calls does.
    const key = keys.funnelMark(dayOf(event.occurredAt), 'call', `${event.provider}#${event.callId}#${event.eventId}`);
    items.set(`${key.PK}\u0000${key.SK}`, { ...key, event, repId });
  }
  await putAll(table, [...items.values()]);
}

/** Every mark of a capture day (and the call events of that day), in one query over its partition. */
export async function readDayMarks(table: Table, day: string): Promise<Record<string, any>[]> {
  return queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.funnelPartition(day) },
  });
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
  return funnelOfMarks(await readDayMarks(table, day));
}

/** The per-source counts and samples of a day's marks (see readDayFunnel). */
export function funnelOfMarks(items: Record<string, any>[]): DayFunnel {
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

const amountText = (amount: number | string) => decimalText(decimal(amount));

/**
 * The leads of a day's marks, each with the steps it reached, its campaign (from its `leads` mark),
 * its time to first contact and its revenue. Marks of a lead without its `leads` mark are not a lead
 * of this day and are left out.
 */
export function dayLeadsOf(items: Record<string, any>[]): DayLead[] {
  const leads = new Map<string, DayLead>();
  const steps = new Map<string, Record<string, any>[]>();
  for (const item of items) {
    const [stage, leadId] = String(item.SK).split('#') as [string, string | undefined];
    if (!leadId || !IS_STAGE.has(stage)) continue;
    if (stage === 'leads') {
      leads.set(leadId, {
        leadId,
        sourceId: item.sourceId,
        // Leads marked before campaigns were recorded have no campaign; they are said to be of no known channel.
        campaign: (item.campaign as CampaignRef | undefined) ?? { channel: 'unknown' },
        qualified: false, contacted: false, won: false, lost: false,
      });
    } else {
      (steps.get(leadId) ?? steps.set(leadId, []).get(leadId)!).push({ ...item, stage });
    }
  }
  for (const [leadId, marks] of steps) {
    const lead = leads.get(leadId);
    if (!lead) continue;
    for (const mark of marks) {
      if (mark.stage === 'qualified') lead.qualified = true;
      if (mark.stage === 'lost') lead.lost = true;
      if (mark.stage === 'contacted') {
        lead.contacted = true;
        if (typeof mark.latencyMs === 'number') lead.captureToContactMs = mark.latencyMs;
      }
      if (mark.stage === 'won') {
        lead.won = true;
        if (isRevenue(mark.revenue)) lead.revenue = { amount: amountText(mark.revenue.amount), currency: mark.revenue.currency };
      }
    }
  }
  return [...leads.values()];
}

/** The rep report's input from a day's marks: marks naming a rep, and the day's calls merged from their events. */
export function repInputsOf(items: Record<string, any>[]): { marks: RepMark[]; calls: RepCall[] } {
  const marks: RepMark[] = [];
  const events = new Map<string, Array<{ event: CallEvent; repId?: string }>>();
  for (const item of items) {
    const stage = String(item.SK).split('#')[0]!;
    if (stage === 'call') {
      const event = item.event as CallEvent;
      const key = `${event.provider}\u0000${event.callId}`;
      (events.get(key) ?? events.set(key, []).get(key)!).push({ event, repId: item.repId });
    } else if (typeof item.repId === 'string') {
      marks.push({
        stage,
        repId: item.repId,
        ...(typeof item.latencyMs === 'number' ? { latencyMs: item.latencyMs } : {}),
        ...(isRevenue(item.revenue) ? { revenue: { amount: amountText(item.revenue.amount), currency: item.revenue.currency } } : {}),
      });
    }
  }
  const calls: RepCall[] = [];
  for (const list of events.values()) {
    let record: CallRecord | undefined;
    for (const { event } of list) record = mergeCallEvent(record, event).record;
    const repId = list.map((e) => e.repId).filter(Boolean).sort()[0];
    if (record && repId && !record.isTest) {
      calls.push({ repId, direction: record.direction, state: record.state, ...(record.durationSeconds !== undefined ? { durationSeconds: record.durationSeconds } : {}) });
    }
  }
  return { marks, calls };
}
