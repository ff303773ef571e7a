import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { MetadataJson } from 'libphonenumber-js/core';

/** Where the trimmed metadata lives; `shared/domain/normalize-phone.ts` imports it. */
export const PHONE_METADATA_PATH = fileURLToPath(new URL('../../shared/domain/phone-metadata.json', import.meta.url));

/** The metadata layout this trimming was worked out for (libphonenumber-js `source/metadata.js`, "v4"). */
const STUDIED_METADATA_VERSION = 4;

/**
 * Positions in a v4 numbering-plan tuple that only formatting reads. Parsing a number, `isValid()` and
 * `getType()` read all the others: calling code (0), international prefix (1), national number
 * pattern (2), possible lengths (3), national prefix (5), national prefix for parsing (7) and its
 * transform rule (8), the leading digits that pick a country inside a shared calling code (10), and the
 * per-type patterns with their lengths (11). Dropped, because no parse, validation or type path reads them:
 * - 4: national formats: `format()`, `AsYouType` and `findPhoneNumbersInText`'s leniency checks only;
 * - 6: national prefix formatting rule: read through a format, or by `AsYouType`;
 * - 9: "national prefix is optional when formatting": the same (parsing never checks it);
 * - 12: default international prefix: `format(..., 'IDD')` only;
 * - 13: extension prefix: `format()` only, when the number has an extension.
 */
const FORMATTING_ONLY_POSITIONS: readonly number[] = [4, 6, 9, 12, 13];

type NumberingPlan = unknown[];

/**
 * A numbering plan without its formatting-only fields. Dropped fields become 0, the package's own
 * "absent" in compressed metadata, and trailing absent fields are cut as the package itself does.
 */
function trimNumberingPlan(plan: NumberingPlan): NumberingPlan {
  const trimmed = plan.map((field, position) => (FORMATTING_ONLY_POSITIONS.includes(position) ? 0 : field));
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === 0) trimmed.pop();
  return trimmed;
}

function trimPlans(plans: Record<string, NumberingPlan>): Record<string, NumberingPlan> {
  return Object.fromEntries(Object.entries(plans).map(([key, plan]) => [key, trimNumberingPlan(plan)]));
}

/**
 * The package's min metadata without what only formatting reads: leadflow parses numbers and keeps
 * E.164, and the national formats were ~50 KB of every intake function's bundle. Throws on a metadata
 * layout other than the one studied, so an upgrade that changes it cannot drop a field parsing needs.
 */
export function trimPhoneMetadata(min: MetadataJson, libraryVersion: string): Record<string, unknown> {
  if (min.version !== STUDIED_METADATA_VERSION) {
    throw new Error(
      `libphonenumber-js ${libraryVersion} ships metadata version ${String(min.version)}; ` +
        `infra/build/phone-metadata.ts knows which fields parsing reads only in version ${STUDIED_METADATA_VERSION}`,
    );
  }
  return {
    generatedBy: 'infra/build/phone-metadata.ts (npx tsx infra/build/phone-metadata.ts); do not edit',
    libphonenumberJsVersion: libraryVersion,
    version: min.version,
    country_calling_codes: min.country_calling_codes,
    countries: trimPlans(min.countries as Record<string, NumberingPlan>),
    nonGeographic: trimPlans(min.nonGeographic),
  };
}

/** JSON with one numbering plan per line, so a regeneration's diff names the countries that changed. */
function renderJson(metadata: Record<string, unknown>): string {
  const members = Object.entries(metadata).map(([key, value]) => {
    const isPlanTable = key === 'countries' || key === 'nonGeographic';
    if (!isPlanTable) return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    const plans = Object.entries(value as Record<string, NumberingPlan>).map(
      ([code, plan]) => `    ${JSON.stringify(code)}: ${JSON.stringify(plan)}`,
    );
    return `  ${JSON.stringify(key)}: {\n${plans.join(',\n')}\n  }`;
  });
  return `{\n${members.join(',\n')}\n}\n`;
}

/** The text `shared/domain/phone-metadata.json` must have for the installed libphonenumber-js. */
export function generatePhoneMetadata(): string {
  const require = createRequire(import.meta.url);
  const min = require('libphonenumber-js/metadata.min.json') as MetadataJson;
  const { version } = JSON.parse(readFileSync(require.resolve('libphonenumber-js/package.json'), 'utf8')) as {
    version: string;
  };
  return renderJson(trimPhoneMetadata(min, version));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(PHONE_METADATA_PATH, generatePhoneMetadata());
  console.log(`wrote ${PHONE_METADATA_PATH}`);
}
