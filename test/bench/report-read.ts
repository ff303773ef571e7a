import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { CampaignRef } from '../../shared/domain/campaign-ref.js';
import { buildChannelDay, type DayLead } from '../../shared/domain/channel-report.js';
import { daysBetween } from '../../shared/domain/days.js';
import { buildRepDay } from '../../shared/domain/rep-report.js';
import { buildReports } from '../../shared/reports/build-reports.js';
import { readChannelReport } from '../../shared/reports/read-reports.js';
import { saveChannelDay, saveRepDay } from '../../shared/store/channel-report-store.js';
import { recordFunnelSteps, type FunnelStep } from '../../shared/store/metrics-store.js';
import { putRates } from '../../shared/store/rates-store.js';
import { putAll, type Table } from '../../shared/store/table.js';
import { startTestTable } from '../support/local-services.js';
import { summarize, type Summary } from './stats.js';

/** Fixed past years, so the bench reads the same days whenever it runs: 10k leads in one, 1M in the other. */
const YEAR = daysBetween('2025-01-01', '2025-12-31');
const BIG_YEAR = daysBetween('2024-01-01', '2024-12-31');
const CAMPAIGNS: CampaignRef[] = [
  ...['101', '102', '103', '104'].map((id) => ({ platform: 'google_ads', campaignId: id, channel: 'google_ads' })),
  ...['201', '202', '203'].map((id) => ({ platform: 'meta', campaignId: id, channel: 'meta' })),
  ...['301', '302'].map((id) => ({ platform: 'yandex_direct', campaignId: id, channel: 'yandex_direct' })),
  { platform: 'vk_ads', campaignId: '401', channel: 'vk_ads' },
  { channel: 'newsletter' },
  { channel: 'direct' },
];
const SOURCES = ['site', 'landing', 'quiz'];
const CURRENCY: Record<string, string> = { google_ads: 'USD', meta: 'EUR', yandex_direct: 'RUB', vk_ads: 'RUB' };

/** What one year's read and one day's build cost at a number of leads stored. */
export interface ReportScale {
  leadsPerYear: number;
  leadsPerDay: number;
  /** What was written: every lead's marks, or the built aggregates plus one day of marks. */
  stored: string;
  /** Rows of the report read, and the leads its totals count: a check that the year holds what was stored. */
  reportRows: number;
  /** Items the read's queries returned: day rows, currency pairs and rates. */
  itemsRead: number;
  leadsCounted: number;
  readMs: Summary;
  readCalls: Record<string, number>;
  /** Building one day from its marks and spend: DynamoDB calls and wall time. */
  buildDay: { leads: number; ms: number; calls: Record<string, number> };
}

export interface ReportReadResult {
  scales: ReportScale[];
  /** The 1M year's median read over the 10k year's: the goal is ≤ 1.5. */
  ratio: number;
}

/** Counts the document client's commands by name, from now on. */
function countCalls(table: Table): () => Record<string, number> {
  const counts: Record<string, number> = {};
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts[name] = (counts[name] ?? 0) + 1;
      const result = await next(args);
      const count = (result.output as { Count?: number }).Count;
      if (typeof count === 'number') counts.items = (counts.items ?? 0) + count;
      return result;
    },
    { step: 'initialize', name: `benchCallCounter${Math.random()}` },
  );
  return () => ({ ...counts });
}

const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));

/** A lead of a day, its campaign and fate drawn from its number (deterministic, so runs compare). */
function syntheticLead(day: string, n: number): DayLead {
  const hash = (n * 2654435761) % 2 ** 32;
  const contacted = hash % 10 < 7;
  const won = contacted && hash % 100 < 12;
  return {
    leadId: `${day}-${String(n).padStart(6, '0')}`,
    sourceId: SOURCES[hash % SOURCES.length]!,
    campaign: CAMPAIGNS[Math.floor(hash / 8) % CAMPAIGNS.length]!,
    qualified: hash % 20 !== 0,
    contacted,
    won,
    lost: contacted && !won && hash % 3 === 0,
    ...(contacted ? { captureToContactMs: (hash % 7200) * 1000 } : {}),
    ...(won ? { revenue: { amount: String(100 + (hash % 5000)), currency: 'EUR' } } : {}),
  };
}

function leadSteps(day: string, lead: DayLead): FunnelStep[] {
  const ref = { leadId: lead.leadId, sourceId: lead.sourceId, channel: 'web_form' as const, capturedAt: `${day}T12:00:00.000Z`, isTest: false };
  const repId = ['ana', 'ben', 'cy'][lead.leadId.length % 3]!;
  const steps: FunnelStep[] = [{ lead: ref, stage: 'leads', campaign: lead.campaign }];
  if (lead.qualified) steps.push({ lead: ref, stage: 'qualified' }, { lead: ref, stage: 'rep_assigned', part: repId, repId });
  if (lead.contacted) steps.push({ lead: ref, stage: 'contacted', repId, latencyMs: lead.captureToContactMs });
  if (lead.won) steps.push({ lead: ref, stage: 'won', repId, revenue: { amount: Number(lead.revenue!.amount), currency: 'EUR' } });
  if (lead.lost) steps.push({ lead: ref, stage: 'lost', repId });
  return steps;
}

/** A day's spend of every paid campaign, in the shared spend item shape. */
function spendItems(day: string) {
  return CAMPAIGNS.filter((c) => c.platform).map((c) => ({
    PK: `SPEND#${day.slice(0, 7)}`,
    SK: `${day}#${c.platform}#-#${c.campaignId}#-#-`,
    entity: 'spend', day, platform: c.platform!, campaignId: c.campaignId, amount: '123.45', currency: CURRENCY[c.platform!]!, clicks: 50, impressions: 2000,
    updatedAt: '2026-01-01T00:00:00.000Z', corrections: [],
  }));
}

function leadsOfDay(day: string, index: number, perYear: number, days = YEAR.length): DayLead[] {
  // Spread the year's leads evenly, the remainder over the first days.
  const n = Math.floor(perYear / days) + (index < perYear % days ? 1 : 0);
  return Array.from({ length: n }, (_, i) => syntheticLead(day, i));
}

type ReadFigures = Pick<ReportScale, 'readMs' | 'readCalls' | 'reportRows' | 'leadsCounted' | 'itemsRead'>;

/**
 * Reads each year's report `runs` times, the years taking turns, so both see the same machine: others'
 * processes share these cores, and a quiet minute for one year and a busy one for the other would be
 * measured as a difference between them.
 */
async function timeReads(table: Table, calls: () => Record<string, number>, years: string[][], runs: number): Promise<ReadFigures[]> {
  const read = (days: string[]) => readChannelReport(table, { days, groupBy: 'channel', period: 'month', currency: 'EUR' });
  for (const days of years) await read(days); // warm-up
  const samples = years.map(() => [] as number[]);
  const figures = years.map(() => ({ readCalls: {} as Record<string, number>, reportRows: 0, leadsCounted: 0, itemsRead: 0 }));
  for (let run = 0; run < runs; run++) {
    for (const [y, days] of years.entries()) {
      const before = calls();
      const started = performance.now();
      const report = await read(days);
      samples[y]!.push(performance.now() - started);
      const counted = diff(calls(), before);
      const { items = 0, ...readCalls } = counted;
      figures[y] = { readCalls, reportRows: report.rows.length, leadsCounted: report.totals.leads, itemsRead: items };
    }
  }
  return figures.map((f, y) => ({ ...f, readMs: summarize(samples[y]!) }));
}

async function timeBuild(table: Table, calls: () => Record<string, number>, day: string, leads: number): Promise<ReportScale['buildDay']> {
  const before = calls();
  const started = performance.now();
  await buildReports(table, [day], new Date());
  return { leads, ms: performance.now() - started, calls: diff(calls(), before) };
}

/**
 * Reads a year's channel report (by channel and month, in EUR) of a year with 10,000 leads (2025) and
 * of a year with 1,000,000 (2024), stored side by side and read in turns. The 10k year writes every
 * lead's funnel marks and builds each day from them, as the platform does. Writing 3 million marks
 * would take DynamoDB Local hours here, so the 1M year writes the day rows the builder makes from 1M
 * leads (built by the same pure function from the same kind of synthetic leads) and one real day of
 * marks (2,740 leads), whose build it times.
 */
export async function measureReportRead(options: { runs?: number; log?: (line: string) => void; bigLeads?: number } = {}): Promise<ReportReadResult> {
  const log = options.log ?? (() => {});
  const runs = options.runs ?? 9;
  const { table, stop } = await startTestTable();
  const calls = countCalls(table);
  try {
    await putRates(table, YEAR.flatMap((day) => [
      { base: 'EUR', currency: 'USD', day, units: '1.08', price: '1' },
      { base: 'EUR', currency: 'RUB', day, units: '98.5', price: '1' },
    ]), 'bench', new Date());
    for (let i = 0; i < YEAR.length; i += 30) {
      await Promise.all(YEAR.slice(i, i + 30).map((day) => putAll(table, spendItems(day))));
    }
    const small = 10_000;
    log(`reports: writing the funnel marks of ${small} leads over ${YEAR.length} days`);
    for (let i = 0; i < YEAR.length; i += 8) {
      await Promise.all(YEAR.slice(i, i + 8).map((day, j) => recordFunnelSteps(table, leadsOfDay(day, i + j, small).flatMap((l) => leadSteps(day, l)))));
    }
    log('reports: building every day of the year from its marks');
    const buildStarted = performance.now();
    const beforeBuild = calls();
    for (let i = 0; i < YEAR.length; i += 8) await Promise.all(YEAR.slice(i, i + 8).map((day) => buildReports(table, [day], new Date())));
    log(`   ${Math.round(performance.now() - buildStarted)} ms for the year, ${JSON.stringify(diff(calls(), beforeBuild))}`);
    const smallDay = YEAR[100]!;
    const smallBuild = await timeBuild(table, calls, smallDay, leadsOfDay(smallDay, 100, small).length);
    log(`   one day's build of ${smallBuild.leads} leads: ${smallBuild.ms.toFixed(0)} ms`);

    const big = options.bigLeads ?? 1_000_000;
    log(`reports: writing the day rows of ${big} leads in ${BIG_YEAR[0]!.slice(0, 4)}, and one day of marks`);
    await putRates(table, BIG_YEAR.flatMap((day) => [
      { base: 'EUR', currency: 'USD', day, units: '1.08', price: '1' },
      { base: 'EUR', currency: 'RUB', day, units: '98.5', price: '1' },
    ]), 'bench', new Date());
    for (let i = 0; i < BIG_YEAR.length; i += 8) {
      await Promise.all(
        BIG_YEAR.slice(i, i + 8).map(async (day, j) => {
          const leads = leadsOfDay(day, i + j, big, BIG_YEAR.length);
          const spend = spendItems(day);
          await putAll(table, spend);
          const records = spend.map(({ PK: _pk, SK: _sk, entity: _e, updatedAt: _u, corrections: _c, ...rest }) => rest);
          await saveChannelDay(table, day, buildChannelDay(day, leads, records), new Date().toISOString());
          await saveRepDay(table, day, buildRepDay(day, [], []), new Date().toISOString());
        }),
      );
    }
    const bigDay = BIG_YEAR[200]!;
    const bigDayLeads = leadsOfDay(bigDay, 200, big, BIG_YEAR.length);
    await recordFunnelSteps(table, bigDayLeads.flatMap((l) => leadSteps(bigDay, l)));
    const bigBuild = await timeBuild(table, calls, bigDay, bigDayLeads.length);
    log(`   one day's build of ${bigBuild.leads} leads: ${bigBuild.ms.toFixed(0)} ms`);

    log(`reports: reading each year ${runs} times, taking turns`);
    const [smallRead, bigRead] = await timeReads(table, calls, [YEAR, BIG_YEAR], runs);
    const scales: ReportScale[] = [
      { leadsPerYear: small, leadsPerDay: Math.round(small / YEAR.length), stored: 'every lead\'s funnel marks, built into day rows by the builder', ...smallRead!, buildDay: smallBuild },
      { leadsPerYear: big, leadsPerDay: Math.round(big / BIG_YEAR.length), stored: `the day rows ${big} leads make (written directly) plus one real day of ${bigDayLeads.length} leads' marks`, ...bigRead!, buildDay: bigBuild },
    ];
    for (const x of scales) log(`   ${x.leadsPerYear}: read p50 ${x.readMs.p50.toFixed(0)} ms, ${x.itemsRead} items`);
    return { scales, ratio: scales[1]!.readMs.p50 / scales[0]!.readMs.p50 };
  } finally {
    await stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await measureReportRead({ log: console.log });
  console.log(JSON.stringify(result, null, 2));
}
