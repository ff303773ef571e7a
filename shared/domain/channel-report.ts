import Big from 'big.js';
import { normalizeCampaignName, type CampaignRef } from './campaign-ref.js';
import { decimal, decimalText } from './money.js';
import { RESPONSE_BANDS, responseBandOf, type ResponseBand } from './funnel-stats.js';
import type { SpendRecord } from './spend.js';

/** One lead of a capture day as its funnel marks tell it. */
export interface DayLead {
  leadId: string;
  sourceId: string;
  campaign: CampaignRef;
  qualified: boolean;
  contacted: boolean;
  won: boolean;
  lost: boolean;
  captureToContactMs?: number;
  revenue?: { amount: string; currency: string };
}

/** The funnel steps a report follows, each counted among the leads that reached the one before. */
export const FUNNEL_STEPS = ['qualified', 'contacted', 'won'] as const;
export type ReportStep = (typeof FUNNEL_STEPS)[number];

/** Lead ids kept per row and step for "who dropped here"; the count is always exact. */
export const DROPPED_IDS_PER_DAY_ROW = 25;

/**
 * One built row: a day, a campaign (or no campaign) and a source. A campaign's spend of the day is
 * shared equally among its leads of the day (to the currency's smallest unit, remainders to the first
 * leads, so the shares add up to the spend exactly), which lets the same rows sum by channel, source or
 * campaign. Spend of a campaign with no lead that day is a row with `sourceId` null.
 */
export interface ChannelDayRow {
  day: string;
  campaignKey: string;
  channel: string;
  platform?: string;
  campaignId?: string;
  campaignName?: string;
  sourceId: string | null;
  leads: number;
  qualified: number;
  contacted: number;
  won: number;
  lost: number;
  revenue: Record<string, string>;
  spend: Record<string, string>;
  /** The share of spend that went to leads nobody ever contacted. */
  uncontactedSpend: Record<string, string>;
  clicks: number;
  impressions: number;
  /** Whether the campaign had spend that day (false: leads without spend). */
  hasSpend: boolean;
  bands: Record<ResponseBand, { leads: number; won: number }>;
  /** Leads that reached the step before and not this one: first ids, and how many. */
  dropped: Record<ReportStep, { count: number; leadIds: string[] }>;
}

/** The campaign key of a spend row or lead: by id, else by normalized name, else none (per channel). */
function keyOf(platform: string | undefined, campaignId: string | undefined, campaignName: string | undefined, channel: string): string {
  if (campaignId) return `id:${platform ?? '?'}:${campaignId}`;
  if (campaignName) return `name:${platform ?? '?'}:${normalizeCampaignName(campaignName)}`;
  return `none:${channel}`;
}

interface CampaignInfo {
  channel: string;
  platform?: string;
  campaignId?: string;
  campaignName?: string;
}

/**
 * Where keys that only half-name a campaign go: an id without a platform to the one campaign with that
 * id, a name to the campaign whose id row carries that name on the same platform (or the only one of
 * that name when the platform is unknown). Keys that match nothing stay as they are.
 */
export function campaignAliases(known: Iterable<[string, CampaignInfo]>): (key: string) => string {
  const byId = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  for (const [key, info] of known) {
    if (!key.startsWith('id:') || info.platform === undefined || !info.campaignId) continue;
    byId.set(info.campaignId, [...new Set([...(byId.get(info.campaignId) ?? []), key])]);
    if (info.campaignName) {
      const name = normalizeCampaignName(info.campaignName);
      for (const k of [`${info.platform}:${name}`, `?:${name}`]) byName.set(k, [...new Set([...(byName.get(k) ?? []), key])]);
    }
  }
  return (key) => {
    const [kind, platform, ...rest] = key.split(':');
    const value = rest.join(':');
    const found = kind === 'id' && platform === '?' ? byId.get(value) : kind === 'name' ? byName.get(`${platform}:${value}`) : undefined;
    return found?.length === 1 ? found[0]! : key;
  };
}

/** Decimal places of an exact decimal. */
function places(value: Big): number {
  return decimalText(value).split('.')[1]?.length ?? 0;
}

let minorUnits: Map<string, number> | undefined;
/** The currency's smallest unit as decimal places (2 for EUR, 0 for JPY), from Intl. */
export function currencyPlaces(currency: string): number {
  minorUnits ??= new Map();
  let n = minorUnits.get(currency);
  if (n === undefined) {
    n = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorUnits.set(currency, n);
  }
  return n;
}

/**
 * Splits `total` into `n` equal shares at `scale` decimal places, the remainder one smallest unit at a
 * time to the first shares, so the shares add up to `total` exactly.
 */
export function allocateEqually(total: Big, n: number, scale: number): Big[] {
  if (n <= 0) return [];
  const unit = new Big(10).pow(-scale);
  const negative = total.lt(0);
  const units = total.abs().div(unit).round(0, Big.roundDown);
  const each = units.div(n).round(0, Big.roundDown);
  const extra = units.minus(each.times(n)).toNumber();
  // The total may have more places than `scale`: what is below the smallest unit goes to the first share.
  const rest = total.abs().minus(units.times(unit));
  return Array.from({ length: n }, (_, i) => {
    const share = each.plus(i < extra ? 1 : 0).times(unit).plus(i === 0 ? rest : 0);
    return negative ? share.times(-1) : share;
  });
}

function add(sums: Record<string, Big>, currency: string, amount: Big): void {
  sums[currency] = (sums[currency] ?? new Big(0)).plus(amount);
}

function texts(sums: Record<string, Big>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const currency of Object.keys(sums).sort()) out[currency] = decimalText(sums[currency]!);
  return out;
}

const emptyBands = () => Object.fromEntries(RESPONSE_BANDS.map((b) => [b, { leads: 0, won: 0 }])) as ChannelDayRow['bands'];
const emptyDropped = () => Object.fromEntries(FUNNEL_STEPS.map((s) => [s, { count: 0, leadIds: [] as string[] }])) as ChannelDayRow['dropped'];

interface SpendCell {
  info: CampaignInfo;
  amounts: Record<string, Big>;
  clicks: number;
  impressions: number;
}

/** Which step a lead stopped before, if it stopped: the first step of the funnel it did not reach. */
function droppedAt(lead: DayLead): ReportStep | undefined {
  if (!lead.qualified && !lead.contacted && !lead.won) return 'qualified';
  if (!lead.contacted && !lead.won) return 'contacted';
  if (!lead.won) return 'won';
  return undefined;
}

/**
 * Builds a capture day's rows from its leads and that day's spend: leads and spend meet on the
 * campaign key (platform and campaign id; a lead or spend row with only a name meets the campaign of
 * that normalized name), and each campaign's spend is shared among its leads of the day.
 */
export function buildChannelDay(day: string, leads: DayLead[], spend: SpendRecord[]): ChannelDayRow[] {
  const cells = new Map<string, SpendCell>();
  for (const s of spend) {
    if (s.day !== day) continue;
    const key = keyOf(s.platform, s.campaignId, s.campaignName, s.platform);
    let cell = cells.get(key);
    if (!cell) {
      cell = { info: { channel: s.platform, platform: s.platform }, amounts: {}, clicks: 0, impressions: 0 };
      cells.set(key, cell);
    }
    if (s.campaignId) cell.info.campaignId = s.campaignId;
    if (s.campaignName && !cell.info.campaignName) cell.info.campaignName = s.campaignName;
    add(cell.amounts, s.currency, decimal(s.amount));
    cell.clicks += s.clicks ?? 0;
    cell.impressions += s.impressions ?? 0;
  }
  const alias = campaignAliases([...cells].map(([key, cell]) => [key, cell.info] as [string, CampaignInfo]));
  // Name-only spend rows of a campaign whose id rows carry that name are the same campaign.
  for (const [key, cell] of [...cells]) {
    const target = alias(key);
    if (target === key || !cells.has(target)) continue;
    const into = cells.get(target)!;
    for (const [currency, amount] of Object.entries(cell.amounts)) add(into.amounts, currency, amount);
    into.clicks += cell.clicks;
    into.impressions += cell.impressions;
    cells.delete(key);
  }

  const byCampaign = new Map<string, { info: CampaignInfo; leads: DayLead[] }>();
  for (const lead of leads) {
    const c = lead.campaign;
    const key = alias(keyOf(c.platform, c.campaignId, c.campaignName, c.channel));
    const group = byCampaign.get(key) ?? { info: cells.get(key)?.info ?? { channel: c.channel, platform: c.platform, campaignId: c.campaignId, campaignName: c.campaignName }, leads: [] };
    group.leads.push(lead);
    byCampaign.set(key, group);
  }

  const rows: ChannelDayRow[] = [];
  const rowFor = (key: string, info: CampaignInfo, sourceId: string | null, hasSpend: boolean): ChannelDayRow => ({
    day,
    campaignKey: key,
    channel: info.channel,
    ...(info.platform ? { platform: info.platform } : {}),
    ...(info.campaignId ? { campaignId: info.campaignId } : {}),
    ...(info.campaignName ? { campaignName: info.campaignName } : {}),
    sourceId,
    leads: 0, qualified: 0, contacted: 0, won: 0, lost: 0,
    revenue: {}, spend: {}, uncontactedSpend: {},
    clicks: 0, impressions: 0,
    hasSpend,
    bands: emptyBands(),
    dropped: emptyDropped(),
  });

  for (const [key, { info, leads: group }] of byCampaign) {
    const cell = cells.get(key);
    const ordered = [...group].sort((a, b) => a.leadId.localeCompare(b.leadId));
    const shares = new Map<string, Array<[string, Big]>>();
    for (const [currency, amount] of Object.entries(cell?.amounts ?? {})) {
      const split = allocateEqually(amount, ordered.length, Math.max(places(amount), currencyPlaces(currency)));
      ordered.forEach((lead, i) => shares.set(lead.leadId, [...(shares.get(lead.leadId) ?? []), [currency, split[i]!]]));
    }
    const clicks = allocateEqually(new Big(cell?.clicks ?? 0), ordered.length, 0);
    const impressions = allocateEqually(new Big(cell?.impressions ?? 0), ordered.length, 0);
    const bySource = new Map<string, { row: ChannelDayRow; spend: Record<string, Big>; uncontacted: Record<string, Big>; revenue: Record<string, Big> }>();
    ordered.forEach((lead, i) => {
      let acc = bySource.get(lead.sourceId);
      if (!acc) {
        acc = { row: rowFor(key, info, lead.sourceId, Boolean(cell)), spend: {}, uncontacted: {}, revenue: {} };
        bySource.set(lead.sourceId, acc);
      }
      const row = acc.row;
      row.leads++;
      if (lead.qualified) row.qualified++;
      if (lead.contacted) row.contacted++;
      if (lead.won) row.won++;
      if (lead.lost) row.lost++;
      if (lead.won && lead.revenue) add(acc.revenue, lead.revenue.currency, decimal(lead.revenue.amount));
      for (const [currency, share] of shares.get(lead.leadId) ?? []) {
        add(acc.spend, currency, share);
        if (!lead.contacted) add(acc.uncontacted, currency, share);
      }
      row.clicks += clicks[i]!.toNumber();
      row.impressions += impressions[i]!.toNumber();
      // A contact recorded without its time (none should be) is left out of the bands, not guessed.
      if (!lead.contacted || lead.captureToContactMs !== undefined) {
        const band = row.bands[responseBandOf(lead.contacted ? lead.captureToContactMs : undefined)];
        band.leads++;
        if (lead.won) band.won++;
      }
      const step = droppedAt(lead);
      if (step) {
        const dropped = row.dropped[step];
        dropped.count++;
        if (dropped.leadIds.length < DROPPED_IDS_PER_DAY_ROW) dropped.leadIds.push(lead.leadId);
      }
    });
    for (const { row, spend: s, uncontacted, revenue } of bySource.values()) {
      rows.push({ ...row, spend: texts(s), uncontactedSpend: texts(uncontacted), revenue: texts(revenue) });
    }
  }
  for (const [key, cell] of cells) {
    if (byCampaign.has(key)) continue;
    rows.push({ ...rowFor(key, cell.info, null, true), spend: texts(cell.amounts), clicks: cell.clicks, impressions: cell.impressions });
  }
  return rows.sort((a, b) => a.campaignKey.localeCompare(b.campaignKey) || (a.sourceId ?? '').localeCompare(b.sourceId ?? ''));
}
