import { journeyOf, type ModelOptions } from '../domain/attribution-models.js';
import { attributeConversions, type AttributedConversion, type ReportTouch } from '../domain/attribution-report.js';
import { dayOf, daysBefore, daysBetween } from '../domain/days.js';
import { campaignOf, isDirect, marketingChannelOf, type TouchOrigin } from '../domain/touch-channel.js';
import { lastFullBuild, leadIdsAtStage, leadsByIds, recordFullBuild, saveAttributionDay, touchpointsOf } from '../store/attribution-store.js';
import { purchasesOfDay } from '../store/purchase-store.js';
import type { Table } from '../store/table.js';
import { readValueSettings } from '../store/value-settings-store.js';

/** How many days back the daily full build reaches: what late events (a win, a refund) can still change. */
export const FULL_BUILD_DAYS = 31;

function reportTouch(id: string, at: string, origin: TouchOrigin): ReportTouch {
  return { id, at, channel: marketingChannelOf(origin), campaign: campaignOf(origin), direct: isDirect(origin) };
}

/**
 * Builds one day's attribution rows: the leads created and qualified among the day's captures (its
 * funnel marks) and the day's purchases (won leads and shop orders), each credited over its contact's
 * journey under every model. Reads grow with the day's conversions and their contacts' touchpoints,
 * never with history; the touchpoints of a contact are read once per build.
 */
async function buildDay(table: Table, day: string, options: ModelOptions, touchCache: Map<string, Promise<Array<Record<string, any>>>>) {
  const [created, qualified, purchases] = await Promise.all([
    leadIdsAtStage(table, day, 'leads'),
    leadIdsAtStage(table, day, 'qualified'),
    purchasesOfDay(table, day),
  ]);
  const leads = new Map((await leadsByIds(table, [...created, ...qualified])).map((l) => [l.leadId as string, l]));
  const touchesOf = (contactId: string) => {
    let touches = touchCache.get(contactId);
    if (!touches) touchCache.set(contactId, (touches = touchpointsOf(table, contactId)));
    return touches;
  };
  /** The journey of a conversion and the id of the touch its lead made. */
  const journey = async (contactId: string | undefined, leadId: string | undefined, at: string, lead?: Record<string, any>) => {
    if (!contactId) {
      // A lead with neither email nor phone has no contact: its journey is the lead itself.
      return lead ? { touches: [reportTouch('lead', lead.capturedAt, lead as TouchOrigin)], leadTouchId: 'lead' } : { touches: [] };
    }
    const stored = await touchesOf(contactId);
    const touches = journeyOf(stored.map((t) => reportTouch(t.touchId, t.at, t as TouchOrigin)), { at }, options.lookbackDays);
    const own = leadId ? stored.find((t) => t.leadId === leadId)?.touchId : undefined;
    return { touches, ...(own ? { leadTouchId: own } : {}) };
  };
  const conversions: AttributedConversion[] = [];
  for (const [kind, ids] of [['created', created], ['qualified', qualified]] as const) {
    for (const id of ids) {
      const lead = leads.get(id);
      if (!lead) continue;
      const at = kind === 'created' ? lead.capturedAt : (lead.qualifiedAt ?? lead.capturedAt);
      const j = await journey(lead.contactId, id, at, lead);
      conversions.push({ kind, at, journey: j.touches, ...(j.leadTouchId ? { leadTouchId: j.leadTouchId } : {}) });
    }
  }
  for (const p of purchases) {
    const j = await journey(p.contactId, p.leadId, p.at);
    conversions.push({
      kind: p.origin === 'lead' ? 'won' : 'purchase',
      at: p.at,
      journey: j.touches,
      revenue: { amount: p.amount, currency: p.currency },
      ...(j.leadTouchId ? { leadTouchId: j.leadTouchId } : {}),
      ...(p.opportunityAt ? { opportunityAt: p.opportunityAt } : {}),
    });
  }
  return { conversions: conversions.length, rows: attributeConversions(conversions, options) };
}

/** Rebuilds the attribution rows of each day, with the admin's lookback and half-life. */
export async function buildAttributionReports(table: Table, days: readonly string[], now: Date): Promise<{ days: number; conversions: number; rows: number }> {
  const { attribution } = await readValueSettings(table);
  const touchCache = new Map<string, Promise<Array<Record<string, any>>>>();
  let conversions = 0;
  let rows = 0;
  for (const day of days) {
    const built = await buildDay(table, day, attribution, touchCache);
    await saveAttributionDay(table, day, built.rows, now.toISOString());
    conversions += built.conversions;
    rows += built.rows.length;
  }
  return { days: days.length, conversions, rows };
}

/**
 * The schedule's run (hourly): today and yesterday, and once a day, on the first run of a UTC day, the
 * last `FULL_BUILD_DAYS` days in full, so a win or refund on an older lead reaches its day's rows.
 */
export async function runScheduledAttributionBuild(table: Table, now: Date): Promise<{ full: boolean; days: number; conversions: number; rows: number }> {
  const today = dayOf(now.toISOString());
  const full = (await lastFullBuild(table)) !== today;
  const days = daysBetween(daysBefore(today, full ? FULL_BUILD_DAYS - 1 : 1), today);
  const result = await buildAttributionReports(table, days, now);
  if (full) await recordFullBuild(table, today, now.toISOString());
  return { full, ...result };
}
