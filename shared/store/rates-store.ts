import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { daysBefore } from '../domain/days.js';
import { MAX_RATE_AGE_DAYS, type RatePoint } from '../domain/exchange-rates.js';
import { keys } from './keys.js';
import { putAll, queryAll, type Table } from './table.js';

/**
 * Stores rates, a later import of a day replacing the earlier one, and lists each currency pair so a
 * report can find which pairs to read.
 */
export async function putRates(table: Table, points: RatePoint[], source: string, now: Date): Promise<void> {
  const rates = new Map<string, Record<string, unknown>>();
  const pairs = new Map<string, Record<string, unknown>>();
  for (const p of points) {
    const key = keys.exchangeRate(p.base, p.currency, p.day);
    rates.set(`${key.PK}\u0000${key.SK}`, { ...key, entity: 'exchange-rate', ...p, source, updatedAt: now.toISOString() });
    const pair = keys.exchangeRatePair(p.base, p.currency);
    pairs.set(pair.SK, { ...pair, entity: 'exchange-rate-pair', base: p.base, currency: p.currency });
  }
  // A year of the ECB's history is ~12,000 items: written by 8 writers at once, each its own batches.
  const items = [...rates.values()];
  const lanes = Array.from({ length: 8 }, (_, lane) => items.filter((_, i) => Math.floor(i / 25) % 8 === lane));
  await Promise.all(lanes.map((lane) => putAll(table, lane)));
  await putAll(table, [...pairs.values()]);
}

/**
 * The rates a report over `fromDay`..`toDay` may use for the given currencies: every pair with one of
 * them as base or quote (enough to cross through any base), from `MAX_RATE_AGE_DAYS` before the first
 * day. One query for the pairs, one per pair read.
 */
export async function readRates(table: Table, currencies: Iterable<string>, fromDay: string, toDay: string): Promise<RatePoint[]> {
  const wanted = new Set(currencies);
  const pairs = await queryAll(table, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.exchangeRatePairsPartition() },
  });
  const read = pairs.filter((p) => wanted.has(p.base) || wanted.has(p.currency));
  const pages = await Promise.all(
    read.map((p) =>
      queryAll(table, {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.exchangeRatePartition(p.base, p.currency), ':from': daysBefore(fromDay, MAX_RATE_AGE_DAYS), ':to': toDay },
      }),
    ),
  );
  return pages.flat().map((i) => ({ base: i.base, currency: i.currency, day: i.day, units: i.units, price: i.price }));
}

export interface ReportSettings {
  currency: string;
  updatedAt?: string;
  updatedBy?: string;
}

/** The report currency the admin chose; EUR until one is chosen. */
export async function getReportSettings(table: Table): Promise<ReportSettings> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: keys.reportSettings(), ConsistentRead: true }));
  return out.Item ? { currency: out.Item.currency, updatedAt: out.Item.updatedAt, updatedBy: out.Item.updatedBy } : { currency: 'EUR' };
}

export async function putReportSettings(table: Table, settings: Required<ReportSettings>): Promise<void> {
  await table.client.send(new PutCommand({ TableName: table.name, Item: { ...keys.reportSettings(), entity: 'report-settings', ...settings } }));
}
