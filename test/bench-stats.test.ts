// Pure logic of the bench: percentiles, ratios and merging load segments. No engine involved.
import { describe, expect, it } from "vitest";
import { percentile, ratio, summarizeLatencies } from "../bench/stats.js";
import { mergeLoadResults } from "../bench/merge.js";
import type { LoadResult } from "../bench/load-types.js";

describe("percentile (nearest rank)", () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it("picks the smallest value with p% of samples at or below it", () => {
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([5, 7, 9], 50)).toBe(7);
    expect(percentile([5, 7, 9], 99)).toBe(9);
  });

  it("is NaN without samples", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(summarizeLatencies([]).p99).toBeNaN();
  });

  it("summarizes unsorted samples", () => {
    const summary = summarizeLatencies([3, 1, 2, 10]);
    expect(summary).toEqual({ p50: 2, p90: 10, p99: 10, mean: 4, max: 10 });
  });
});

describe("ratio", () => {
  it("divides ours by the baseline", () => {
    expect(ratio(80, 100)).toBeCloseTo(0.8);
  });
  it("is null when a side is missing, not finite or the baseline is zero", () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(undefined, 1)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
  });
});

function segment(ok: number, elapsedMs: number, samples: number[], extra: Partial<LoadResult> = {}): LoadResult {
  return {
    ok,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    elapsedMs,
    rps: (ok * 1000) / elapsedMs,
    latency: summarizeLatencies(samples),
    samples: Float64Array.from(samples),
    statusCodes: { 200: ok },
    ...extra,
  };
}

describe("mergeLoadResults", () => {
  it("adds counts and windows and pools the latencies", () => {
    const merged = mergeLoadResults([
      segment(100, 1000, [1, 1, 1]),
      segment(300, 1000, [5, 5, 5], { non2xx: 2, statusCodes: { 200: 300, 404: 2 }, firstFailure: "404 gone" }),
    ]);
    expect(merged.ok).toBe(400);
    expect(merged.elapsedMs).toBe(2000);
    expect(merged.rps).toBe(200);
    expect(merged.non2xx).toBe(2);
    expect(merged.statusCodes).toEqual({ 200: 400, 404: 2 });
    expect(merged.latency.p50).toBe(1);
    expect(merged.latency.max).toBe(5);
    expect(merged.samples).toHaveLength(6);
    expect(merged.firstFailure).toBe("404 gone");
  });

  it("returns a single segment unchanged and refuses none", () => {
    const only = segment(1, 10, [2]);
    expect(mergeLoadResults([only])).toBe(only);
    expect(() => mergeLoadResults([])).toThrow();
  });
});
