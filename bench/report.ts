// Turns run records into what people read: ours-vs-baseline comparisons, the issue's target checks
// (information only: the bench asserts nothing), and the table for stdout and for docs/BENCHMARKS.md.
import type { Comparison, RunRecord, TargetCheck } from "./results.js";
import { ratio } from "./stats.js";
import { WORKLOAD_ORDER, WORKLOADS, type WorkloadId } from "./workloads.js";

const CRUD: readonly WorkloadId[] = ["list", "list-count", "view", "create", "update", "delete"];
const CRUD_MIN_RATIO = 0.8;
const LIST_MAX_GROWTH = 1.5;
const BATCH_MIN_SPEEDUP = 5;

/** Pairs every ours run with the baseline run of the same workload, size and concurrency. */
export function compareRuns(runs: readonly RunRecord[]): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const ours of runs.filter((run) => run.engine === "ours")) {
    const baseline = runs.find(
      (run) =>
        run.engine === "baseline" && run.workload === ours.workload && run.size === ours.size && run.concurrency === ours.concurrency,
    );
    if (!baseline) continue;
    comparisons.push({
      workload: ours.workload,
      size: ours.size,
      concurrency: ours.concurrency,
      ours,
      baseline,
      rpsRatio: ratio(ours.rps, baseline.rps),
      p50Ratio: ratio(ours.latency.p50, baseline.latency.p50),
    });
  }
  const order = (c: Comparison) => [c.size, WORKLOAD_ORDER.indexOf(c.workload), c.concurrency];
  return comparisons.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });
}

/** 1000 → "1k", 100000 → "100k", 1000000 → "1M". */
export function formatSize(size: number): string {
  if (size >= 1_000_000 && size % 1_000_000 === 0) return `${size / 1_000_000}M`;
  if (size >= 1_000 && size % 1_000 === 0) return `${size / 1_000}k`;
  return size.toLocaleString("en-US");
}

/** Requests (or items) per second: whole numbers with separators, one decimal below 100. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}

/** Milliseconds with precision that matches their size. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString("en-US");
}

export function formatRatio(value: number | null): string {
  return value === null ? "–" : `${value.toFixed(2)}×`;
}

const find = (comparisons: readonly Comparison[], workload: WorkloadId, size: number, concurrency: number) =>
  comparisons.find((c) => c.workload === workload && c.size === size && c.concurrency === concurrency);

/**
 * The issue's three targets, checked against this run's figures. `fullPagesFrom` is the smallest size
 * at which every owner has a full first page (50 rows): below it the list answers fewer rows, so its
 * growth mixes response size with data size, and the check also reports growth from there on.
 */
export function checkTargets(comparisons: readonly Comparison[], fullPagesFrom?: number): TargetCheck[] {
  const checks: TargetCheck[] = [];

  const crud = comparisons.filter((c) => CRUD.includes(c.workload) && c.rpsRatio !== null);
  const misses = crud.filter((c) => c.rpsRatio! < CRUD_MIN_RATIO).sort((a, b) => a.rpsRatio! - b.rpsRatio!);
  checks.push({
    name: `Enforced CRUD ≥ ${CRUD_MIN_RATIO}× baseline req/s`,
    met: crud.length ? misses.length === 0 : null,
    detail: crud.length
      ? misses.length
        ? `${misses.length} of ${crud.length} below: ${misses.map((c) => `${c.workload} ${formatSize(c.size)} c=${c.concurrency} ${formatRatio(c.rpsRatio)}`).join(", ")}`
        : `all ${crud.length} at or above (lowest ${formatRatio(Math.min(...crud.map((c) => c.rpsRatio!)))})`
      : "no CRUD workload measured",
  });

  const sizes = [...new Set(comparisons.map((c) => c.size))].sort((a, b) => a - b);
  const smallest = sizes[0];
  const largest = sizes[sizes.length - 1];
  for (const workload of ["list", "list-count"] as const) {
    for (const concurrency of [1, 32]) {
      const small = smallest === undefined ? undefined : find(comparisons, workload, smallest, concurrency);
      const large = largest === undefined ? undefined : find(comparisons, workload, largest, concurrency);
      const name = `${WORKLOADS[workload].label}, c=${concurrency}: p50 at ${largest ? formatSize(largest) : "largest"} ≤ ${LIST_MAX_GROWTH}× p50 at ${smallest ? formatSize(smallest) : "smallest"}`;
      if (!small || !large || small === large) {
        checks.push({ name, met: null, detail: "needs two data sizes" });
        continue;
      }
      const full = fullPagesFrom === undefined ? undefined : find(comparisons, workload, fullPagesFrom, concurrency);
      const growth = ratio(large.ours.latency.p50, small.ours.latency.p50);
      checks.push({
        name,
        met: growth === null ? null : growth <= LIST_MAX_GROWTH,
        detail:
          describeGrowth(small, large) +
          (full && full !== small && full !== large
            ? `; with full pages from ${formatSize(full.size)}: ${describeGrowth(full, large)}`
            : ""),
      });
    }
  }

  for (const concurrency of [1, 32]) {
    const name = `Batch of 1,000 ≥ ${BATCH_MIN_SPEEDUP}× faster than 1,000 single creates at c=${concurrency}`;
    const size = [...sizes].reverse().find((s) => find(comparisons, "batch-1000", s, 1) && find(comparisons, "create", s, concurrency));
    if (size === undefined) {
      checks.push({ name, met: null, detail: "needs batch-1000 and create runs at one size" });
      continue;
    }
    const batch = find(comparisons, "batch-1000", size, 1)!;
    const singles = find(comparisons, "create", size, concurrency)!;
    const speedup = (side: "ours" | "baseline") => batchSpeedup(batch[side], singles[side]);
    const ours = speedup("ours");
    checks.push({
      name,
      met: ours === null ? null : ours >= BATCH_MIN_SPEEDUP,
      detail: `at ${formatSize(size)}: ours ${describeSpeedup(batch.ours, singles.ours)}; baseline ${describeSpeedup(batch.baseline, singles.baseline)}`,
    });
  }
  return checks;
}

function describeGrowth(from: Comparison, to: Comparison): string {
  const side = (key: "ours" | "baseline") =>
    `${key} ${formatMs(from[key].latency.p50)} → ${formatMs(to[key].latency.p50)} ms (${formatRatio(ratio(to[key].latency.p50, from[key].latency.p50))})`;
  return `${side("ours")}, ${side("baseline")}`;
}

/** How many times faster 1,000 records go in as one batch than as 1,000 single creates. */
export function batchSpeedup(batch: RunRecord, singles: RunRecord): number | null {
  if (!batch.itemsPerSec || !singles.rps) return null;
  return batch.itemsPerSec / singles.rps;
}

function describeSpeedup(batch: RunRecord, singles: RunRecord): string {
  const speedup = batchSpeedup(batch, singles);
  if (speedup === null) return "not measured (failed runs)";
  const batchSeconds = 1000 / batch.itemsPerSec!;
  const singlesSeconds = 1000 / singles.rps;
  return `${batchSeconds.toFixed(2)} s vs ${singlesSeconds.toFixed(2)} s (${speedup.toFixed(1)}×)`;
}

const HEADER = [
  "workload",
  "todos",
  "conc",
  "ours req/s",
  "ours p50 ms",
  "ours p99 ms",
  "base req/s",
  "base p50 ms",
  "base p99 ms",
  "req/s ratio",
  "p50 ratio",
];

function rows(comparisons: readonly Comparison[]): string[][] {
  return comparisons.map((c) => {
    const failed = (run: RunRecord) => (run.non2xx + run.errors + run.timeouts > 0 ? "!" : "");
    return [
      c.workload,
      formatSize(c.size),
      String(c.concurrency),
      formatRate(c.ours.rps) + failed(c.ours),
      formatMs(c.ours.latency.p50),
      formatMs(c.ours.latency.p99),
      formatRate(c.baseline.rps) + failed(c.baseline),
      formatMs(c.baseline.latency.p50),
      formatMs(c.baseline.latency.p99),
      formatRatio(c.rpsRatio),
      formatRatio(c.p50Ratio),
    ];
  });
}

/** A fixed-width table for the terminal; "!" marks a run with failed requests. */
export function formatTextTable(comparisons: readonly Comparison[]): string {
  const table = [HEADER, ...rows(comparisons)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  return [line(HEADER), widths.map((w) => "-".repeat(w)).join("  "), ...rows(comparisons).map(line)].join("\n");
}

/** The same table in Markdown, for docs/BENCHMARKS.md. */
export function formatMarkdownTable(comparisons: readonly Comparison[]): string {
  const align = HEADER.map((_, i) => (i < 3 ? "---" : "---:"));
  return [HEADER, align, ...rows(comparisons)].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

/** Target checks as lines: ✔ met, ✖ missed, · not measurable here. */
export function formatTargets(checks: readonly TargetCheck[], markdown = false): string {
  return checks
    .map((check) => {
      const mark = check.met === null ? "·" : check.met ? "✔ met" : "✖ missed";
      return markdown ? `- **${mark}** ${check.name}: ${check.detail}` : `${mark.padEnd(8)} ${check.name}\n         ${check.detail}`;
    })
    .join("\n");
}
