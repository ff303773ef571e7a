import Big from 'big.js';
import { creditsOf, MODELS, type JourneyTouch, type ModelName, type ModelOptions } from './attribution-models.js';
import { decimal, decimalText, ratio } from './money.js';
import type { SpendRecord } from './spend.js';
import { normalizeLabel } from './touch-channel.js';

/** Conversions the report credits: leads created and qualified, won leads (with revenue), shop purchases. */
export const CONVERSION_KINDS = ['created', 'qualified', 'won', 'purchase'] as const;
export type ConversionKind = (typeof CONVERSION_KINDS)[number];

/** A journey touch with the campaign it is credited to. */
export interface ReportTouch extends JourneyTouch {
  campaign: string;
}

/** One conversion with its journey (as `journeyOf` selected it), ready to be credited. */
export interface AttributedConversion {
  kind: ConversionKind;
  at: string;
  leadTouchId?: string;
  opportunityAt?: string;
  /** Won leads and purchases; negative for a refund (which lowers revenue and counts no conversion). */
  revenue?: { amount: string; currency: string };
  journey: ReportTouch[];
}

/** Credited conversions (decimal strings) and revenue per currency for one model, channel and campaign. */
export interface AttributionRow {
  model: ModelName;
  channel: string;
  campaign: string;
  created: string;
  qualified: string;
  won: string;
  purchase: string;
  revenue: Record<string, string>;
}

/** Where a conversion without any touch in its journey is credited, so every model's totals reconcile. */
export const UNATTRIBUTED = 'unattributed';

interface Sums {
  counts: Record<ConversionKind, Big>;
  revenue: Map<string, Big>;
}

const emptySums = (): Sums => ({ counts: { created: new Big(0), qualified: new Big(0), won: new Big(0), purchase: new Big(0) }, revenue: new Map() });

/**
 * Credits a day's conversions under every model and sums the credits per model, channel and campaign.
 * Revenue is credited exactly (amount × credit, no rounding), so each model's revenue adds up to the
 * revenue converted, per currency; a conversion with an empty journey goes to `unattributed`.
 */
export function attributeConversions(conversions: readonly AttributedConversion[], options: ModelOptions, models: readonly ModelName[] = MODELS): AttributionRow[] {
  const sums = new Map<string, { model: ModelName; channel: string; campaign: string; sums: Sums }>();
  const add = (model: ModelName, channel: string, campaign: string, conversion: AttributedConversion, credit: Big) => {
    const key = `${model}\u0000${channel}\u0000${campaign}`;
    let row = sums.get(key);
    if (!row) sums.set(key, (row = { model, channel, campaign, sums: emptySums() }));
    const refund = conversion.revenue && decimal(conversion.revenue.amount).lt(0);
    if (!refund) row.sums.counts[conversion.kind] = row.sums.counts[conversion.kind].plus(credit);
    if (conversion.revenue) {
      const { amount, currency } = conversion.revenue;
      row.sums.revenue.set(currency, (row.sums.revenue.get(currency) ?? new Big(0)).plus(decimal(amount).times(credit)));
    }
  };
  for (const conversion of conversions) {
    for (const model of models) {
      const credits = creditsOf(model, conversion.journey, conversion, options);
      if (!credits.length) add(model, UNATTRIBUTED, '-', conversion, new Big(1));
      const byId = new Map(conversion.journey.map((t) => [t.id, t]));
      for (const { touchId, credit } of credits) {
        const touch = byId.get(touchId)!;
        add(model, touch.channel, touch.campaign, conversion, new Big(credit));
      }
    }
  }
  return [...sums.values()]
    .map(({ model, channel, campaign, sums: s }) => ({
      model,
      channel,
      campaign,
      created: decimalText(s.counts.created),
      qualified: decimalText(s.counts.qualified),
      won: decimalText(s.counts.won),
      purchase: decimalText(s.counts.purchase),
      revenue: Object.fromEntries([...s.revenue.keys()].sort().map((c) => [c, decimalText(s.revenue.get(c)!)])),
    }))
    .sort((a, b) => a.model.localeCompare(b.model) || a.channel.localeCompare(b.channel) || a.campaign.localeCompare(b.campaign));
}

/** One model's figures for a channel (or campaign) over the report period. */
export interface ModelFigures {
  created: string;
  qualified: string;
  won: string;
  purchase: string;
  revenue: Record<string, string>;
  /** Spend per currency, read from the spend rows of the channel's platform. */
  spend: Record<string, string>;
  /** (credited revenue − spend) / spend, per spend currency, 4 places; null where it cannot be computed. */
  romi: Record<string, string | null>;
  /** Why a ROMI is null: revenue in a currency the spend is not in needs an exchange rate. */
  romiUnavailable?: string;
}

/** The spread between models of one figure: the lowest and highest model and the difference. */
export interface Spread {
  min: string;
  max: string;
  spread: string;
  lowest: ModelName[];
  highest: ModelName[];
}

export interface AttributionReportEntry {
  channel: string;
  campaign?: string;
  models: Partial<Record<ModelName, ModelFigures>>;
  spread: { created: Spread; qualified: Spread; won: Spread; purchase: Spread; revenue: Record<string, Spread> };
}

const ROUND_PLACES = 6;

function sumInto(target: Map<string, Big>, values: Record<string, string>) {
  for (const [k, v] of Object.entries(values)) target.set(k, (target.get(k) ?? new Big(0)).plus(decimal(v)));
}

function toRecord(sums: Map<string, Big>): Record<string, string> {
  return Object.fromEntries([...sums.keys()].sort().map((k) => [k, decimalText(sums.get(k)!.round(ROUND_PLACES, Big.roundHalfUp))]));
}

/**
 * ROMI per spend currency. Revenue and spend are compared only in one currency: where the revenue
 * holds another currency than the spend, the ROMI is null and says it needs an exchange rate.
 */
export function romiOf(revenue: Record<string, string>, spend: Record<string, string>): { romi: Record<string, string | null>; romiUnavailable?: string } {
  const romi: Record<string, string | null> = {};
  const revenueCurrencies = Object.keys(revenue).filter((c) => !decimal(revenue[c]!).eq(0));
  const problems: string[] = [];
  for (const currency of Object.keys(spend).sort()) {
    const others = revenueCurrencies.filter((c) => c !== currency);
    if (others.length) {
      romi[currency] = null;
      problems.push(`revenue in ${others.join(', ')} and spend in ${currency}`);
      continue;
    }
    const s = decimal(spend[currency]!);
    romi[currency] = ratio(decimal(revenue[currency] ?? '0').minus(s), s, 4);
  }
  return problems.length ? { romi, romiUnavailable: `${problems.join('; ')} cannot be compared without an exchange rate` } : { romi };
}

function spreadOf(values: Array<[ModelName, Big]>): Spread {
  const min = values.reduce((m, [, v]) => (v.lt(m) ? v : m), values[0]![1]);
  const max = values.reduce((m, [, v]) => (v.gt(m) ? v : m), values[0]![1]);
  const text = (v: Big) => decimalText(v.round(ROUND_PLACES, Big.roundHalfUp));
  return {
    min: text(min),
    max: text(max),
    spread: text(max.minus(min)),
    lowest: values.filter(([, v]) => v.eq(min)).map(([m]) => m),
    highest: values.filter(([, v]) => v.eq(max)).map(([m]) => m),
  };
}

/** The spend rows of a channel (its platform) and, by campaign id or normalized name, of a campaign. */
function spendMatches(row: SpendRecord, channel: string, campaign?: string): boolean {
  if (row.platform !== channel) return false;
  if (campaign === undefined) return true;
  if (row.campaignId) return row.campaignId === campaign || (row.campaignName !== undefined && normalizeLabel(row.campaignName) === campaign);
  return row.campaignName !== undefined && normalizeLabel(row.campaignName) === campaign;
}

/**
 * The attribution report from built rows (any number of days) and the period's spend: per channel, or
 * per channel and campaign, each chosen model's credited conversions and revenue, its spend and ROMI,
 * and the spread between the models. Channels with spend and no conversion are listed too (their ROMI
 * is -1: all spend, no return).
 */
export function assembleAttributionReport(
  rows: readonly AttributionRow[],
  spend: readonly SpendRecord[],
  models: readonly ModelName[],
  groupBy: 'channel' | 'campaign',
): AttributionReportEntry[] {
  const groups = new Map<string, { channel: string; campaign?: string; byModel: Map<ModelName, { counts: Map<string, Big>; revenue: Map<string, Big> }> }>();
  const groupOf = (channel: string, campaign?: string) => {
    const key = `${channel}\u0000${campaign ?? ''}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { channel, ...(campaign !== undefined ? { campaign } : {}), byModel: new Map() }));
    return group;
  };
  for (const row of rows) {
    if (!models.includes(row.model)) continue;
    const group = groupOf(row.channel, groupBy === 'campaign' ? row.campaign : undefined);
    let figures = group.byModel.get(row.model);
    if (!figures) group.byModel.set(row.model, (figures = { counts: new Map(), revenue: new Map() }));
    sumInto(figures.counts, { created: row.created, qualified: row.qualified, won: row.won, purchase: row.purchase });
    sumInto(figures.revenue, row.revenue);
  }
  for (const s of spend) groupOf(s.platform, groupBy === 'campaign' ? (s.campaignId ?? (s.campaignName ? normalizeLabel(s.campaignName) : '-')) : undefined);
  return [...groups.values()]
    .sort((a, b) => a.channel.localeCompare(b.channel) || (a.campaign ?? '').localeCompare(b.campaign ?? ''))
    .map((group) => {
      const spendSums = new Map<string, Big>();
      for (const s of spend) if (spendMatches(s, group.channel, group.campaign)) sumInto(spendSums, { [s.currency]: s.amount });
      const spendRecord = toRecord(spendSums);
      const figures: Partial<Record<ModelName, ModelFigures>> = {};
      for (const model of models) {
        const f = group.byModel.get(model);
        const count = (k: string) => decimalText((f?.counts.get(k) ?? new Big(0)).round(ROUND_PLACES, Big.roundHalfUp));
        const revenue = f ? toRecord(f.revenue) : {};
        figures[model] = {
          created: count('created'),
          qualified: count('qualified'),
          won: count('won'),
          purchase: count('purchase'),
          revenue,
          spend: spendRecord,
          ...romiOf(revenue, spendRecord),
        };
      }
      const of = (pick: (f: ModelFigures) => string | undefined) => models.map((m) => [m, decimal(pick(figures[m]!) ?? '0')] as [ModelName, Big]);
      const currencies = [...new Set(models.flatMap((m) => Object.keys(figures[m]!.revenue)))].sort();
      return {
        channel: group.channel,
        ...(group.campaign !== undefined ? { campaign: group.campaign } : {}),
        models: figures,
        spread: {
          created: spreadOf(of((f) => f.created)),
          qualified: spreadOf(of((f) => f.qualified)),
          won: spreadOf(of((f) => f.won)),
          purchase: spreadOf(of((f) => f.purchase)),
          revenue: Object.fromEntries(currencies.map((c) => [c, spreadOf(of((f) => f.revenue[c]))])),
        },
      };
    });
}
