// A dependency-free SVG line chart: latency against data size (log scale), one panel per concurrency,
// ours against the baseline. Plain string building, so it renders anywhere (GitHub, browsers).
import type { Comparison } from "./results.js";
import { formatMs, formatSize } from "./report.js";
import type { WorkloadId } from "./workloads.js";

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  label: string;
  color: string;
  dashed?: boolean;
  points: ChartPoint[];
}

export interface ChartPanel {
  title: string;
  series: ChartSeries[];
}

/** Escapes text for SVG content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Round tick values from 0 to at least `max` (about five of them). */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let value = 0; value < max + step * 0.999; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

const PANEL = { width: 440, height: 300, left: 56, right: 16, top: 40, bottom: 48 };
const LEGEND_HEIGHT = 28;

function renderPanel(panel: ChartPanel, offsetX: number, xs: number[]): string {
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const ys = panel.series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  const ticks = niceTicks(Math.max(...ys, 0));
  const yMax = ticks[ticks.length - 1]!;
  const decimals = Math.max(...ticks.map((tick) => (String(tick).split(".")[1] ?? "").length));
  const [xMin, xMax] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const px = (x: number) => offsetX + PANEL.left + (xMax === xMin ? plotW / 2 : ((Math.log10(x) - xMin) / (xMax - xMin)) * plotW);
  const py = (y: number) => PANEL.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [];
  parts.push(
    `<text x="${offsetX + PANEL.width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`,
  );
  for (const tick of ticks) {
    const y = py(tick).toFixed(1);
    parts.push(`<line x1="${offsetX + PANEL.left}" y1="${y}" x2="${offsetX + PANEL.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(
      `<text x="${offsetX + PANEL.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${tick.toFixed(decimals)}</text>`,
    );
  }
  for (const x of xs) {
    const X = px(x).toFixed(1);
    parts.push(`<line x1="${X}" y1="${PANEL.top}" x2="${X}" y2="${PANEL.top + plotH}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${X}" y="${PANEL.top + plotH + 16}" text-anchor="middle" font-size="11">${escapeXml(formatSize(x))}</text>`);
  }
  parts.push(`<rect x="${offsetX + PANEL.left}" y="${PANEL.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  parts.push(
    `<text x="${offsetX + PANEL.left + plotW / 2}" y="${PANEL.top + plotH + 36}" text-anchor="middle" font-size="11">todos in the table (log scale)</text>`,
  );
  parts.push(
    `<text transform="translate(${offsetX + 14} ${PANEL.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="11">p50 latency (ms)</text>`,
  );
  for (const series of panel.series) {
    const points = series.points.filter((p) => Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    if (points.length === 0) continue;
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    const path = points.map((p, i) => `${i ? "L" : "M"}${px(p.x).toFixed(1)} ${py(p.y).toFixed(1)}`).join(" ");
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
    for (const p of points)
      parts.push(
        `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${series.color}"><title>${escapeXml(`${series.label}: ${formatMs(p.y)} ms at ${formatSize(p.x)}`)}</title></circle>`,
      );
  }
  return parts.join("\n");
}

/** Side-by-side panels sharing one legend (taken from the first panel's series); caption lines below. */
export function renderChart(panels: readonly ChartPanel[], caption: string): string {
  const xs = [...new Set(panels.flatMap((panel) => panel.series.flatMap((s) => s.points.map((p) => p.x))))].filter((x) => x > 0);
  const captionLines = caption.split("\n");
  const width = PANEL.width * Math.max(panels.length, 1);
  const height = PANEL.height + LEGEND_HEIGHT + 6 + 15 * captionLines.length;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ];
  if (xs.length) panels.forEach((panel, i) => parts.push(renderPanel(panel, i * PANEL.width, xs)));
  else parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text>`);
  const legend = panels[0]?.series ?? [];
  legend.forEach((series, i) => {
    const x = 20 + i * 210;
    const y = PANEL.height + 8;
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    parts.push(`<line x1="${x}" y1="${y}" x2="${x + 26}" y2="${y}" stroke="${series.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${x + 32}" y="${y}" dominant-baseline="middle" font-size="12">${escapeXml(series.label)}</text>`);
  });
  captionLines.forEach((line, i) => {
    parts.push(`<text x="20" y="${PANEL.height + LEGEND_HEIGHT + 12 + 15 * i}" font-size="11" fill="#555">${escapeXml(line)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

const OURS = "#1f6feb";
const BASELINE = "#8b949e";

/** The bench chart: list p50 against data size at each concurrency, ours vs baseline, with and without the total count. */
export function listLatencyChart(comparisons: readonly Comparison[], caption: string): string {
  const concurrencies = [...new Set(comparisons.map((c) => c.concurrency))].sort((a, b) => a - b);
  const series = (workload: WorkloadId, concurrency: number, side: "ours" | "baseline", label: string, dashed: boolean): ChartSeries => ({
    label,
    color: side === "ours" ? OURS : BASELINE,
    dashed,
    points: comparisons
      .filter((c) => c.workload === workload && c.concurrency === concurrency)
      .map((c) => ({ x: c.size, y: c[side].latency.p50 })),
  });
  const panels = concurrencies
    .filter((concurrency) => comparisons.some((c) => c.workload === "list" && c.concurrency === concurrency))
    .map((concurrency) => ({
      title: `Owner-scoped list, page 1 of 50, concurrency ${concurrency}`,
      series: [
        series("list", concurrency, "ours", "ours, skipTotal", false),
        series("list", concurrency, "baseline", "baseline, skipTotal", false),
        series("list-count", concurrency, "ours", "ours, with total", true),
        series("list-count", concurrency, "baseline", "baseline, with total", true),
      ],
    }));
  return renderChart(panels, caption);
}
