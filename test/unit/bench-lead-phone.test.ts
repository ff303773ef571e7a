import { describe, expect, it } from 'vitest';
import { leadBody, leadPhone } from '../bench/lead-api.js';
import { normalizePhone } from '../../shared/domain/normalize-phone.js';

describe('bench lead phones', () => {
  it('gives every lead of the scenarios one platform runs its own phone, so none is merged into another', () => {
    const runs: Array<[string, number]> = [['burst', 1000], ['burst-warmup', 10], ['probe', 30], ['probe-person', 100], ['intake', 3000], ['intake-warmup', 40]];
    const phones = runs.flatMap(([scenario, n]) => Array.from({ length: n }, (_, i) => leadPhone(scenario, i)));
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('puts a phone the platform accepts as a valid US number into each lead body', () => {
    for (const index of [0, 9_999, 10_000, 799_999]) {
      const { phone } = JSON.parse(leadBody('run', 'burst', index)) as { phone: string };
      expect(normalizePhone(phone, 'US')).toBe(phone.replaceAll(' ', ''));
    }
  });

  it('refuses an index it cannot give a distinct phone', () => {
    expect(() => leadPhone('burst', 800_000)).toThrow(/800000/);
  });
});
