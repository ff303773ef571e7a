import { describe, expect, it } from 'vitest';
import { buildSourceReport, median } from '../../shared/domain/source-report.js';

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
        medianCaptureToNotifyMs: 1200,
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
      medianCaptureToNotifyMs: null,
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
