// Pure logic of the bench report: comparisons, target checks and table formatting.
import { describe, expect, it } from "vitest";
import {
  batchSpeedup,
  checkTargets,
  compareRuns,
  formatMarkdownTable,
  formatMs,
  formatRate,
  formatSize,
  formatTextTable,
} from "../bench/report.js";
import type { RunRecord } from "../bench/results.js";
import type { WorkloadId } from "../bench/workloads.js";

function run(
  workload: WorkloadId,
  size: number,
  concurrency: number,
  engine: "ours" | "baseline",
  rps: number,
  p50: number,
  items = 0,
): RunRecord {
  return {
    workload,
    size,
    concurrency,
    engine,
    rps,
    itemsPerSec: items ? rps * items : null,
    latency: { p50, p90: p50 * 2, p99: p50 * 3, mean: p50, max: p50 * 4 },
    ok: 100,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    elapsedMs: 1000,
  };
}

describe("formatting", () => {
  it("names sizes the way the issue does", () => {
    expect([1_000, 100_000, 1_000_000, 1_500].map(formatSize)).toEqual(["1k", "100k", "1M", "1,500"]);
  });
  it("rounds rates and milliseconds to useful precision", () => {
    expect(formatRate(1234.6)).toBe("1,235");
    expect(formatRate(3.456)).toBe("3.5");
    expect(formatMs(0.456)).toBe("0.46");
    expect(formatMs(45.67)).toBe("45.7");
    expect(formatMs(1234.4)).toBe("1,234");
    expect(formatMs(Number.NaN)).toBe("–");
  });
});

describe("compareRuns", () => {
  it("pairs ours with the baseline of the same workload, size and concurrency, in table order", () => {
    const comparisons = compareRuns([
      run("view", 1_000, 1, "ours", 90, 1.1),
      run("list", 1_000, 1, "baseline", 200, 0.5),
      run("view", 1_000, 1, "baseline", 100, 1),
      run("list", 1_000, 1, "ours", 100, 1),
      run("create", 1_000, 1, "ours", 50, 2), // no baseline: left out
    ]);
    expect(comparisons.map((c) => c.workload)).toEqual(["list", "view"]);
    expect(comparisons[0]!.rpsRatio).toBeCloseTo(0.5);
    expect(comparisons[0]!.p50Ratio).toBeCloseTo(2);
    expect(comparisons[1]!.rpsRatio).toBeCloseTo(0.9);
  });
});

describe("checkTargets", () => {
  const both = (workload: WorkloadId, size: number, concurrency: number, ours: [number, number], baseline: [number, number], items = 0) => [
    run(workload, size, concurrency, "ours", ours[0], ours[1], items),
    run(workload, size, concurrency, "baseline", baseline[0], baseline[1], items),
  ];

  it("flags CRUD workloads under 0.8× the baseline and passes the rest", () => {
    const checks = checkTargets(
      compareRuns([...both("view", 1_000, 1, [85, 1], [100, 1]), ...both("create", 1_000, 32, [70, 1], [100, 1])]),
    );
    const crud = checks[0]!;
    expect(crud.met).toBe(false);
    expect(crud.detail).toContain("create 1k c=32 0.70×");
    expect(crud.detail).not.toContain("view");
    const ok = checkTargets(compareRuns(both("view", 1_000, 1, [85, 1], [100, 1])))[0]!;
    expect(ok.met).toBe(true);
  });

  it("compares list p50 at the largest size with the smallest, and from the first full-page size", () => {
    const runs = [
      ...both("list", 1_000, 1, [1000, 1], [1000, 1]),
      ...both("list", 100_000, 1, [500, 2], [600, 1.8]),
      ...both("list", 1_000_000, 1, [450, 2.2], [500, 2]),
    ];
    const check = checkTargets(compareRuns(runs), 100_000).find((c) => c.name.startsWith("list page 1 of 50, skipTotal, c=1"))!;
    expect(check.met).toBe(false); // 2.2 / 1 = 2.2× > 1.5×
    expect(check.detail).toContain("(2.20×)");
    expect(check.detail).toContain("with full pages from 100k: ours 2.00 → 2.20 ms (1.10×)");
  });

  it("cannot judge list growth from a single size", () => {
    const check = checkTargets(compareRuns(both("list", 1_000, 1, [1, 1], [1, 1]))).find((c) => c.name.includes("skipTotal, c=1"))!;
    expect(check.met).toBeNull();
  });

  it("computes the batch speedup from items/s against single creates/s", () => {
    const runs = [...both("batch-1000", 1_000, 1, [2, 500], [4, 250], 1000), ...both("create", 1_000, 1, [500, 2], [1000, 1])];
    const checks = checkTargets(compareRuns(runs));
    const batch = checks.find((c) => c.name.includes("at c=1"))!;
    expect(batch.met).toBe(false); // ours: 2,000 items/s vs 500 creates/s = 4×
    expect(batch.detail).toContain("ours 0.50 s vs 2.00 s (4.0×)");
    expect(batch.detail).toContain("baseline 0.25 s vs 1.00 s (4.0×)");
    expect(batchSpeedup(runs[0]!, runs[2]!)).toBe(4);
  });
});

describe("tables", () => {
  const comparisons = compareRuns([
    run("list", 1_000, 32, "ours", 1234, 0.5),
    { ...run("list", 1_000, 32, "baseline", 1000, 0.4), non2xx: 3 },
  ]);

  it("prints aligned text with a failure mark", () => {
    const lines = formatTextTable(comparisons).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^workload\s+todos\s+conc\s+ours req\/s/);
    expect(lines[2]).toContain("1,234");
    expect(lines[2]).toContain("1,000!");
    expect(lines[2]).toContain("1.23×");
  });

  it("prints a Markdown table with right-aligned figures", () => {
    const lines = formatMarkdownTable(comparisons).split("\n");
    expect(lines[1]).toBe("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    expect(lines[2]).toBe("| list | 1k | 32 | 1,234 | 0.50 | 1.50 | 1,000! | 0.40 | 1.20 | 1.23× | 1.25× |");
  });
});
