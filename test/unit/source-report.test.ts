import { describe, expect, it } from 'vitest';
import { buildSourceReport, completeReportRow, formatRevenue, median, sumRevenue } from '../../shared/domain/source-report.js';

describe('median', () => {
  it('returns the middle value of an odd count', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([7])).toBe(7);
  });

  it('returns the mean of the two middle values of an even count', () => {
    expect(median([40, 10, 30, 20])).toBe(25);
  });

  it('rounds the mean of the two middle values to whole milliseconds', () => {
    expect(median([1, 2])).toBe(2);
    expect(median([100, 101, 102, 103])).toBe(102);
  });

  it('returns null for no values', () => {
    expect(median([])).toBeNull();
  });

  it('sorts numerically, not as text', () => {
    expect(median([9, 100, 10])).toBe(10);
  });

  it('does not reorder the array it is given', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('buildSourceReport', () => {
  it('builds one row per counter with the median latency of its source and channel', () => {
    const rows = buildSourceReport(
      '2026-03-05',
      [{ sourceId: 'site', channel: 'web_form', leads: 4, qualified: 3, assigned: 2, notified: 2 }],
      [
        { sourceId: 'site', channel: 'web_form', latencyMs: 1200 },
        { sourceId: 'site', channel: 'web_form', latencyMs: 800 },
        { sourceId: 'site', channel: 'web_form', latencyMs: 5000 },
      ],
    );
    expect(rows).toEqual([
      {
        day: '2026-03-05',
        sourceId: 'site',
        channel: 'web_form',
        leads: 4,
        qualified: 3,
        assigned: 2,
        notified: 2,
        accepted: 0,
        contacted: 0,
        won: 0,
        lost: 0,
        medianCaptureToNotifyMs: 1200,
        medianCaptureToAcceptMs: null,
        medianCaptureToContactMs: null,
        revenue: {},
      },
    ]);
  });

  it('keeps latencies of the same source on different channels apart', () => {
    const rows = buildSourceReport(
      '2026-03-05',
      [
        { sourceId: 'meta', channel: 'ad_form', leads: 1 },
        { sourceId: 'meta', channel: 'chat', leads: 1 },
      ],
      [
        { sourceId: 'meta', channel: 'ad_form', latencyMs: 100 },
        { sourceId: 'meta', channel: 'chat', latencyMs: 900 },
        { sourceId: 'meta', channel: 'chat', latencyMs: 1100 },
      ],
    );
    expect(rows.map((r) => [r.channel, r.medianCaptureToNotifyMs])).toEqual([
      ['ad_form', 100],
      ['chat', 1000],
    ]);
  });

  it('defaults missing counters to 0 and a row without latencies to a null median', () => {
    const [row] = buildSourceReport('2026-03-05', [{ sourceId: 'site', channel: 'web_form', leads: 2 }], []);
    expect(row).toEqual({
      day: '2026-03-05',
      sourceId: 'site',
      channel: 'web_form',
      leads: 2,
      qualified: 0,
      assigned: 0,
      notified: 0,
      accepted: 0,
      contacted: 0,
      won: 0,
      lost: 0,
      medianCaptureToNotifyMs: null,
      medianCaptureToAcceptMs: null,
      medianCaptureToContactMs: null,
      revenue: {},
    });
  });

  it('ignores latencies of sources that have no counter row', () => {
    const rows = buildSourceReport(
      '2026-03-05',
      [{ sourceId: 'site', channel: 'web_form' }],
      [{ sourceId: 'other', channel: 'web_form', latencyMs: 50 }],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.medianCaptureToNotifyMs).toBeNull();
  });

  it('sorts rows by source, then by channel', () => {
    const rows = buildSourceReport(
      '2026-03-05',
      [
        { sourceId: 'site', channel: 'web_form' },
        { sourceId: 'meta', channel: 'chat' },
        { sourceId: 'meta', channel: 'ad_form' },
        { sourceId: 'b2b', channel: 'email' },
      ],
      [],
    );
    expect(rows.map((r) => `${r.sourceId}/${r.channel}`)).toEqual([
      'b2b/email',
      'meta/ad_form',
      'meta/chat',
      'site/web_form',
    ]);
  });

  it('returns no rows for a day without counters', () => {
    expect(buildSourceReport('2026-03-05', [], [{ sourceId: 's', channel: 'phone', latencyMs: 1 }])).toEqual([]);
  });
});

describe('sumRevenue', () => {
  it('adds amounts of the same currency and keeps currencies apart', () => {
    expect(
      sumRevenue([
        { amount: 1000, currency: 'EUR' },
        { amount: 50, currency: 'USD' },
        { amount: 200, currency: 'EUR' },
      ]),
    ).toEqual({ EUR: 1200, USD: 50 });
  });

  it('adds cents exactly, without binary rounding noise', () => {
    expect(sumRevenue([{ amount: 0.1, currency: 'EUR' }, { amount: 0.2, currency: 'EUR' }])).toEqual({ EUR: 0.3 });
    expect(sumRevenue(Array.from({ length: 10 }, () => ({ amount: 19.99, currency: 'USD' })))).toEqual({ USD: 199.9 });
  });

  it('returns no currencies for no won leads', () => {
    expect(sumRevenue([])).toEqual({});
  });
});

describe('formatRevenue', () => {
  it('writes each currency and its sum, in alphabetical order, separated by semicolons', () => {
    expect(formatRevenue({ USD: 50, EUR: 1200 })).toBe('EUR 1200; USD 50');
    expect(formatRevenue({ JPY: 12000 })).toBe('JPY 12000');
  });

  it('writes an empty cell for no revenue', () => {
    expect(formatRevenue({})).toBe('');
    expect(formatRevenue(undefined)).toBe('');
  });
});

describe('buildSourceReport with the rep side', () => {
  const site = { sourceId: 'site', channel: 'web_form' as const };
  const meta = { sourceId: 'meta', channel: 'ad_form' as const };

  it('gives each row its accept and contact medians, from its own source and channel only', () => {
    const [metaRow, siteRow] = buildSourceReport(
      '2026-03-05',
      [{ ...site, leads: 3, accepted: 3, contacted: 2 }, { ...meta, leads: 1, accepted: 1 }],
      [],
      {
        acceptLatencies: [
          { ...site, latencyMs: 90_000 },
          { ...site, latencyMs: 30_000 },
          { ...site, latencyMs: 600_000 },
          { ...meta, latencyMs: 5_000 },
        ],
        contactLatencies: [
          { ...site, latencyMs: 120_000 },
          { ...site, latencyMs: 240_001 },
        ],
      },
    );
    expect(siteRow).toMatchObject({ accepted: 3, contacted: 2, medianCaptureToAcceptMs: 90_000, medianCaptureToContactMs: 180_001 });
    expect(metaRow).toMatchObject({ accepted: 1, contacted: 0, medianCaptureToAcceptMs: 5_000, medianCaptureToContactMs: null });
  });

  it('sums won revenue per currency for each source and channel', () => {
    const [metaRow, siteRow] = buildSourceReport(
      '2026-03-05',
      [{ ...site, won: 3, lost: 1 }, { ...meta, won: 1 }],
      [],
      {
        revenue: [
          { ...site, amount: 1000, currency: 'EUR' },
          { ...site, amount: 200, currency: 'EUR' },
          { ...site, amount: 50, currency: 'USD' },
          { ...meta, amount: 75.5, currency: 'GBP' },
        ],
      },
    );
    expect(siteRow).toMatchObject({ won: 3, lost: 1, revenue: { EUR: 1200, USD: 50 } });
    expect(metaRow).toMatchObject({ won: 1, lost: 0, revenue: { GBP: 75.5 } });
  });

  it('leaves the notify median to notification latencies alone', () => {
    const [row] = buildSourceReport('2026-03-05', [{ ...site, notified: 1, accepted: 1 }], [{ ...site, latencyMs: 800 }], {
      acceptLatencies: [{ ...site, latencyMs: 60_000 }],
    });
    expect(row).toMatchObject({ medianCaptureToNotifyMs: 800, medianCaptureToAcceptMs: 60_000, medianCaptureToContactMs: null });
  });
});

describe('completeReportRow', () => {
  it('gives a row built before the rep-side columns their empty values', () => {
    const old = { day: '2026-03-05', sourceId: 'site', channel: 'web_form' as const, leads: 2, qualified: 2, assigned: 1, notified: 1, medianCaptureToNotifyMs: 900 };
    expect(completeReportRow(old)).toEqual({
      ...old,
      accepted: 0,
      contacted: 0,
      won: 0,
      lost: 0,
      medianCaptureToAcceptMs: null,
      medianCaptureToContactMs: null,
      revenue: {},
    });
  });

  it('keeps the values of a row that has them', () => {
    const row = { accepted: 2, won: 1, revenue: { EUR: 10 }, medianCaptureToAcceptMs: 4 };
    expect(completeReportRow(row)).toMatchObject(row);
  });
});
