import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

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
  const parsed = parsePhoneNumberFromString(text, (defaultCountry?.toUpperCase() as CountryCode) ?? undefined);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}
