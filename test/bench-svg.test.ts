// The hand-made SVG chart: well-formed, log-scaled x, escaped text, one panel per concurrency.
import { describe, expect, it } from "vitest";
import { escapeXml, listLatencyChart, niceTicks, renderChart } from "../bench/svg.js";
import { compareRuns } from "../bench/report.js";
import type { RunRecord } from "../bench/results.js";

function run(workload: "list" | "list-count", size: number, concurrency: number, engine: "ours" | "baseline", p50: number): RunRecord {
  return {
    workload,
    size,
    concurrency,
    engine,
    rps: 100,
    itemsPerSec: null,
    latency: { p50, p90: p50, p99: p50, mean: p50, max: p50 },
    ok: 1,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    elapsedMs: 1,
  };
}

const circles = (svg: string) =>
  [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));

describe("niceTicks", () => {
  it("covers the maximum with round steps from zero", () => {
    expect(niceTicks(9)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.37)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe("renderChart", () => {
  it("places sizes on a log scale: 1k, 100k, 1M are evenly apart", () => {
    const svg = renderChart(
      [
        {
          title: "t",
          series: [
            {
              label: "ours",
              color: "#000",
              points: [
                { x: 1_000, y: 1 },
                { x: 100_000, y: 2 },
                { x: 1_000_000, y: 3 },
              ],
            },
          ],
        },
      ],
      "c",
    );
    const [a, b, c] = circles(svg);
    expect(b!.x - a!.x).toBeCloseTo(2 * (c!.x - b!.x), 0);
    expect(a!.y).toBeGreaterThan(c!.y); // larger latency is drawn higher
  });

  it("escapes text and skips points without a value", () => {
    const svg = renderChart(
      [
        {
          title: "a < b & c",
          series: [
            {
              label: "x",
              color: "#000",
              points: [
                { x: 1, y: Number.NaN },
                { x: 10, y: 1 },
              ],
            },
          ],
        },
      ],
      '"quoted"',
    );
    expect(svg).toContain("a &lt; b &amp; c");
    expect(svg).toContain("&quot;quoted&quot;");
    expect(circles(svg)).toHaveLength(1);
    expect(escapeXml('<&>"')).toBe("&lt;&amp;&gt;&quot;");
  });
});

describe("listLatencyChart", () => {
  it("draws one panel per concurrency with ours and baseline series", () => {
    const runs: RunRecord[] = [];
    for (const size of [1_000, 100_000]) {
      for (const concurrency of [1, 32]) {
        for (const workload of ["list", "list-count"] as const) {
          runs.push(
            run(workload, size, concurrency, "ours", concurrency + size / 100_000),
            run(workload, size, concurrency, "baseline", concurrency),
          );
        }
      }
    }
    const svg = listLatencyChart(compareRuns(runs), "caption");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("concurrency 1");
    expect(svg).toContain("concurrency 32");
    expect(svg.match(/<path /g)).toHaveLength(8); // 2 panels × (ours, baseline) × (skipTotal, with total)
    expect(circles(svg)).toHaveLength(16);
    expect(svg).toContain("ours, skipTotal");
    expect(svg).toContain("baseline, with total");
  });
});
