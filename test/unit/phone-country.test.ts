import { describe, expect, it } from 'vitest';
import { getCountries, getCountryCallingCode, getExampleNumber, type CountryCode } from 'libphonenumber-js/min';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { countryOfPhone } from '../../shared/domain/phone-country.js';

/** Countries that share a calling code with a larger one (outside +1), where the larger one is answered. */
const SHARED_CODE = new Set(['KZ', 'GG', 'IM', 'JE', 'SJ', 'CX', 'CC', 'YT', 'BL', 'MF', 'BQ', 'EH', 'AX', 'TA', 'VA']);

describe('countryOfPhone', () => {
  it("agrees with libphonenumber's own answer on every country's example mobile number", () => {
    const disagreements: string[] = [];
    for (const country of getCountries()) {
      const example = getExampleNumber(country as CountryCode, examples as never);
      if (!example || SHARED_CODE.has(country)) continue;
      const ours = countryOfPhone(example.number);
      if (ours !== country) disagreements.push(`${country} ${example.number} → ${ours}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('answers the main country of a shared calling code', () => {
    expect(countryOfPhone(`+${getCountryCallingCode('KZ')}7012345678`)).toBe('RU');
    expect(countryOfPhone('+447700900123')).toBe('GB');
  });

  it('tells Canada and the Caribbean from the United States by area code', () => {
    expect(countryOfPhone('+14165550123')).toBe('CA');
    expect(countryOfPhone('+18765550123')).toBe('JM');
    expect(countryOfPhone('+16505550123')).toBe('US');
  });

  it('answers nothing for what is not an E.164 number', () => {
    expect(countryOfPhone('6505550123')).toBeUndefined();
    expect(countryOfPhone('+12')).toBeUndefined();
    expect(countryOfPhone('+0123456789')).toBeUndefined();
  });
});
