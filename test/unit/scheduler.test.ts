import { describe, expect, it } from 'vitest';
import { rateToMs } from '../../infra/local/scheduler.js';
import { topology } from '../../infra/topology.js';

describe('rateToMs', () => {
  it('converts minutes, hours and days to milliseconds', () => {
    expect(rateToMs('rate(1 minute)')).toBe(60_000);
    expect(rateToMs('rate(15 minutes)')).toBe(900_000);
    expect(rateToMs('rate(1 hour)')).toBe(3_600_000);
    expect(rateToMs('rate(6 hours)')).toBe(21_600_000);
    expect(rateToMs('rate(1 day)')).toBe(86_400_000);
    expect(rateToMs('rate(7 days)')).toBe(604_800_000);
  });

  it('reads every schedule expression in the topology', () => {
    expect(rateToMs(topology.schedules['build-reports'].expression)).toBe(15 * 60_000);
  });

  it('rejects cron and at expressions with a message naming the expression', () => {
    expect(() => rateToMs('cron(0 12 * * ? *)')).toThrow(
      'invalid schedule expression "cron(0 12 * * ? *)"',
    );
    expect(() => rateToMs('at(2026-03-05T10:00:00)')).toThrow('invalid schedule expression');
  });

  it('rejects units other than minutes, hours and days', () => {
    expect(() => rateToMs('rate(30 seconds)')).toThrow('invalid schedule expression');
    expect(() => rateToMs('rate(2 weeks)')).toThrow('invalid schedule expression');
  });

  it('rejects fractional, negative and missing values', () => {
    expect(() => rateToMs('rate(1.5 hours)')).toThrow('invalid schedule expression');
    expect(() => rateToMs('rate(-5 minutes)')).toThrow('invalid schedule expression');
    expect(() => rateToMs('rate(minutes)')).toThrow('invalid schedule expression');
  });

  it('rejects expressions with missing or extra spaces or text around them', () => {
    expect(() => rateToMs('rate(15minutes)')).toThrow('invalid schedule expression');
    expect(() => rateToMs('rate(15  minutes)')).toThrow('invalid schedule expression');
    expect(() => rateToMs(' rate(15 minutes)')).toThrow('invalid schedule expression');
    expect(() => rateToMs('rate(15 minutes) ')).toThrow('invalid schedule expression');
  });

  it('rejects a zero rate, which EventBridge refuses', () => {
    expect(() => rateToMs('rate(0 minutes)')).toThrow('invalid schedule expression');
  });

  it('rejects a unit whose number does not agree with the value, as EventBridge does', () => {
    expect(() => rateToMs('rate(1 minutes)')).toThrow('invalid schedule expression');
    expect(() => rateToMs('rate(5 hour)')).toThrow('invalid schedule expression');
  });
});
