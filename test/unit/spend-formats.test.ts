import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLocalizedNumber, parseReportDay } from '../../shared/domain/spend-formats/numbers.js';
import { parseSpendFile } from '../../shared/domain/spend-formats/parse-spend-file.js';
import { ValidationError } from '../../shared/domain/errors.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/spend', name));

describe('localized numbers and days', () => {
  it('reads thousands separators of English, German, Russian and Swiss exports exactly', () => {
    expect(parseLocalizedNumber('1,234.56', '.')!.toFixed()).toBe('1234.56');
    expect(parseLocalizedNumber('1.234,56', ',')!.toFixed()).toBe('1234.56');
    expect(parseLocalizedNumber('12\u00a0345,67', ',')!.toFixed()).toBe('12345.67');
    expect(parseLocalizedNumber("1'234.5", '.')!.toFixed()).toBe('1234.5');
    expect(parseLocalizedNumber('1,234,567', '.')!.toFixed()).toBe('1234567');
    expect(parseLocalizedNumber('$12.30', '.')!.toFixed()).toBe('12.3');
  });

  it('lets the file’s language decide a lone separator before three digits', () => {
    expect(parseLocalizedNumber('1,234', '.')!.toFixed()).toBe('1234');
    expect(parseLocalizedNumber('1,234', ',')!.toFixed()).toBe('1.234');
    expect(parseLocalizedNumber('1,5', '.')!.toFixed()).toBe('1.5');
  });

  it('reads -- and empty cells as no value, and words as no number', () => {
    expect(parseLocalizedNumber('--', '.')).toBeUndefined();
    expect(parseLocalizedNumber(' ', '.')).toBeUndefined();
    expect(parseLocalizedNumber('lots', '.')).toBeUndefined();
  });

  it('reads report days in ISO, day-first, US month-first and English month-name forms', () => {
    expect(parseReportDay('2026-11-01')).toBe('2026-11-01');
    expect(parseReportDay('2026-11-01 00:00:00')).toBe('2026-11-01');
    expect(parseReportDay('01.11.2026')).toBe('2026-11-01');
    expect(parseReportDay('11/01/2026', true)).toBe('2026-11-01');
    expect(parseReportDay('01/11/2026')).toBe('2026-11-01');
    expect(parseReportDay('Nov 1, 2026')).toBe('2026-11-01');
    expect(parseReportDay('Sun, Nov 1, 2026')).toBe('2026-11-01');
    expect(parseReportDay('2026-02-30')).toBeUndefined();
  });
});

describe('Google Ads UI report CSV', () => {
  it('skips the title and date-range lines, reads thousands separators and -- and skips Total lines with a reason', () => {
    const parsed = parseSpendFile(fixture('google-ads-ui-en.csv'));
    expect(parsed.format).toBe('google_ads_csv');
    expect(parsed.read).toBe(6);
    expect(parsed.records).toEqual([
      { day: '2026-11-01', platform: 'google_ads', campaignId: '1111111111', campaignName: 'Spring Sale', amount: '1234.56', currency: 'USD', clicks: 310, impressions: 12045 },
      { day: '2026-11-01', platform: 'google_ads', campaignId: '2222222222', campaignName: 'Brand  Search', amount: '0', currency: 'USD', clicks: 0 },
      { day: '2026-11-02', platform: 'google_ads', campaignId: '1111111111', campaignName: 'Spring Sale', amount: '987.1', currency: 'USD', clicks: 250, impressions: 9870 },
    ]);
    expect(parsed.skipped).toEqual([
      { row: 7, reason: 'the row has no cost' },
      { row: 8, reason: 'a total line, not one campaign’s day' },
      { row: 9, reason: 'a total line, not one campaign’s day' },
    ]);
  });

  it('reads the Russian, German and Spanish column names with their decimal commas and day-first dates', () => {
    const ru = parseSpendFile(fixture('google-ads-ui-ru.csv'));
    expect(ru.records.map((r) => [r.day, r.campaignName, r.amount, r.currency, r.clicks, r.impressions])).toEqual([
      ['2026-11-01', 'Весенняя распродажа', '12345.67', 'RUB', 1204, 45000],
      ['2026-11-02', 'Весенняя распродажа', '1000.5', 'RUB', 98, undefined],
    ]);
    expect(ru.skipped).toHaveLength(1);
    const de = parseSpendFile(fixture('google-ads-ui-de.csv'));
    expect(de.records).toEqual([{ day: '2026-11-01', platform: 'google_ads', campaignId: '1111111111', campaignName: 'Frühlingsangebot', amount: '1234.5', currency: 'EUR', clicks: 12, impressions: 1000 }]);
    const es = parseSpendFile(fixture('google-ads-ui-es.csv'));
    expect(es.records.map((r) => r.amount)).toEqual(['2500']);
    expect(es.skipped.map((s) => s.row)).toEqual([5]);
  });

  it('reads the UTF-16 tab-separated "Excel" download the same way', () => {
    const text = fixture('google-ads-ui-en.csv').toString('utf8').replaceAll(',', '\t').replace(/"([^"]*)"/g, (_, v: string) => v.replaceAll('\t', ','));
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const parsed = parseSpendFile(bytes);
    expect(parsed.format).toBe('google_ads_csv');
    expect(parsed.records.map((r) => r.amount)).toEqual(['1234.56', '0', '987.1']);
  });

  it('adds up rows of the same campaign and day, as a report segmented by network has them', () => {
    const csv = 'Day,Campaign ID,Network,Cost,Currency code\n2026-11-01,1,Search,0.10,USD\n2026-11-01,1,Display,0.20,USD\n';
    expect(parseSpendFile(csv).records).toEqual([{ day: '2026-11-01', platform: 'google_ads', campaignId: '1', amount: '0.3', currency: 'USD' }]);
  });

  it('answers 400 naming currency when the report has no currency column and none is given, and takes ?currency=', () => {
    const csv = 'Day,Campaign,Cost\n2026-11-01,A,1.00\n';
    const error = (() => {
      try {
        parseSpendFile(csv);
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.fields[0]!.field).toBe('currency');
    expect(parseSpendFile(csv, { currency: 'GBP' }).records[0]!.currency).toBe('GBP');
    expect(() => parseSpendFile(csv, { currency: 'XYZW' })).toThrow(/currency is not known/);
  });

  it('skips a row with an unreadable cost or day and keeps the others', () => {
    const csv = 'Day,Campaign ID,Cost,Currency code\n2026-11-01,1,abc,USD\nyesterday,2,1,USD\n2026-11-01,3,-5,USD\n2026-11-01,4,5,USD\n';
    const parsed = parseSpendFile(csv);
    expect(parsed.records.map((r) => r.campaignId)).toEqual(['4']);
    expect(parsed.skipped.map((s) => [s.row, s.reason])).toEqual([
      [2, 'the cost "abc" is not a number'],
      [3, '"yesterday" is not a day this importer can read (write it YYYY-MM-DD)'],
      [4, 'cost must not be negative'],
    ]);
  });
});

describe('Google Ads API searchStream JSON', () => {
  it('reads every batch, costMicros exactly as decimals, and the currency and id of the customer', () => {
    const parsed = parseSpendFile(fixture('google-ads-search-stream.json'));
    expect(parsed.format).toBe('google_ads_api');
    expect(parsed.records).toEqual([
      { day: '2026-11-01', platform: 'google_ads', accountId: '1234567890', campaignId: '111', campaignName: 'Spring Sale', amount: '12345.67', currency: 'EUR', clicks: 31, impressions: 1200 },
      { day: '2026-11-01', platform: 'google_ads', accountId: '1234567890', campaignId: '222', campaignName: 'Brand', amount: '0', currency: 'EUR', clicks: 0, impressions: 15 },
      { day: '2026-11-02', platform: 'google_ads', accountId: '1234567890', campaignId: '111', campaignName: 'Spring Sale', amount: '9.000001', currency: 'EUR', clicks: 12, impressions: 400 },
    ]);
  });

  it('keeps int64 micros beyond 2^53 exact', () => {
    const doc = { results: [{ customer: { currencyCode: 'JPY' }, campaign: { id: '1' }, metrics: { costMicros: '9007199254740993000000' }, segments: { date: '2026-11-01' } }] };
    expect(parseSpendFile(JSON.stringify(doc)).records[0]!.amount).toBe('9007199254740993');
  });

  it('skips rows without segments.date and turns an API error answer into a 400 quoting it', () => {
    const doc = { results: [{ customer: { currencyCode: 'USD' }, campaign: { id: '1' }, metrics: { costMicros: '1' } }] };
    expect(parseSpendFile(JSON.stringify(doc)).skipped[0]!.reason).toMatch(/segments\.date/);
    expect(() => parseSpendFile('[{"error":{"code":401,"message":"Request is missing required authentication credential."}}]', { format: 'google_ads_api' })).toThrow(/authentication credential/);
  });
});

describe('Meta Insights JSON', () => {
  it('reads daily rows with numbers as strings and the account currency', () => {
    const parsed = parseSpendFile(fixture('meta-insights-daily.json'));
    expect(parsed.format).toBe('meta_insights');
    expect(parsed.records[0]).toEqual({
      day: '2026-11-01', platform: 'meta', accountId: '123456789012345', campaignId: '23850000000000001', campaignName: 'Lead gen — November',
      amount: '120.37', currency: 'USD', clicks: 233, impressions: 15402,
    });
    expect(parsed.records[1]!.amount).toBe('98.1');
  });

  it('skips the docs example’s 30-day row, naming time_increment=1', () => {
    const parsed = parseSpendFile(fixture('meta-insights-docs-example.json'), { currency: 'USD' });
    expect(parsed.records).toEqual([]);
    expect(parsed.skipped).toEqual([{ row: 1, reason: 'the row covers 2025-03-14 to 2025-04-12, not one day: export with time_increment=1 (daily)' }]);
  });

  it('needs ?currency= when rows carry no account_currency', () => {
    const doc = { data: [{ campaign_id: '1', spend: '1.5', date_start: '2026-11-01', date_stop: '2026-11-01' }] };
    expect(() => parseSpendFile(JSON.stringify(doc))).toThrow(/names no currency/);
    expect(parseSpendFile(JSON.stringify(doc), { currency: 'EUR' }).records[0]).toMatchObject({ amount: '1.5', currency: 'EUR' });
  });
});

describe('Meta Ads Manager CSV export', () => {
  it('reads the day breakdown, takes the currency from the spend column’s name and skips the total line', () => {
    const parsed = parseSpendFile(fixture('meta-ads-manager-export.csv'));
    expect(parsed.format).toBe('meta_ads_csv');
    expect(parsed.records).toEqual([
      { day: '2026-11-01', platform: 'meta', campaignId: '23850000000000001', campaignName: 'Lead gen — November', amount: '120.37', currency: 'USD', clicks: 233, impressions: 15402 },
      { day: '2026-11-02', platform: 'meta', campaignId: '23850000000000001', campaignName: 'Lead gen — November', amount: '98.1', currency: 'USD', clicks: 190, impressions: 12011 },
    ]);
    expect(parsed.skipped).toEqual([{ row: 2, reason: 'a total line, not one campaign’s day' }]);
  });

  it('reads Russian column names and decimal commas, and skips a line that covers a month', () => {
    const parsed = parseSpendFile(fixture('meta-ads-manager-export-ru.csv'));
    expect(parsed.records).toEqual([{ day: '2026-11-01', platform: 'meta', campaignName: 'Лиды ноябрь', amount: '1234.5', currency: 'RUB', clicks: 233, impressions: 15402 }]);
    expect(parsed.skipped[0]!.reason).toMatch(/covers 2026-11-01 to 2026-11-30, not one day: export with Breakdown → By time → Day/);
  });
});

describe('Yandex Direct Reports TSV', () => {
  it('skips the report name and Total rows lines, reads micros exactly and -- as none', () => {
    const parsed = parseSpendFile(fixture('yandex-direct-report.tsv'), { currency: 'RUB' });
    expect(parsed.format).toBe('yandex_direct');
    expect(parsed.read).toBe(3);
    expect(parsed.records).toEqual([
      { day: '2026-11-01', platform: 'yandex_direct', campaignId: '10002', campaignName: 'Поиск — бренд', amount: '1234.56', currency: 'RUB', clicks: 25, impressions: 1300 },
      { day: '2026-11-01', platform: 'yandex_direct', campaignId: '10007', campaignName: 'РСЯ', amount: '0', currency: 'RUB', impressions: 500 },
      { day: '2026-11-02', platform: 'yandex_direct', campaignId: '10002', campaignName: 'Поиск — бренд', amount: '999.99', currency: 'RUB', clicks: 30, impressions: 1400 },
    ]);
  });

  it('reads costs in currency units when the report was asked with returnMoneyInMicros: false', () => {
    expect(parseSpendFile(fixture('yandex-direct-report-not-micros.tsv'), { currency: 'RUB' }).records[0]!.amount).toBe('1234.56');
    const whole = 'Actual Data\nDate\tCampaignId\tCost\n2026-11-01\t1\t1500\nTotal rows: 1\n';
    expect(parseSpendFile(whole, { currency: 'RUB' }).records[0]!.amount).toBe('0.0015');
    expect(parseSpendFile(whole, { currency: 'RUB', micros: false }).records[0]!.amount).toBe('1500');
  });

  it('answers 400 naming currency without ?currency=, since the report names none', () => {
    expect(() => parseSpendFile(fixture('yandex-direct-report.tsv'))).toThrow(ValidationError);
  });
});

describe('Yandex Metrica expenses CSV', () => {
  it('reads days and spreads a date range over its days exactly, the remainder on the last', () => {
    const parsed = parseSpendFile(fixture('yandex-metrica-expenses.csv'));
    expect(parsed.format).toBe('yandex_metrica');
    expect(parsed.read).toBe(3);
    expect(parsed.records.map((r) => [r.day, r.campaignId, r.amount, r.clicks])).toEqual([
      ['2026-11-01', 'new', '50.25', 10],
      ['2026-11-02', 'new', '50000', 100],
      ['2026-11-01', 'autumn', '33.33', 3],
      ['2026-11-02', 'autumn', '33.33', 3],
      ['2026-11-03', 'autumn', '33.34', 4],
    ]);
    expect(parsed.records.every((r) => r.currency === 'RUB' && r.platform === 'yandex_metrica')).toBe(true);
  });
});

describe('VK Ads statistics JSON', () => {
  it('reads each campaign’s daily base metrics, with the currency given', () => {
    const parsed = parseSpendFile(fixture('vk-ads-statistics.json'), { currency: 'RUB' });
    expect(parsed.format).toBe('vk_ads');
    expect(parsed.records).toEqual([
      { day: '2026-11-01', platform: 'vk_ads', campaignId: '5555001', amount: '1520.5', currency: 'RUB', clicks: 87, impressions: 10234 },
      { day: '2026-11-02', platform: 'vk_ads', campaignId: '5555001', amount: '0', currency: 'RUB', clicks: 0, impressions: 0 },
    ]);
  });
});

describe('TikTok report JSON', () => {
  it('reads dimensions and string metrics, the day from stat_time_day', () => {
    const parsed = parseSpendFile(fixture('tiktok-report.json'));
    expect(parsed.format).toBe('tiktok');
    expect(parsed.records[0]).toEqual({
      day: '2026-11-01', platform: 'tiktok', campaignId: '1780000000000001', campaignName: 'TT leads', amount: '45.6', currency: 'USD', clicks: 120, impressions: 8000,
    });
  });

  it('turns a TikTok error answer into a 400 quoting it', () => {
    expect(() => parseSpendFile('{"code":40105,"message":"Access token is incorrect or has been revoked.","data":{}}')).toThrow(/code 40105/);
  });
});

describe('recognizing a file', () => {
  it('answers 400 naming ?format= for a file it cannot place, and for an unknown format', () => {
    expect(() => parseSpendFile('hello,world\n1,2\n')).toThrow(/not a spend export/);
    expect(() => parseSpendFile('{}', { format: 'excel' })).toThrow(/unknown spend format/);
    expect(() => parseSpendFile('{"data": [', {})).toThrow(/not valid JSON/);
  });
});
