import { describe, expect, it } from 'vitest';
import { dayOf, daysBefore, daysBetween, isDay } from '../../shared/domain/days.js';

describe('dayOf', () => {
  it('returns the calendar day of a UTC timestamp', () => {
    expect(dayOf('2026-03-05T10:00:00.000Z')).toBe('2026-03-05');
  });

  it('keeps the day up to the last millisecond before midnight UTC', () => {
    expect(dayOf('2026-03-05T23:59:59.999Z')).toBe('2026-03-05');
    expect(dayOf('2026-03-06T00:00:00.000Z')).toBe('2026-03-06');
  });

  it('returns the UTC day of a timestamp written with an offset', () => {
    expect(dayOf('2026-03-05T23:30:00-05:00')).toBe('2026-03-06');
  });
});

describe('isDay', () => {
  it('accepts real calendar days', () => {
    expect(isDay('2026-03-05')).toBe(true);
    expect(isDay('2026-12-31')).toBe(true);
  });

  it('accepts 29 February only in leap years', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2000-02-29')).toBe(true);
    expect(isDay('2025-02-29')).toBe(false);
    expect(isDay('1900-02-29')).toBe(false);
  });

  it('rejects days that do not exist in their month', () => {
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-04-31')).toBe(false);
    expect(isDay('2026-01-00')).toBe(false);
  });

  it('rejects month 13 and month 00', () => {
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-00-10')).toBe(false);
  });

  it('rejects other formats', () => {
    expect(isDay('2026-3-5')).toBe(false);
    expect(isDay('20260305')).toBe(false);
    expect(isDay('2026-03-05T00:00:00Z')).toBe(false);
    expect(isDay(' 2026-03-05')).toBe(false);
    expect(isDay('')).toBe(false);
  });
});

describe('daysBetween', () => {
  it('lists every day with both ends included, across a month end', () => {
    expect(daysBetween('2026-01-30', '2026-02-02')).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
  });

  it('includes the leap day', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('goes straight from 28 February to 1 March in a common year', () => {
    expect(daysBetween('2026-02-28', '2026-03-01')).toEqual(['2026-02-28', '2026-03-01']);
  });

  it('crosses a year end', () => {
    expect(daysBetween('2025-12-31', '2026-01-01')).toEqual(['2025-12-31', '2026-01-01']);
  });

  it('returns the one day when both ends are the same', () => {
    expect(daysBetween('2026-03-05', '2026-03-05')).toEqual(['2026-03-05']);
  });

  it('returns no days when the range is reversed', () => {
    expect(daysBetween('2026-03-05', '2026-03-04')).toEqual([]);
  });

  it('counts 366 days in a leap year', () => {
    const days = daysBetween('2024-01-01', '2024-12-31');
    expect(days).toHaveLength(366);
    expect(days[59]).toBe('2024-02-29');
  });
});

describe('daysBefore', () => {
  it('steps back over the leap day', () => {
    expect(daysBefore('2024-03-01', 1)).toBe('2024-02-29');
    expect(daysBefore('2024-03-01', 2)).toBe('2024-02-28');
  });

  it('steps back over a month and a year end', () => {
    expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
    expect(daysBefore('2026-01-01', 1)).toBe('2025-12-31');
  });

  it('returns the same day for 0 and a later day for a negative count', () => {
    expect(daysBefore('2026-03-05', 0)).toBe('2026-03-05');
    expect(daysBefore('2026-03-05', -2)).toBe('2026-03-07');
  });

  it('agrees with daysBetween on the length of a week', () => {
    expect(daysBetween(daysBefore('2026-03-05', 6), '2026-03-05')).toHaveLength(7);
  });
});
