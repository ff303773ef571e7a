import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { converterOf, parseCbrXml, parseEcbCsv, parseRatesJson } from '../../shared/domain/exchange-rates.js';
import { wilsonInterval } from '../../shared/domain/funnel-stats.js';

const ECB_HISTORY = `Date,USD,JPY,BGN,CYP,RUB,\n2026-11-30,1.2500,180.10,N/A,N/A,N/A,\n2026-11-27,1.2400,179.00,1.9558,N/A,N/A,\n2007-12-31,1.4721,164.93,1.9558,0.585274,35.9860,\n`;
const ECB_DAILY = `Date, USD, JPY, \n01 December 2026, 1.2600, 181.00, \n`;
const CBR_DAILY = `<?xml version="1.0" encoding="windows-1251"?><ValCurs Date="01.12.2026" name="Foreign Currency Market">
<Valute ID="R01239"><NumCode>978</NumCode><CharCode>EUR</CharCode><Nominal>1</Nominal><Name>Euro</Name><Value>100,0000</Value><VunitRate>100</VunitRate></Valute>
<Valute ID="R01820"><NumCode>392</NumCode><CharCode>JPY</CharCode><Nominal>100</Nominal><Name>Yen</Name><Value>55,1000</Value></Valute>
<Valute ID="R0XXXX"><CharCode>ZZZ</CharCode><Nominal>1</Nominal><Value>1,0</Value></Valute>
</ValCurs>`;

describe('exchange rate files', () => {
  it('reads the ECB history CSV, skipping N/A cells and the trailing empty column', () => {
    const { points, rejected } = parseEcbCsv(ECB_HISTORY);
    // The Cyprus pound's column ends in 2007; its rates are not an error of the file, but are said to be skipped.
    expect(rejected).toEqual([{ field: 'column CYP', problem: '"CYP" is not a current ISO 4217 currency; its 1 rates were skipped' }]);
    expect(points.filter((p) => p.day > '2008').map((p) => `${p.day} ${p.currency} ${p.units}`)).toEqual([
      '2026-11-30 USD 1.2500', '2026-11-30 JPY 180.10', '2026-11-27 USD 1.2400', '2026-11-27 JPY 179.00', '2026-11-27 BGN 1.9558',
    ]);
    expect(points[0]).toEqual({ base: 'EUR', currency: 'USD', day: '2026-11-30', units: '1.2500', price: '1' });
  });

  it('reads the ECB daily CSV with its spelled-out date and spaces after commas', () => {
    expect(parseEcbCsv(ECB_DAILY).points.map((p) => `${p.day} ${p.currency} ${p.units}`)).toEqual(['2026-12-01 USD 1.2600', '2026-12-01 JPY 181.00']);
  });

  it('names each line it cannot read and keeps the others', () => {
    const { points, rejected } = parseEcbCsv('Date,USD\n2026-11-31,1.1\nyesterday,1.2\n2026-11-30,1,25\n2026-11-29,1.3\n');
    expect(points.map((p) => p.day)).toEqual(['2026-11-30', '2026-11-29']);
    expect(rejected.map((r) => r.field)).toEqual(['line 2', 'line 3']);
    expect(parseEcbCsv('USD,JPY\n').rejected[0]!.problem).toMatch(/header "Date/);
  });

  it('reads the Bank of Russia daily XML: rates per Nominal units in roubles with a decimal comma', () => {
    const { points, rejected } = parseCbrXml(CBR_DAILY);
    expect(points).toEqual([
      { base: 'RUB', currency: 'EUR', day: '2026-12-01', units: '1', price: '100.0000' },
      { base: 'RUB', currency: 'JPY', day: '2026-12-01', units: '100', price: '55.1000' },
    ]);
    expect(rejected).toEqual([{ field: 'Valute 3 (ZZZ)', problem: 'CharCode "ZZZ" is not an ISO 4217 currency' }]);
    expect(parseCbrXml('<ValCurs></ValCurs>').rejected[0]!.field).toBe('ValCurs.Date');
  });

  it('reads rates sent as JSON, naming each bad entry by its place', () => {
    const parsed = parseRatesJson({ base: 'EUR', rates: [{ day: '2026-12-01', currency: 'USD', rate: '1.25' }, { day: '2026-12-01', currency: 'GBP', rate: 0.86 }, { day: '2026-12-01', currency: 'USD', rate: '-1' }, { day: 'x', currency: 'USD', rate: '1' }] });
    expect(parsed.points.map((p) => `${p.currency} ${p.units}`)).toEqual(['USD 1.25', 'GBP 0.86']);
    expect(parsed.rejected.map((r) => r.field)).toEqual(['rates.2.rate', 'rates.3.day']);
    expect(parseRatesJson({ base: 'XX', rates: [], extra: 1 }).problems.map((p) => p.field)).toEqual(['extra', 'base', 'rates']);
  });
});

describe('conversion', () => {
  const rates = [...parseEcbCsv(ECB_HISTORY).points, ...parseCbrXml(CBR_DAILY).points];
  const convert = converterOf(rates);
  const text = (from: string, to: string, day: string, amount = '100') => {
    const c = convert(new Big(amount), from, to, day);
    return c && { amount: c.amount.round(6).toString(), rateDay: c.rateDay, via: c.via };
  };

  it('uses the latest rate on or before the day, and says which day it was', () => {
    expect(text('USD', 'EUR', '2026-11-28')).toEqual({ amount: '80.645161', rateDay: '2026-11-27', via: undefined });
    expect(text('EUR', 'USD', '2026-11-30')).toEqual({ amount: '125', rateDay: '2026-11-30', via: undefined });
  });

  it('never uses a rate from after the day, nor one older than a week', () => {
    expect(text('USD', 'EUR', '2026-11-26')).toBeUndefined();
    expect(text('USD', 'EUR', '2026-12-08')).toBeUndefined();
    expect(text('USD', 'EUR', '2026-12-07')).toMatchObject({ rateDay: '2026-11-30' });
  });

  it('crosses through other currencies: USD to RUB through the ECB\'s euro and the Bank of Russia\'s euro rate', () => {
    // 100 USD = 80 EUR (ECB 1.25 on 30 Nov) = 8000 RUB (100 RUB per EUR on 1 Dec); the older rate's day is given.
    expect(text('USD', 'RUB', '2026-12-01')).toEqual({ amount: '8000', rateDay: '2026-11-30', via: 'EUR' });
    // 1000 JPY = 551 RUB by the Bank of Russia's own JPY rate (per 100 yen), no crossing.
    expect(text('JPY', 'RUB', '2026-12-01', '1000')).toEqual({ amount: '551', rateDay: '2026-12-01', via: undefined });
    expect(text('BGN', 'GBP', '2026-12-01')).toBeUndefined();
  });
});

describe('the Wilson interval', () => {
  it('matches hand-computed bounds and flags small or wide samples', () => {
    // 1 of 2: p = 0.5, centre 0.5, half-width 0.4055 → 0.0945–0.9055.
    expect(wilsonInterval(1, 2)).toEqual({ rate: 0.5, low: 0.0945, high: 0.9055, tooFewToJudge: true });
    // 50 of 500: centre 0.10305, half-width 0.02637 → 7.67%–12.94%: narrow enough to judge.
    expect(wilsonInterval(50, 500)).toEqual({ rate: 0.1, low: 0.0767, high: 0.1294, tooFewToJudge: false });
    // 30 leads clear the count, but 15 of 30 is 33%–67%: still too wide.
    expect(wilsonInterval(15, 30).tooFewToJudge).toBe(true);
    expect(wilsonInterval(0, 0)).toEqual({ rate: null, low: null, high: null, tooFewToJudge: true });
  });
});
