import { describe, expect, it } from 'vitest';
import { isTimeZone, parseAvailability, parseNewRep, parseNewTeam, patchRep, patchTeam } from '../../shared/domain/directory-input.js';
import { ValidationError } from '../../shared/domain/errors.js';

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields.map((f) => f.field).sort();
  }
  throw new Error('expected a 400');
}

const rep = { repId: 'ana', teamId: 'sales', name: 'Ana' };
const team = { teamId: 'sales', name: 'Sales', strategy: 'round_robin' };

describe('rep input', () => {
  it('takes a full rep and makes it active by default', () => {
    const parsed = parseNewRep({
      ...rep,
      timeZone: 'Europe/Berlin',
      workingHours: { mon: ['09:00-17:00'], fri: ['22:00-02:00'] },
      daysOff: ['2026-12-24'],
      weight: 2.5,
      caps: { perHour: 3, perDay: 20 },
      availability: { status: 'away', until: '2026-04-01T08:00:00+02:00' },
    });
    expect(parsed).toMatchObject({ active: true, availability: { status: 'away', until: '2026-04-01T06:00:00.000Z' } });
  });

  it('accepts IANA zones and refuses offsets, abbreviations and unknown places', () => {
    expect(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires'].every(isTimeZone)).toBe(true);
    expect(['+02:00', 'CEST', 'Mars/Olympus', 'europe berlin', ''].some(isTimeZone)).toBe(false);
  });

  it('names every bad field at once', () => {
    expect(
      fieldsOf(() =>
        parseNewRep({
          ...rep,
          repId: 'Ana Smith',
          timeZone: 'Mars/Olympus',
          workingHours: { mon: ['9-17', '10:00-10:00'], funday: [] },
          weight: 0,
          caps: { perHour: 1.5, perDay: -1 },
          extra: true,
        }),
      ),
    ).toEqual(['caps.perDay', 'caps.perHour', 'extra', 'repId', 'timeZone', 'weight', 'workingHours.funday', 'workingHours.mon[0]', 'workingHours.mon[1]']);
  });

  it('takes a rep\'s E.164 phone and telephony ids, trimmed, for matching their calls', () => {
    const parsed = parseNewRep({ ...rep, phone: ' +14155550100 ', telephonyIds: ['101', ' ana@example.com '] });
    expect(parsed).toMatchObject({ phone: '+14155550100', telephonyIds: ['101', 'ana@example.com'] });
    expect(patchRep(parsed, { phone: null, telephonyIds: ['102'] })).toEqual({ ...rep, active: true, telephonyIds: ['102'] });
  });

  it('refuses a phone not written in E.164 and telephony ids that are not a list of non-empty strings', () => {
    expect(fieldsOf(() => parseNewRep({ ...rep, phone: '(415) 555-0100', telephonyIds: ['101', '', 7] }))).toEqual([
      'phone',
      'telephonyIds[1]',
      'telephonyIds[2]',
    ]);
    expect(fieldsOf(() => parseNewRep({ ...rep, telephonyIds: '101' }))).toEqual(['telephonyIds']);
    expect(fieldsOf(() => parseNewRep({ ...rep, telephonyIds: Array.from({ length: 21 }, (_, i) => String(i)) }))).toEqual(['telephonyIds']);
  });

  it('names the required fields a create lacks', () => {
    expect(fieldsOf(() => parseNewRep({}))).toEqual(['name', 'repId', 'teamId']);
  });

  it('patches fields, removes one with null, and refuses to change the id', () => {
    const stored = parseNewRep({ ...rep, weight: 2 });
    expect(patchRep(stored, { weight: null, name: 'Ana B' })).toEqual({ ...rep, name: 'Ana B', active: true });
    expect(fieldsOf(() => patchRep(stored, { repId: 'other' }))).toEqual(['repId']);
  });
});

describe('team input', () => {
  it('takes an SLA and fills its clock and escalation defaults', () => {
    expect(parseNewTeam({ ...team, sla: { acceptWithinMinutes: 15 } }).sla).toEqual({ acceptWithinMinutes: 15, clock: 'wall', escalateAfterMisses: 2 });
  });

  it('refuses SLA minutes that are not above zero, an unknown clock and an unknown strategy', () => {
    expect(fieldsOf(() => parseNewTeam({ ...team, strategy: 'random', sla: { acceptWithinMinutes: 0, clock: 'moon' } }))).toEqual([
      'sla.acceptWithinMinutes',
      'sla.clock',
      'strategy',
    ]);
  });

  it('checks a manager webhook and holidays on a patch', () => {
    const stored = parseNewTeam(team);
    expect(fieldsOf(() => patchTeam(stored, { manager: { name: 'Mo', webhookUrl: 'ftp://x' }, holidays: ['2026-02-30'] }))).toEqual([
      'holidays[0]',
      'manager.webhookUrl',
    ]);
  });
});

describe('rep availability', () => {
  const now = new Date('2026-03-01T10:00:00Z');

  it('takes online, offline, and away until a future time', () => {
    expect(parseAvailability({ status: 'online' }, now)).toEqual({ status: 'online' });
    expect(parseAvailability({ status: 'away', until: '2026-03-01T12:00:00Z' }, now)).toEqual({ status: 'away', until: '2026-03-01T12:00:00.000Z' });
  });

  it('needs a future until for away, and none for the others', () => {
    expect(fieldsOf(() => parseAvailability({ status: 'away' }, now))).toEqual(['until']);
    expect(fieldsOf(() => parseAvailability({ status: 'away', until: '2026-03-01T09:00:00Z' }, now))).toEqual(['until']);
    expect(fieldsOf(() => parseAvailability({ status: 'online', until: '2026-03-01T12:00:00Z' }, now))).toEqual(['until']);
    expect(fieldsOf(() => parseAvailability({ status: 'busy' }, now))).toEqual(['status']);
  });
});
