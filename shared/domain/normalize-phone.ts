import { parsePhoneNumberFromString, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
import phoneMetadata from './phone-metadata.json' with { type: 'json' };

// libphonenumber-js's min metadata without the national formats, which only formatting reads: about
// 50 KB less in every function that normalizes phones. infra/build/phone-metadata.ts generates it and
// test/unit/phone-metadata.test.ts holds it equal to the full metadata for parsing and validation.
// The cast is needed because a JSON import's inferred type widens country codes to string.
const metadata = phoneMetadata as MetadataJson;

/**
 * Normalizes a phone number as people and platforms write it to E.164, using the source's default
 * country for numbers written without one. Returns undefined when it is not a valid number.
 */
export function normalizePhone(raw: string | number, defaultCountry?: string): string | undefined {
  let text = String(raw).trim();
  // Meta writes phone answers as "p:+15551234567".
  text = text.replace(/^p:/i, '');
  // A leading 00 is the international call prefix in most of the world.
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  const parsed = parsePhoneNumberFromString(text, (defaultCountry?.toUpperCase() as CountryCode) ?? undefined, metadata);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}
