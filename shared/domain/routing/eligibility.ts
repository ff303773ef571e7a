/**
 * Whether a rep can take a new lead now: active, available, at work, and under their caps. Each answer
 * carries its reason in words, because the routing trace must explain every rep who did not get a lead.
 */
import type { Rep, Team } from '../directory.js';
import { isWorkingAt } from './working-hours.js';

/** How many leads a rep got this clock hour and today (in their time zone), and how many they hold open. */
export interface RepLoad {
  thisHour: number;
  today: number;
  open: number;
}

export const NO_LOAD: RepLoad = { thisHour: 0, today: 0, open: 0 };

/** Whether the rep set themselves available at `now`; `away` ends by itself at its `until`. */
export function availabilityOf(rep: Rep, now: Date): { available: boolean; why: string } {
  const a = rep.availability;
  if (!a || a.status === 'online') return { available: true, why: 'online' };
  if (a.status === 'offline') return { available: false, why: 'offline' };
  const until = a.until ? Date.parse(a.until) : Number.NaN;
  if (!Number.isNaN(until) && until <= now.getTime()) return { available: true, why: `back from away since ${a.until}` };
  return { available: false, why: a.until ? `away until ${a.until}` : 'away' };
}

/**
 * Whether the rep may be offered a lead at `now`, given their load: the first reason that rules them
 * out, or why they qualify. A rep whose settings cannot be read (an unknown time zone) is ruled out with
 * that reason rather than failing the whole assignment.
 */
export function eligibilityOf(rep: Rep, team: Team, now: Date, load: RepLoad): { eligible: boolean; why: string } {
  if (!rep.active) return { eligible: false, why: 'deactivated' };
  const availability = availabilityOf(rep, now);
  if (!availability.available) return { eligible: false, why: availability.why };
  let working: { working: boolean; why: string };
  try {
    working = isWorkingAt(rep, team, now);
  } catch (error) {
    return { eligible: false, why: `working hours cannot be read: ${(error as Error).message}` };
  }
  if (!working.working) return { eligible: false, why: working.why };
  const { perHour, perDay } = rep.caps ?? {};
  if (perHour !== undefined && load.thisHour >= perHour) {
    return { eligible: false, why: `hourly cap reached (${load.thisHour} of ${perHour} this hour)` };
  }
  if (perDay !== undefined && load.today >= perDay) {
    return { eligible: false, why: `daily cap reached (${load.today} of ${perDay} today)` };
  }
  const caps = [perHour !== undefined ? `${load.thisHour}/${perHour} this hour` : '', perDay !== undefined ? `${load.today}/${perDay} today` : '']
    .filter(Boolean)
    .join(', ');
  return { eligible: true, why: `${availability.why}, ${working.why}${caps ? `, ${caps}` : ''}` };
}
