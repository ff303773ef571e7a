import { isDay } from './days.js';
import type { Availability, DistributionStrategy, Rep, SlaPolicy, Team, WeeklyHours } from './directory.js';
import { ValidationError, type FieldProblem } from './errors.js';
import { parseSpan } from './routing/working-hours.js';

/*
 * What the admin API accepts for reps and teams, checked field by field so a 400 names every problem at
 * once. A create needs the required fields; a patch takes any subset, and `null` removes an optional one.
 */

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const STRATEGIES: readonly DistributionStrategy[] = ['round_robin', 'weighted_round_robin', 'least_loaded'];

/** Whether a name is an IANA time zone the runtime knows (`Europe/Berlin`, `UTC`), not an offset or an abbreviation. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

type Check = (value: unknown, field: string, problems: FieldProblem[]) => unknown;

const id: Check = (v, field, problems) => {
  if (typeof v !== 'string' || !ID.test(v)) problems.push({ field, problem: 'must be 1-64 lowercase letters, digits, "-" or "_", starting with a letter or digit' });
  return v;
};
const text =
  (max: number): Check =>
  (v, field, problems) => {
    if (typeof v !== 'string' || !v.trim()) problems.push({ field, problem: 'must be a non-empty string' });
    else if (v.length > max) problems.push({ field, problem: `must be at most ${max} characters` });
    return typeof v === 'string' ? v.trim() : v;
  };
const email: Check = (v, field, problems) => {
  if (typeof v !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) problems.push({ field, problem: 'must be an email address' });
  return v;
};
const url: Check = (v, field, problems) => {
  if (typeof v !== 'string' || !isUrl(v)) problems.push({ field, problem: 'must be an http(s) URL' });
  else if (v.length > 2000) problems.push({ field, problem: 'must be at most 2000 characters' });
  else {
    // Credentials in a URL end up in logs, traces and the audit log; a webhook authenticates otherwise.
    const parsed = new URL(v);
    if (parsed.username || parsed.password) {
      problems.push({ field, problem: 'must not carry a user name or password (user:pass@); give the endpoint a token in a path or query instead' });
    }
  }
  return v;
};
const bool: Check = (v, field, problems) => {
  if (typeof v !== 'boolean') problems.push({ field, problem: 'must be true or false' });
  return v;
};
const timeZone: Check = (v, field, problems) => {
  if (typeof v !== 'string' || !isTimeZone(v)) problems.push({ field, problem: `must be an IANA time zone such as Europe/Berlin or America/New_York, not ${JSON.stringify(v)}` });
  return v;
};
const days: Check = (v, field, problems) => {
  if (!Array.isArray(v)) problems.push({ field, problem: 'must be a list of days written YYYY-MM-DD' });
  else v.forEach((d, i) => typeof d === 'string' && isDay(d) ? undefined : problems.push({ field: `${field}[${i}]`, problem: `${JSON.stringify(d)} is not a day written YYYY-MM-DD` }));
  return v;
};
const positiveNumber: Check = (v, field, problems) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) problems.push({ field, problem: 'must be a number greater than 0' });
  return v;
};
const wholeNumber =
  (min: number): Check =>
  (v, field, problems) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) problems.push({ field, problem: `must be a whole number of at least ${min}` });
    return v;
  };

/** A rep's own phone: E.164 only, since call events carry E.164 and the match is exact. */
const e164Phone: Check = (v, field, problems) => {
  if (typeof v !== 'string' || !/^\+[1-9]\d{6,14}$/.test(v.trim())) {
    problems.push({ field, problem: 'must be an E.164 number like +14155550100 (a call from it is matched exactly)' });
    return v;
  }
  return v.trim();
};

/** A rep's ids in telephony systems: extensions (`101`), agent emails, user ids; each unique to the rep. */
const telephonyIds: Check = (v, field, problems) => {
  if (!Array.isArray(v) || v.length > 20) {
    problems.push({ field, problem: 'must be a list of at most 20 extensions, agent emails or user ids' });
    return v;
  }
  v.forEach((item, i) => {
    if (typeof item !== 'string' || !item.trim() || item.trim().length > 200) {
      problems.push({ field: `${field}[${i}]`, problem: 'must be a non-empty string of at most 200 characters' });
    }
  });
  return v.map((item) => (typeof item === 'string' ? item.trim() : item));
};

const workingHours: Check = (v, field, problems) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    problems.push({ field, problem: 'must be an object of weekdays (mon..sun), each a list of HH:MM-HH:MM spans' });
    return v;
  }
  for (const [day, spans] of Object.entries(v)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      problems.push({ field: `${field}.${day}`, problem: `unknown weekday; use ${WEEKDAYS.join(', ')}` });
    } else if (!Array.isArray(spans)) {
      problems.push({ field: `${field}.${day}`, problem: 'must be a list of HH:MM-HH:MM spans' });
    } else {
      spans.forEach((s, i) => {
        if (typeof s !== 'string' || !parseSpan(s)) {
          problems.push({ field: `${field}.${day}[${i}]`, problem: `${JSON.stringify(s)} is not a span written HH:MM-HH:MM with different start and end` });
        }
      });
    }
  }
  return v as WeeklyHours;
};

const availability: Check = (v, field, problems) => {
  const a = v as Partial<Availability> | undefined;
  if (!a || typeof a !== 'object' || !['online', 'offline', 'away'].includes(a.status as string)) {
    problems.push({ field: `${field}.status`, problem: 'must be online, offline or away' });
    return v;
  }
  objectFields(a, ['status', 'until'], field, problems);
  if (a.status === 'away' && a.until !== undefined && (typeof a.until !== 'string' || Number.isNaN(Date.parse(a.until)))) {
    problems.push({ field: `${field}.until`, problem: 'must be an ISO 8601 time' });
  }
  if (a.status !== 'away' && a.until !== undefined) problems.push({ field: `${field}.until`, problem: 'only away has an until time' });
  return a.until ? { status: a.status, until: new Date(a.until).toISOString() } : { status: a.status };
};

const caps: Check = (v, field, problems) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    problems.push({ field, problem: 'must be an object with perHour and/or perDay' });
    return v;
  }
  objectFields(v as object, ['perHour', 'perDay'], field, problems);
  for (const key of ['perHour', 'perDay'] as const) {
    const n = (v as Record<string, unknown>)[key];
    if (n !== undefined) wholeNumber(0)(n, `${field}.${key}`, problems);
  }
  return v;
};

const manager: Check = (v, field, problems) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    problems.push({ field, problem: 'must be an object with name and optionally email and webhookUrl' });
    return v;
  }
  const m = v as Record<string, unknown>;
  objectFields(m, ['name', 'email', 'webhookUrl'], field, problems);
  text(200)(m.name, `${field}.name`, problems);
  if (m.email !== undefined) email(m.email, `${field}.email`, problems);
  if (m.webhookUrl !== undefined) url(m.webhookUrl, `${field}.webhookUrl`, problems);
  return v;
};

const sla: Check = (v, field, problems) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    problems.push({ field, problem: 'must be an object with acceptWithinMinutes, clock and escalateAfterMisses' });
    return v;
  }
  const s = v as Partial<SlaPolicy>;
  objectFields(s, ['acceptWithinMinutes', 'clock', 'escalateAfterMisses'], field, problems);
  if (typeof s.acceptWithinMinutes !== 'number' || !Number.isInteger(s.acceptWithinMinutes) || s.acceptWithinMinutes <= 0) {
    problems.push({ field: `${field}.acceptWithinMinutes`, problem: 'must be a whole number of minutes greater than 0' });
  }
  const clock = s.clock ?? 'wall';
  if (clock !== 'wall' && clock !== 'working') problems.push({ field: `${field}.clock`, problem: 'must be wall or working' });
  const escalate = s.escalateAfterMisses ?? 2;
  wholeNumber(1)(escalate, `${field}.escalateAfterMisses`, problems);
  return { acceptWithinMinutes: s.acceptWithinMinutes, clock, escalateAfterMisses: escalate };
};

const strategy: Check = (v, field, problems) => {
  if (!STRATEGIES.includes(v as DistributionStrategy)) problems.push({ field, problem: `must be one of ${STRATEGIES.join(', ')}` });
  return v;
};

function objectFields(value: object, allowed: string[], prefix: string, problems: FieldProblem[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push({ field: `${prefix}.${key}`, problem: `unknown field; allowed are ${allowed.join(', ')}` });
  }
}

interface Shape {
  required: Record<string, Check>;
  optional: Record<string, Check>;
}

const REP_SHAPE: Shape = {
  required: { repId: id, teamId: id, name: text(200) },
  optional: {
    email,
    webhookUrl: url,
    phone: e164Phone,
    telephonyIds,
    active: bool,
    timeZone,
    workingHours,
    daysOff: days,
    availability,
    weight: positiveNumber,
    caps,
  },
};

const TEAM_SHAPE: Shape = {
  required: { teamId: id, name: text(200), strategy },
  optional: { holidays: days, manager, sla, stickyOwner: bool },
};

function readShape(body: unknown, shape: Shape, mode: 'create' | 'patch', what: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('the body must be a JSON object');
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const out: Record<string, unknown> = {};
  const all: Record<string, Check> = { ...shape.required, ...shape.optional };
  for (const [field, value] of Object.entries(input)) {
    // Own fields only: `constructor` or `__proto__` in the JSON is an unknown field, not Object's own.
    const check = Object.hasOwn(all, field) ? all[field] : undefined;
    if (!check) {
      problems.push({ field, problem: `unknown field; a ${what} has ${Object.keys(all).join(', ')}` });
      continue;
    }
    if (value === null && mode === 'patch' && Object.hasOwn(shape.optional, field)) {
      out[field] = null;
      continue;
    }
    out[field] = check(value, field, problems);
  }
  if (mode === 'create') {
    for (const field of Object.keys(shape.required)) {
      if (input[field] === undefined) problems.push({ field, problem: `is required to create a ${what}` });
    }
  }
  if (problems.length) throw new ValidationError(`the ${what} is not valid`, problems);
  return out;
}

/** A new rep from the admin API; `active` defaults to true. */
export function parseNewRep(body: unknown): Rep {
  const rep = readShape(body, REP_SHAPE, 'create', 'rep') as unknown as Rep;
  return { ...rep, active: rep.active ?? true };
}

/** A new team from the admin API. */
export function parseNewTeam(body: unknown): Team {
  return readShape(body, TEAM_SHAPE, 'create', 'team') as unknown as Team;
}

/**
 * Applies a patch to a stored record: fields given replace theirs, `null` removes an optional field, the
 * id field cannot change (400 naming it).
 */
function applyPatch<T extends object>(current: T, body: unknown, shape: Shape, what: string, idField: string): T {
  const patch = readShape(body, shape, 'patch', what);
  if (idField in patch && patch[idField] !== (current as Record<string, unknown>)[idField]) {
    throw new ValidationError(`the ${what} is not valid`, [{ field: idField, problem: `cannot change; create a new ${what} instead` }]);
  }
  const next: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  // Only fields the shape knows reach here (readShape refused the rest), so none of them is `__proto__`.
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next as T;
}

/** A rep after an admin's patch. */
export function patchRep(current: Rep, body: unknown): Rep {
  return applyPatch(current, body, REP_SHAPE, 'rep', 'repId');
}

/** A team after an admin's patch. */
export function patchTeam(current: Team, body: unknown): Team {
  return applyPatch(current, body, TEAM_SHAPE, 'team', 'teamId');
}

/** An availability a rep sets for themselves: online, offline, or away until a time in the future. */
export function parseAvailability(body: unknown, now: Date): Availability {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('the body must be a JSON object');
  const problems: FieldProblem[] = [];
  const a = availability(body, 'availability', problems) as Availability;
  for (const p of problems) p.field = p.field.replace(/^availability\./, '');
  if (!problems.length && a.status === 'away') {
    if (!a.until) problems.push({ field: 'until', problem: 'away needs the time you are back (ISO 8601)' });
    else if (Date.parse(a.until) <= now.getTime()) problems.push({ field: 'until', problem: 'must be in the future' });
  }
  if (problems.length) throw new ValidationError('the availability is not valid', problems);
  return a;
}
