import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import {
  getCountries,
  getCountryCallingCode,
  getExampleNumber,
  parseDigits,
  parsePhoneNumberFromString,
  PhoneNumber,
  type CountryCode,
  type MetadataJson,
} from 'libphonenumber-js/core';
import maxMetadata from 'libphonenumber-js/max/metadata';
import minMetadata from 'libphonenumber-js/min/metadata';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { generatePhoneMetadata, PHONE_METADATA_PATH } from '../../infra/build/phone-metadata.js';
import { normalizePhone } from '../../shared/domain/normalize-phone.js';

const trimmedMetadata = JSON.parse(readFileSync(PHONE_METADATA_PATH, 'utf8')) as MetadataJson & {
  libphonenumberJsVersion: string;
};
const installedVersion = (
  createRequire(import.meta.url)('libphonenumber-js/package.json') as { version: string }
).version;

const countries = getCountries(minMetadata);
const nonGeographicCodes = Object.keys(minMetadata.nonGeographic);

/**
 * Default countries tried on every rendering besides none and the number's own: the ones whose parsing
 * rules differ most (transform rules that prepend an area code or a 9, carrier codes, shared calling
 * codes, international prefixes other than 00, a national prefix kept in the number).
 */
const TRICKY_DEFAULTS: CountryCode[] = [
  'US', 'CA', 'VI', 'AG', 'RU', 'KZ', 'GB', 'GG', 'DE', 'FR', 'IT', 'BR', 'CO',
  'AR', 'MX', 'JP', 'AU', 'CN', 'IN', 'SM', 'MG', 'GA', 'NF', 'CL', 'KR',
];

/** What parsing answers about a text: everything normalizePhone and qualification could rely on. */
function parseOutcome(text: string, defaultCountry: CountryCode | undefined, metadata: MetadataJson): string {
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode, metadata);
  if (!parsed) return 'not parsed';
  const valid = parsed.isValid();
  return `${parsed.number} country=${parsed.country ?? '-'} valid=${valid} type=${parsed.getType() ?? '-'}`;
}

/** Compares trimmed and full min metadata on each text under each default, returning the disagreements. */
function disagreements(texts: string[], defaults: (CountryCode | undefined)[]): { cases: number; differing: string[] } {
  const differing: string[] = [];
  let cases = 0;
  for (const text of texts) {
    for (const defaultCountry of defaults) {
      cases++;
      const full = parseOutcome(text, defaultCountry, minMetadata);
      const trimmed = parseOutcome(text, defaultCountry, trimmedMetadata);
      if (full !== trimmed) differing.push(`"${text}" default ${defaultCountry ?? 'none'}: ${full} ≠ ${trimmed}`);
    }
  }
  return { cases, differing };
}

/** The ways people and platforms write a number, each produced by the full library's formatter. */
function renderings(phone: PhoneNumber): string[] {
  const cc = phone.countryCallingCode;
  const national = phone.nationalNumber;
  const international = phone.formatInternational();
  const nationalFormat = phone.formatNational();
  const grouped = `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
  return [
    phone.number,
    international,
    international.replace(/ /g, '-'),
    nationalFormat,
    phone.formatNational({ nationalPrefix: false }),
    parseDigits(nationalFormat),
    nationalFormat.replace(/ /g, '-'),
    grouped,
    `+${cc} ${grouped}`,
    national,
    `${cc}${national}`,
    `00${cc}${national}`,
    `00 ${international.slice(1)}`,
    phone.format('IDD', { fromCountry: 'US' }) ?? phone.number,
    phone.getURI(),
  ];
}

/** National numbers drawn from each country's own fixed-line, mobile, toll-free, ... patterns (max metadata). */
function numbersFromTypePatterns(samplesPerType: number): { country: CountryCode; phone: PhoneNumber }[] {
  const numbers: { country: CountryCode; phone: PhoneNumber }[] = [];
  for (const country of countries) {
    const types = maxMetadata.countries[country]?.[11] as ([string, number[]?] | 0 | null)[] | undefined;
    for (const type of types ?? []) {
      if (!type || !type[0]) continue;
      const national = fc.stringMatching(new RegExp(`^(?:${type[0]})$`));
      for (const digits of fc.sample(national, { numRuns: samplesPerType, seed: 7 })) {
        const e164 = `+${getCountryCallingCode(country, minMetadata)}${digits}`;
        numbers.push({ country, phone: new PhoneNumber(e164, minMetadata) });
      }
    }
  }
  return numbers;
}

describe('phone metadata', () => {
  it('equals a fresh generation from the installed libphonenumber-js, so an upgrade forces regeneration', () => {
    const committed = readFileSync(PHONE_METADATA_PATH, 'utf8');
    expect(trimmedMetadata.libphonenumberJsVersion, 'run: npx tsx infra/build/phone-metadata.ts').toBe(
      installedVersion,
    );
    expect(committed === generatePhoneMetadata(), 'run: npx tsx infra/build/phone-metadata.ts').toBe(true);
  });

  it('leaves out the national formats and keeps every country and calling code of the min metadata', () => {
    expect(Object.keys(trimmedMetadata.countries)).toEqual(Object.keys(minMetadata.countries));
    expect(Object.keys(trimmedMetadata.nonGeographic)).toEqual(nonGeographicCodes);
    expect(trimmedMetadata.country_calling_codes).toEqual(minMetadata.country_calling_codes);
    const plans = [...Object.values(trimmedMetadata.countries), ...Object.values(trimmedMetadata.nonGeographic)];
    expect(plans.filter((plan) => plan?.[4]).length).toBe(0);
    expect(JSON.stringify(trimmedMetadata).length).toBeLessThan(JSON.stringify(minMetadata).length / 2);
  });

  it("parses every country's example mobile number, written 15 ways, as the full min metadata does under every default tried", () => {
    const { cases, differing } = countries.reduce(
      (total, country) => {
        const example = getExampleNumber(country, mobileExamples, minMetadata);
        if (!example) return total;
        const result = disagreements(renderings(example), [undefined, country, ...TRICKY_DEFAULTS]);
        return { cases: total.cases + result.cases, differing: [...total.differing, ...result.differing] };
      },
      { cases: 0, differing: [] as string[] },
    );
    expect(differing).toEqual([]);
    expect(cases).toBeGreaterThan(countries.length * 15 * 20);
  });

  it("parses numbers drawn from every country's fixed-line, mobile, toll-free and other type patterns as the full min metadata does", () => {
    const numbers = numbersFromTypePatterns(2);
    let cases = 0;
    const differing: string[] = [];
    for (const { country, phone } of numbers) {
      const result = disagreements(renderings(phone), [undefined, country, 'US', 'GB']);
      cases += result.cases;
      differing.push(...result.differing);
    }
    expect(differing).toEqual([]);
    expect(numbers.length).toBeGreaterThan(1000);
    expect(cases).toBeGreaterThan(50_000);
  });

  it('agrees with the full min metadata on random digit strings with any prefix, under any default country', () => {
    const prefix = fc.constantFrom('', '+', '00', '0', '1', '8', '011', '810', ...nonGeographicCodes.map((code) => `+${code}`));
    const defaultCountry = fc.constantFrom<CountryCode | undefined>(undefined, ...countries);
    fc.assert(
      fc.property(prefix, fc.stringMatching(/^[0-9]{1,17}$/), defaultCountry, (head, digits, country) => {
        const text = `${head}${digits}`;
        expect(parseOutcome(text, country, trimmedMetadata)).toBe(parseOutcome(text, country, minMetadata));
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with the full min metadata on example numbers whose last digits are replaced at random", () => {
    const edited = fc
      .record({
        country: fc.constantFrom(...countries),
        keep: fc.integer({ min: 1, max: 9 }),
        tail: fc.stringMatching(/^[0-9]{0,8}$/),
        defaultCountry: fc.constantFrom<CountryCode | undefined>(undefined, ...TRICKY_DEFAULTS),
        international: fc.boolean(),
      })
      .map(({ country, keep, tail, defaultCountry, international }) => {
        const example = getExampleNumber(country, mobileExamples, minMetadata);
        const national = `${example?.nationalNumber.slice(0, keep) ?? ''}${tail}`;
        const text = international ? `+${example?.countryCallingCode ?? ''}${national}` : national;
        return { text, defaultCountry: defaultCountry ?? (international ? undefined : country) };
      });
    fc.assert(
      fc.property(edited, ({ text, defaultCountry }) => {
        expect(parseOutcome(text, defaultCountry, trimmedMetadata)).toBe(parseOutcome(text, defaultCountry, minMetadata));
      }),
      { numRuns: 5000 },
    );
  });

  it("makes normalizePhone answer the full min metadata's E.164 for every example number written without a 00 prefix", () => {
    const differing: string[] = [];
    for (const country of countries) {
      const example = getExampleNumber(country, mobileExamples, minMetadata);
      for (const text of example ? renderings(example).filter((written) => !written.startsWith('00')) : []) {
        const parsed = parsePhoneNumberFromString(text, country, minMetadata);
        const expected = parsed?.isValid() ? parsed.number : undefined;
        const actual = normalizePhone(text, country.toLowerCase());
        if (actual !== expected) differing.push(`"${text}" ${country}: ${String(expected)} ≠ ${String(actual)}`);
      }
    }
    expect(differing).toEqual([]);
  });
});
