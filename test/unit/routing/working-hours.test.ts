import { describe, expect, it } from 'vitest';
import type { Rep, Team } from '../../../shared/domain/directory.js';
import { addWorkingMinutes, invalidSpans, isWorkingAt, nextWorkingStart, parseSpan } from '../../../shared/domain/routing/working-hours.js';

const team: Team = { teamId: 't', name: 'Team', strategy: 'round_robin' };
const rep = (over: Partial<Rep> = {}): Rep => ({ repId: 'r', teamId: 't', name: 'Rep', active: true, ...over });
const weekdays = { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] };
const at = (iso: string) => new Date(iso);

describe('parseSpan', () => {
  it('reads a span past midnight as ending the next day, and refuses nonsense', () => {
    expect(parseSpan('22:00-02:00')).toEqual({ start: 1320, end: 1560 });
    expect(parseSpan('09:00-24:00')).toEqual({ start: 540, end: 1440 });
    expect(parseSpan('9-5')).toBeUndefined();
    expect(parseSpan('10:00-10:00')).toBeUndefined();
    expect(invalidSpans({ mon: ['09:00-17:00', '25:00-26:00'] })).toEqual(['mon 25:00-26:00']);
  });
});

describe('isWorkingAt', () => {
  it('reads working hours on the rep’s own clock, not UTC', () => {
    const ny = rep({ timeZone: 'America/New_York', workingHours: weekdays });
    // 13:30Z on a Monday in January is 08:30 in New York (EST, UTC-5): not yet.
    expect(isWorkingAt(ny, team, at('2025-01-06T13:30:00Z')).working).toBe(false);
    expect(isWorkingAt(ny, team, at('2025-01-06T14:00:00Z'))).toEqual({
      working: true,
      why: 'inside working hours 09:00-17:00 (2025-01-06 09:00 America/New_York)',
    });
  });

  it('keeps 09:00 local on the Monday after Berlin moves its clocks forward (07:00Z instead of 08:00Z)', () => {
    const berlin = rep({ timeZone: 'Europe/Berlin', workingHours: weekdays });
    expect(isWorkingAt(berlin, team, at('2025-03-28T08:00:00Z')).working).toBe(true); // Friday, CET: 09:00
    expect(isWorkingAt(berlin, team, at('2025-03-31T06:59:00Z')).working).toBe(false); // Monday, CEST: 08:59
    expect(isWorkingAt(berlin, team, at('2025-03-31T07:00:00Z')).working).toBe(true);
  });

  it('counts a span past midnight into the next morning, but not after a day off', () => {
    const night = rep({ workingHours: { fri: ['22:00-02:00'] }, daysOff: [] });
    expect(isWorkingAt(night, team, at('2025-01-11T01:30:00Z')).why).toMatch(/begun the day before/);
    expect(isWorkingAt(night, team, at('2025-01-11T02:00:00Z')).working).toBe(false);
    const off = rep({ workingHours: { fri: ['22:00-02:00'] }, daysOff: ['2025-01-10'] });
    expect(isWorkingAt(off, team, at('2025-01-11T01:30:00Z')).working).toBe(false);
  });

  it('rules out the rep’s days off and the team’s holidays as local dates', () => {
    // 23:30Z on 24 Dec is already 25 Dec in Berlin.
    const berlin = rep({ timeZone: 'Europe/Berlin' });
    expect(isWorkingAt(berlin, { ...team, holidays: ['2025-12-25'] }, at('2025-12-24T23:30:00Z'))).toEqual({
      working: false,
      why: '2025-12-25 is a team holiday',
    });
    expect(isWorkingAt(rep({ timeZone: 'Europe/Berlin', daysOff: ['2025-12-25'] }), team, at('2025-12-24T22:30:00Z')).working).toBe(true);
    expect(isWorkingAt(rep({ daysOff: ['2025-12-24'] }), team, at('2025-12-24T12:00:00Z')).why).toBe('2025-12-24 is a day off');
  });
});

describe('nextWorkingStart', () => {
  it('returns the instant itself while the rep works', () => {
    expect(nextWorkingStart(rep(), team, at('2025-01-06T03:00:00Z'))).toEqual(at('2025-01-06T03:00:00Z'));
  });

  it('finds Monday 09:00 New York time from a Friday evening, across the November clock change', () => {
    const ny = rep({ timeZone: 'America/New_York', workingHours: weekdays });
    // Fri 31 Oct 2025 18:00 EDT; clocks go back on Sun 2 Nov; Monday 09:00 EST is 14:00Z.
    expect(nextWorkingStart(ny, team, at('2025-10-31T22:00:00Z'))).toEqual(at('2025-11-03T14:00:00Z'));
  });

  it('starts a span set inside the skipped hour when the clock jumps (Berlin, 02:30 on 30 March 2025)', () => {
    const berlin = rep({ timeZone: 'Europe/Berlin', workingHours: { sun: ['02:30-04:00'] } });
    expect(nextWorkingStart(berlin, team, at('2025-03-29T12:00:00Z'))).toEqual(at('2025-03-30T01:00:00Z'));
  });

  it('skips holidays and gives up after 14 days', () => {
    const r = rep({ workingHours: weekdays });
    expect(nextWorkingStart(r, { ...team, holidays: ['2025-01-06'] }, at('2025-01-04T12:00:00Z'))).toEqual(at('2025-01-07T09:00:00Z'));
    const leave = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2025, 0, 4 + i)).toISOString().slice(0, 10));
    expect(nextWorkingStart(rep({ daysOff: leave }), team, at('2025-01-04T12:00:00Z'))).toBeUndefined();
  });
});

describe('addWorkingMinutes', () => {
  it('carries an SLA from Friday evening to Monday morning', () => {
    const r = rep({ workingHours: weekdays });
    expect(addWorkingMinutes(r, team, at('2025-01-10T16:30:00Z'), 60)).toEqual(at('2025-01-13T09:30:00Z'));
  });

  it('counts the wall-clock hours of a Berlin working day across the spring change (one hour less of UTC)', () => {
    const berlin = rep({ timeZone: 'Europe/Berlin', workingHours: { sat: ['20:00-24:00'], sun: ['00:00-06:00'] } });
    // Sat 29 Mar 20:00 CET (19:00Z) to Sun 06:00 CEST (04:00Z) is 9 hours of real time, not 10.
    expect(addWorkingMinutes(berlin, team, at('2025-03-29T19:00:00Z'), 9 * 60)).toEqual(at('2025-03-30T04:00:00Z'));
  });

  it('counts the repeated hour in New York’s autumn night as working time', () => {
    const ny = rep({ timeZone: 'America/New_York', workingHours: { sun: ['00:00-04:00'] } });
    // 00:00 EDT (04:00Z) to 04:00 EST (09:00Z) is 5 real hours.
    expect(addWorkingMinutes(ny, team, at('2025-11-02T04:00:00Z'), 5 * 60)).toEqual(at('2025-11-02T09:00:00Z'));
  });

  it('falls back to wall minutes when the rep does not work in the next 14 days', () => {
    const leave = Array.from({ length: 70 }, (_, i) => new Date(Date.UTC(2025, 0, 4 + i)).toISOString().slice(0, 10));
    expect(addWorkingMinutes(rep({ daysOff: leave }), team, at('2025-01-04T12:00:00Z'), 30)).toEqual(at('2025-01-04T12:30:00Z'));
  });
});
