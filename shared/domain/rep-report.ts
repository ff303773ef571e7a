import Big from 'big.js';
import { currencyPlaces } from './channel-report.js';
import type { Converter } from './exchange-rates.js';
import { median } from './funnel-stats.js';
import { decimal, decimalText } from './money.js';
import { bucketOf, type ReportPeriod } from './report-period.js';

/** What one rep did with one capture day's leads, and the calls of one day. */
export interface RepDayRow {
  day: string;
  repId: string;
  /** Assignments to this rep (a lead handed on after a missed deadline counts for each rep it reached). */
  assigned: number;
  accepted: number;
  /** Capture → accept of each lead this rep accepted: kept whole, so a week's median is a true median. */
  acceptMs: number[];
  slaMisses: number;
  contacted: number;
  contactMs: number[];
  won: number;
  revenue: Record<string, string>;
  callsPlaced: number;
  callsReceived: number;
  callsMissed: number;
  talkSeconds: number;
}

/** A funnel mark as the rep report reads it. */
export interface RepMark {
  stage: string;
  repId?: string;
  latencyMs?: number;
  revenue?: { amount: string; currency: string };
}

/** One call as its events, merged, tell it, with the rep on our side of it. */
export interface RepCall {
  repId: string;
  direction: 'inbound' | 'outbound' | 'internal';
  state: 'ringing' | 'answered' | 'completed' | 'missed' | 'failed';
  durationSeconds?: number;
}

function emptyRow(day: string, repId: string): RepDayRow {
  return {
    day, repId, assigned: 0, accepted: 0, acceptMs: [], slaMisses: 0, contacted: 0, contactMs: [], won: 0, revenue: {},
    callsPlaced: 0, callsReceived: 0, callsMissed: 0, talkSeconds: 0,
  };
}

/**
 * A day's rows per rep from the day's funnel marks (each carrying the rep it is about) and the day's
 * calls: an outbound call is placed; an inbound one received when answered or completed, missed when
 * missed or failed; talk time is the duration of calls someone talked on.
 */
export function buildRepDay(day: string, marks: RepMark[], calls: RepCall[]): RepDayRow[] {
  const rows = new Map<string, RepDayRow>();
  const rowOf = (repId: string) => rows.get(repId) ?? rows.set(repId, emptyRow(day, repId)).get(repId)!;
  const revenue = new Map<string, Record<string, Big>>();
  for (const mark of marks) {
    if (!mark.repId) continue;
    const row = rowOf(mark.repId);
    switch (mark.stage) {
      case 'rep_assigned':
        row.assigned++;
        break;
      case 'accepted':
        row.accepted++;
        if (mark.latencyMs !== undefined) row.acceptMs.push(mark.latencyMs);
        break;
      case 'contacted':
        row.contacted++;
        if (mark.latencyMs !== undefined) row.contactMs.push(mark.latencyMs);
        break;
      case 'won': {
        row.won++;
        if (!mark.revenue) break;
        const sums = revenue.get(mark.repId) ?? revenue.set(mark.repId, {}).get(mark.repId)!;
        sums[mark.revenue.currency] = (sums[mark.revenue.currency] ?? new Big(0)).plus(decimal(mark.revenue.amount));
        break;
      }
      case 'sla_missed':
        row.slaMisses++;
        break;
    }
  }
  for (const call of calls) {
    if (call.direction === 'internal') continue;
    const row = rowOf(call.repId);
    const talked = call.state === 'answered' || call.state === 'completed';
    if (call.direction === 'outbound') row.callsPlaced++;
    else if (talked) row.callsReceived++;
    else if (call.state === 'missed' || call.state === 'failed') row.callsMissed++;
    if (talked) row.talkSeconds += call.durationSeconds ?? 0;
  }
  for (const [repId, sums] of revenue) {
    const row = rows.get(repId)!;
    for (const currency of Object.keys(sums).sort()) row.revenue[currency] = decimalText(sums[currency]!);
  }
  return [...rows.values()].sort((a, b) => a.repId.localeCompare(b.repId));
}

/** One row of the rep report. */
export interface RepReportRow extends Omit<RepDayRow, 'day' | 'acceptMs' | 'contactMs' | 'revenue'> {
  period: string;
  periodStart: string;
  periodEnd: string;
  medianCaptureToAcceptMs: number | null;
  medianCaptureToContactMs: number | null;
  currency: string;
  /** Converted to `currency`; null when a rate is missing (see `missingRates`). */
  revenue: string | null;
  revenueByCurrency: Record<string, string>;
  missingRates: Array<{ currency: string; days: string[] }>;
}

/**
 * The rep report: rows per rep and day, week, month or the whole range, counts summed from the day
 * rows and medians taken over all the samples of the period.
 */
export function repReport(
  dayRows: RepDayRow[],
  o: { period: ReportPeriod; from: string; to: string; currency: string; convert: Converter },
): RepReportRow[] {
  const groups = new Map<string, { row: RepReportRow; acceptMs: number[]; contactMs: number[]; native: Record<string, Big>; converted: Big; missing: Map<string, Set<string>> }>();
  for (const r of dayRows) {
    const bucket = bucketOf(r.day, o.period, o.from, o.to);
    const key = `${bucket.period}\u0000${r.repId}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        row: {
          ...bucket, repId: r.repId, assigned: 0, accepted: 0, slaMisses: 0, contacted: 0, won: 0,
          callsPlaced: 0, callsReceived: 0, callsMissed: 0, talkSeconds: 0,
          medianCaptureToAcceptMs: null, medianCaptureToContactMs: null,
          currency: o.currency, revenue: null, revenueByCurrency: {}, missingRates: [],
        },
        acceptMs: [], contactMs: [], native: {}, converted: new Big(0), missing: new Map(),
      };
      groups.set(key, g);
    }
    for (const field of ['assigned', 'accepted', 'slaMisses', 'contacted', 'won', 'callsPlaced', 'callsReceived', 'callsMissed', 'talkSeconds'] as const) {
      g.row[field] += r[field] ?? 0;
    }
    g.acceptMs.push(...(r.acceptMs ?? []));
    g.contactMs.push(...(r.contactMs ?? []));
    for (const [currency, text] of Object.entries(r.revenue ?? {})) {
      const amount = decimal(text);
      g.native[currency] = (g.native[currency] ?? new Big(0)).plus(amount);
      const converted = o.convert(amount, currency, o.currency, r.day);
      if (converted) g.converted = g.converted.plus(converted.amount);
      else g.missing.set(currency, (g.missing.get(currency) ?? new Set()).add(r.day));
    }
  }
  return [...groups.values()]
    .map((g) => ({
      ...g.row,
      medianCaptureToAcceptMs: median(g.acceptMs),
      medianCaptureToContactMs: median(g.contactMs),
      revenue: g.missing.size ? null : decimalText(g.converted.round(currencyPlaces(o.currency), Big.roundHalfUp)),
      revenueByCurrency: Object.fromEntries(Object.keys(g.native).sort().map((c) => [c, decimalText(g.native[c]!)])),
      missingRates: [...g.missing].map(([currency, days]) => ({ currency, days: [...days].sort() })),
    }))
    .sort((a, b) => a.periodStart.localeCompare(b.periodStart) || a.repId.localeCompare(b.repId));
}
