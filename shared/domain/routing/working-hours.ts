/**
 * Working hours in a rep's own time zone: whether a rep works at an instant, when they next start, and
 * how far a number of working minutes reaches (for SLAs counted in working time).
 *
 * Hours are wall-clock spans per weekday (`HH:MM-HH:MM`); a span whose end is not after its start runs
 * past midnight into the next day (`22:00-02:00`). Everything is computed on the rep's wall clock via
 * Intl, so a daylight-saving change moves the instants, never the hours: a `09:00-17:00` day is 8 hours
 * of wall clock on any day, and a span starting inside a skipped hour starts when the clock jumps.
 */
import type { Rep, Team, WeeklyHours } from '../directory.js';

type Weekday = keyof WeeklyHours;
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead working time is looked for before a rep counts as not working at all. */
const HORIZON_DAYS = 14;

/** A wall-clock span in minutes of the day; `end` is past 1440 for a span that runs past midnight. */
export interface Span {
  start: number;
  end: number;
}

const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** Reads `HH:MM-HH:MM`; undefined when it is not one (24:00 is allowed only as an end). */
export function parseSpan(text: string): Span | undefined {
  const m = SPAN.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (end > 1440 || start === end) return undefined;
  return { start, end: end > start ? end : end + 1440 };
}

/** The spans of a weekly schedule that cannot be read, so an admin API can refuse them by name. */
export function invalidSpans(hours: WeeklyHours): string[] {
  return Object.entries(hours).flatMap(([day, spans]) =>
    (spans ?? []).filter((s) => !parseSpan(s)).map((s) => `${day} ${s}`),
  );
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** A wall-clock reading: local date `YYYY-MM-DD`, minute of the day, and the reading as if it were UTC. */
interface Wall {
  date: string;
  minute: number;
  asUtcMs: number;
}

function wallOf(at: number, timeZone: string): Wall {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(at))) parts[p.type] = p.value;
  const [y, mo, d, h, mi, s] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((k) => Number(parts[k]));
  const asUtcMs = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minute: h! * 60 + mi!, asUtcMs };
}

/** The local calendar day (`YYYY-MM-DD`) of an instant in a time zone: the day caps and days off use. */
export function localDate(at: Date, timeZone = 'UTC'): string {
  return wallOf(at.getTime(), timeZone).date;
}

/** The local clock hour (`YYYY-MM-DDTHH`) of an instant in a time zone: the hour hourly caps count in. */
export function localHour(at: Date, timeZone = 'UTC'): string {
  const wall = wallOf(at.getTime(), timeZone);
  return `${wall.date}T${String(Math.floor(wall.minute / 60)).padStart(2, '0')}`;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

/**
 * The first instant at which the zone's wall clock reads at least `minute` on `date`. For a time that
 * occurs twice (the clock going back) that is the earlier one; for one that never occurs (the clock
 * jumping forward) it is the instant of the jump.
 */
function instantOfWall(date: string, minute: number, timeZone: string): number {
  const wanted = Date.parse(`${date}T00:00:00Z`) + minute * MINUTE_MS;
  const offsetAt = (t: number) => wallOf(t, timeZone).asUtcMs - t;
  const guesses = [wanted - offsetAt(wanted - DAY_MS / 2), wanted - offsetAt(wanted), wanted - offsetAt(wanted + DAY_MS / 2)];
  const exact = guesses.filter((t) => wallOf(t, timeZone).asUtcMs === wanted).sort((a, b) => a - b);
  if (exact.length) return exact[0]!;
  // Inside a skipped hour: walk to the minute the clock jumps past the wanted reading (at most a few hours).
  let t = Math.min(...guesses);
  t -= t % MINUTE_MS;
  while (wallOf(t, timeZone).asUtcMs < wanted) t += MINUTE_MS;
  return t;
}

function zoneOf(rep: Rep): string {
  return rep.timeZone ?? 'UTC';
}

function spansOn(hours: WeeklyHours, date: string): Span[] {
  return (hours[weekdayOf(date)] ?? []).map(parseSpan).filter((s): s is Span => s !== undefined);
}

/** Why the whole local day is off for the rep, if it is. */
function dayOffReason(rep: Rep, team: Team, date: string): string | undefined {
  if (team.holidays?.includes(date)) return `${date} is a team holiday`;
  if (rep.daysOff?.includes(date)) return `${date} is a day off`;
  return undefined;
}

/**
 * Whether the rep works at an instant, by their own clock, days off and the team's holidays, with the
 * reason in words for the routing trace. A rep without working hours works at any hour of a working day.
 */
export function isWorkingAt(rep: Rep, team: Team, at: Date): { working: boolean; why: string } {
  const zone = zoneOf(rep);
  const wall = wallOf(at.getTime(), zone);
  const clock = `${wall.date} ${String(Math.floor(wall.minute / 60)).padStart(2, '0')}:${String(wall.minute % 60).padStart(2, '0')} ${zone}`;
  const off = dayOffReason(rep, team, wall.date);
  if (off) return { working: false, why: off };
  if (!rep.workingHours) return { working: true, why: `no working hours set; works any hour (${clock})` };
  const today = spansOn(rep.workingHours, wall.date).find((s) => s.start <= wall.minute && wall.minute < s.end);
  if (today) return { working: true, why: `inside working hours ${formatSpan(today)} (${clock})` };
  const yesterday = shiftDate(wall.date, -1);
  // A span that started yesterday and runs past midnight, unless yesterday was off (its span never began).
  const carried = dayOffReason(rep, team, yesterday)
    ? undefined
    : spansOn(rep.workingHours, yesterday).find((s) => s.end > 1440 && wall.minute < s.end - 1440);
  if (carried) return { working: true, why: `inside working hours ${formatSpan(carried)} begun the day before (${clock})` };
  return { working: false, why: `outside working hours (${clock})` };
}

function formatSpan(s: Span): string {
  const hhmm = (m: number) => `${String(Math.floor((m % 1440) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(s.start)}-${s.end === 1440 ? '24:00' : hhmm(s.end)}`;
}

/**
 * Every instant from a day before `from` to the horizon at which working may start or stop: local
 * midnights (days off begin and end there) and span starts and ends. Sorted, without repeats.
 */
function boundaries(rep: Rep, from: number): number[] {
  const zone = zoneOf(rep);
  const first = wallOf(from, zone).date;
  const instants = new Set<number>();
  for (let d = -1; d <= HORIZON_DAYS + 1; d++) {
    const date = shiftDate(first, d);
    instants.add(instantOfWall(date, 0, zone));
    for (const s of rep.workingHours ? spansOn(rep.workingHours, date) : []) {
      instants.add(instantOfWall(date, s.start, zone));
      instants.add(s.end >= 1440 ? instantOfWall(shiftDate(date, 1), s.end - 1440, zone) : instantOfWall(date, s.end, zone));
    }
  }
  return [...instants].sort((a, b) => a - b);
}

/**
 * When the rep next works: `from` itself when they work then, else the first start of working time
 * within 14 days; undefined when there is none (no hours set up, a long leave). A team's waiting queue
 * uses it to know when to look again.
 */
export function nextWorkingStart(rep: Rep, team: Team, from: Date): Date | undefined {
  if (isWorkingAt(rep, team, from).working) return from;
  const limit = from.getTime() + HORIZON_DAYS * DAY_MS;
  const start = boundaries(rep, from.getTime()).find(
    (t) => t > from.getTime() && t <= limit && isWorkingAt(rep, team, new Date(t)).working,
  );
  return start === undefined ? undefined : new Date(start);
}

/** When the stretch of working time the rep is in at `from` ends (the horizon if it does not end before). */
function workingUntil(rep: Rep, team: Team, from: number): number {
  const end = boundaries(rep, from).find((t) => t > from && !isWorkingAt(rep, team, new Date(t)).working);
  return end ?? from + HORIZON_DAYS * DAY_MS;
}

/**
 * The instant `minutes` of the rep's working time after `from`: a deadline counted only while the rep
 * works, so a lead arriving on Friday evening is due on Monday morning. When the rep has no working time
 * in the next 14 days the minutes are counted on the wall clock instead, so a deadline always exists.
 */
export function addWorkingMinutes(rep: Rep, team: Team, from: Date, minutes: number): Date {
  let at = from.getTime();
  let remaining = minutes * MINUTE_MS;
  const limit = at + 4 * HORIZON_DAYS * DAY_MS;
  while (at < limit) {
    const start = nextWorkingStart(rep, team, new Date(at));
    if (!start) break;
    at = start.getTime();
    const end = workingUntil(rep, team, at);
    if (remaining <= end - at) return new Date(at + remaining);
    remaining -= end - at;
    at = end;
  }
  return new Date(from.getTime() + minutes * MINUTE_MS);
}
