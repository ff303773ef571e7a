import { campaignsOf, spendCampaignKeys, type CampaignKey, type SpendCampaign } from '../domain/campaign-match.js';
import { ValidationError } from '../domain/errors.js';
import { readSpendRows, type ParsedSpend, type SkippedRow, type SpendRecord } from '../domain/spend.js';
import { parseSpendFile } from '../domain/spend-formats/parse-spend-file.js';
import type { SpendFormat, SpendImportOptions } from '../domain/spend-formats/spend-file.js';
import { campaignKeysSeen } from '../store/campaign-store.js';
import { saveSpend, type SpendSaveResult } from '../store/spend-store.js';
import type { Table } from '../store/table.js';

/** Where spend is saved: inserts new keys, replaces revised figures keeping corrections. */
export interface SpendStorePort {
  save(records: SpendRecord[], now: Date): Promise<SpendSaveResult>;
}

/** Which campaign keys some lead carried (`kind#value`). */
export interface CampaignIndexPort {
  seen(keys: CampaignKey[]): Promise<Set<string>>;
}

export interface ImportSpendDeps {
  spend: SpendStorePort;
  campaigns: CampaignIndexPort;
  now: () => Date;
}

/** The answer to an import: what was read and what became of it. */
export interface SpendImportResult {
  format?: SpendFormat;
  read: number;
  inserted: number;
  replaced: number;
  unchanged: number;
  skipped: number;
  /** Each skipped row with its reason (the first `MAX_LISTED`). */
  skippedRows: SkippedRow[];
  /** Campaigns of the import that no lead has come from (by id, or by normalized name). */
  unmatchedCampaigns: SpendCampaign[];
  /** How many more were left out of the lists above to keep the answer small. */
  more?: { skippedRows?: number; unmatchedCampaigns?: number };
}

/** Lists in an answer stop here; the counts stay exact. */
export const MAX_LISTED = 500;

/** The spend port and campaign index on the DynamoDB table. */
export function tableSpendDeps(table: Table, now: () => Date = () => new Date()): ImportSpendDeps {
  return {
    spend: { save: (records, at) => saveSpend(table, records, at) },
    campaigns: { seen: (keys) => campaignKeysSeen(table, keys) },
    now,
  };
}

async function unmatched(deps: ImportSpendDeps, records: SpendRecord[]): Promise<SpendCampaign[]> {
  const campaigns = campaignsOf(records);
  const seen = await deps.campaigns.seen(campaigns.flatMap(spendCampaignKeys));
  return campaigns
    .filter((c) => !spendCampaignKeys(c).some((k) => seen.has(`${k.kind}#${k.value}`)))
    .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as SpendCampaign);
}

/** Saves parsed spend and answers what happened to every row. */
export async function saveParsedSpend(deps: ImportSpendDeps, parsed: ParsedSpend & { format?: SpendFormat }): Promise<SpendImportResult> {
  const saved = await deps.spend.save(parsed.records, deps.now());
  const campaigns = await unmatched(deps, parsed.records);
  const result: SpendImportResult = {
    ...(parsed.format ? { format: parsed.format } : {}),
    read: parsed.read,
    ...saved,
    skipped: parsed.skipped.length,
    skippedRows: parsed.skipped.slice(0, MAX_LISTED),
    unmatchedCampaigns: campaigns.slice(0, MAX_LISTED),
  };
  const more = { skippedRows: parsed.skipped.length - MAX_LISTED, unmatchedCampaigns: campaigns.length - MAX_LISTED };
  if (more.skippedRows > 0 || more.unmatchedCampaigns > 0) {
    result.more = Object.fromEntries(Object.entries(more).filter(([, n]) => n > 0));
  }
  return result;
}

/**
 * `POST /v1/spend`: stores the valid rows of a JSON body and lists the invalid ones with their problems.
 * A body with no valid row at all is a 400 naming each problem by row.
 */
export async function recordSpendRows(deps: ImportSpendDeps, body: unknown): Promise<SpendImportResult> {
  const parsed = readSpendRows(body);
  if (!parsed.records.length && parsed.problems.length) throw new ValidationError('no spend row is valid', parsed.problems.slice(0, MAX_LISTED));
  if (!parsed.read) throw new ValidationError('the body has no spend rows', [{ field: 'rows', problem: 'send at least one row' }]);
  return saveParsedSpend(deps, parsed);
}

/** `POST /v1/spend/import`: reads an export in any known format and stores its rows. */
export async function importSpendFile(
  deps: ImportSpendDeps,
  bytes: Uint8Array,
  options: SpendImportOptions & { format?: string },
): Promise<SpendImportResult> {
  return saveParsedSpend(deps, parseSpendFile(bytes, options));
}
