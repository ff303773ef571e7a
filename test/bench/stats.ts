/** Order statistics of a sample, in the sample's unit (milliseconds unless said otherwise). */
export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile `p` (0–100) of values already sorted ascending; NaN for no values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Summarizes a sample; every field is NaN when it is empty. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    count: sorted.length,
    min: sorted.length ? sorted[0]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted.at(-1)! : Number.NaN,
  };
}

/** Rounds for reports: one decimal below 100, whole numbers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Math.abs(value) < 100 ? Math.round(value * 10) / 10 : Math.round(value);
}

/** A summary with every figure rounded for reports. */
export function rounded(summary: Summary): Summary {
  return Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, k === 'count' ? v : round(v)])) as unknown as Summary;
}
