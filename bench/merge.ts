// Several load segments of one engine (the bench alternates ours and the baseline: A B B A) merged
// into one result, as if measured in one window: counts and windows add up, latencies are pooled.
import type { LoadResult } from "./load-types.js";
import { summarizeLatencies } from "./stats.js";

/** Merges segments of the same workload on the same engine; throws on an empty list. */
export function mergeLoadResults(segments: readonly LoadResult[]): LoadResult {
  if (segments.length === 0) throw new Error("nothing to merge");
  if (segments.length === 1) return segments[0]!;
  const sum = (pick: (r: LoadResult) => number) => segments.reduce((total, r) => total + pick(r), 0);
  const samples = new Float64Array(sum((r) => r.samples.length));
  let offset = 0;
  for (const segment of segments) {
    samples.set(segment.samples, offset);
    offset += segment.samples.length;
  }
  const statusCodes: Record<string, number> = {};
  for (const segment of segments)
    for (const [code, count] of Object.entries(segment.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const ok = sum((r) => r.ok);
  const elapsedMs = sum((r) => r.elapsedMs);
  const firstFailure = segments.find((r) => r.firstFailure !== undefined)?.firstFailure;
  return {
    ok,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    elapsedMs,
    rps: elapsedMs > 0 ? (ok * 1000) / elapsedMs : 0,
    latency: summarizeLatencies(Array.from(samples)),
    samples,
    statusCodes,
    ...(firstFailure !== undefined ? { firstFailure } : {}),
  };
}
