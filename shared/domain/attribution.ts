import type { Attribution } from '../../events/lead-captured.js';

const TRACKED_KEYS = [
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id',
  'gclid', 'gbraid', 'wbraid', 'fbclid', 'yclid', 'msclkid', 'ttclid',
] as const;
type TrackedKey = (typeof TRACKED_KEYS)[number];
const TRACKED = new Set<string>(TRACKED_KEYS);

/** Keys compare case- and whitespace-insensitively: forms send "UTM_Source", " utm_source". */
function canonicalKey(key: string): string {
  return key.trim().toLowerCase();
}

/** Ad platforms leave macros such as `{campaign_id}` or `{{ad.name}}` unsubstituted in test clicks. */
function isUnsubstitutedMacro(value: string): boolean {
  return /^\{+[^{}]*\}+$/.test(value) || /^\[[^[\]]*\]$/.test(value);
}

function firstUsable(values: Iterable<string>): string | undefined {
  for (const v of values) {
    const t = v.trim();
    if (t && !isUnsubstitutedMacro(t)) return t.slice(0, 500);
  }
  return undefined;
}

function trackedFromParams(params: URLSearchParams): Partial<Record<TrackedKey, string>> {
  const found = new Map<string, string[]>();
  for (const [k, v] of params) {
    const key = canonicalKey(k);
    if (TRACKED.has(key)) found.set(key, [...(found.get(key) ?? []), v]);
  }
  const out: Partial<Record<TrackedKey, string>> = {};
  for (const [k, vs] of found) {
    const v = firstUsable(vs);
    if (v) out[k as TrackedKey] = v;
  }
  return out;
}

function searchParamsOf(url: string | undefined): URLSearchParams | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).searchParams;
  } catch {
    return undefined;
  }
}

/**
 * Collects UTM parameters and click ids from the submitted fields, then the page URL's query, then the
 * referrer's query; the first usable value wins, in that order. Within one place, a key given twice
 * keeps its first usable value.
 */
export function extractAttribution(
  fields: Iterable<[string, string]>,
  pageUrl?: string,
  referrer?: string,
): Attribution {
  const fromFields = trackedFromParams(new URLSearchParams([...fields]));
  const fromPage = trackedFromParams(searchParamsOf(pageUrl) ?? new URLSearchParams());
  const fromReferrer = trackedFromParams(searchParamsOf(referrer) ?? new URLSearchParams());
  const attribution: Attribution = { ...fromReferrer, ...fromPage, ...fromFields };
  if (pageUrl) attribution.landingPage = pageUrl;
  if (referrer) attribution.referrer = referrer;
  return attribution;
}

/** True when a field name is an attribution parameter rather than an answer. */
export function isAttributionKey(key: string): boolean {
  return TRACKED.has(canonicalKey(key));
}
