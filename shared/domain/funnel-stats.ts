/** A 95% interval on a proportion, and whether the sample is too small to read anything from it. */
export interface RateInterval {
  rate: number | null;
  low: number | null;
  high: number | null;
  tooFewToJudge: boolean;
}

/** Below this many trials a conversion rate is flagged, whatever its interval. */
export const MIN_TRIALS_TO_JUDGE = 30;
/** An interval wider than this (0.2 = 20 percentage points) is flagged too. */
export const MAX_INTERVAL_WIDTH = 0.2;

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The Wilson score interval of `successes` in `trials` at z = 1.96 (95%). Unlike the normal
 * approximation it stays inside [0, 1] and is honest for small samples and rates near 0 or 1, which
 * is exactly where marketing reports mislead: 1 win of 2 leads is "50%", with an interval of 9%–91%.
 * Flagged `tooFewToJudge` below `MIN_TRIALS_TO_JUDGE` trials or when wider than `MAX_INTERVAL_WIDTH`.
 */
export function wilsonInterval(successes: number, trials: number, z = 1.96): RateInterval {
  if (trials <= 0) return { rate: null, low: null, high: null, tooFewToJudge: true };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  const low = Math.max(0, centre - half);
  const high = Math.min(1, centre + half);
  return {
    rate: round4(p),
    low: round4(low),
    high: round4(high),
    tooFewToJudge: trials < MIN_TRIALS_TO_JUDGE || high - low > MAX_INTERVAL_WIDTH,
  };
}

/** Bands of time from capture to first contact, fastest first; `never` is a lead nobody reached. */
export const RESPONSE_BANDS = ['under_5m', '5m_to_30m', '30m_to_2h', '2h_to_24h', 'over_24h', 'never'] as const;
export type ResponseBand = (typeof RESPONSE_BANDS)[number];

const MINUTE = 60_000;

/** The band a capture-to-contact time falls in (undefined: never contacted). */
export function responseBandOf(captureToContactMs: number | undefined): ResponseBand {
  if (captureToContactMs === undefined) return 'never';
  if (captureToContactMs < 5 * MINUTE) return 'under_5m';
  if (captureToContactMs < 30 * MINUTE) return '5m_to_30m';
  if (captureToContactMs < 120 * MINUTE) return '30m_to_2h';
  if (captureToContactMs < 24 * 60 * MINUTE) return '2h_to_24h';
  return 'over_24h';
}

/** The middle value (mean of the two middle ones, rounded, for an even count); null for none. */
export { median } from './source-report.js';
