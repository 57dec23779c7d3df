// Latency statistics computed from every response time the load driver saw (autocannon's own
// histogram rounds to whole milliseconds, too coarse for sub-millisecond loopback requests).

export interface LatencySummary {
  /** Milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/**
 * The p-th percentile (0–100) of ascending-sorted samples by the nearest-rank method: the smallest
 * sample with at least p% of all samples at or below it. NaN when there are no samples.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  const rank = Math.ceil((Math.min(p, 100) / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1]!;
}

/** p50/p90/p99/mean/max of unsorted samples (milliseconds); NaN fields when there are none. */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  const mean = values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN;
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    mean,
    max: values.length ? values[values.length - 1]! : Number.NaN,
  };
}

/** ours / baseline, or null when either side is missing or the baseline is zero. */
export function ratio(ours: number | undefined, baseline: number | undefined): number | null {
  if (ours === undefined || baseline === undefined || !Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) return null;
  return ours / baseline;
}
