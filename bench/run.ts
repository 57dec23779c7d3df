// npm run bench [-- --full]: ours (the project's rules and hooks) against the baseline (same engine,
// same collections, no rules, no hooks), on loopback, with autocannon driving load from its own process.
// Measures and reports; asserts nothing. Exit 1 only when the bench itself breaks.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCliArgs } from "../src/cli/args.js";
import { runCli, UserError } from "../src/cli/run.js";
import { projectPaths } from "../src/paths.js";
import { machineInfo } from "./machine.js";
import { FULL, QUICK, type Profile } from "./profile.js";
import { checkTargets, compareRuns, formatMarkdownTable, formatSize, formatTargets, formatTextTable } from "./report.js";
import type { BenchResults } from "./results.js";
import { runSuite } from "./suite.js";
import { formatStartup, measureStartup } from "./startup.js";
import { formatHotPath, HOT_PATH_DEFAULTS, measureHotPath } from "./hotPath.js";
import { formatGuardProfile, profileGuard } from "./guardProfile.js";
import { listLatencyChart } from "./svg.js";

const HELP = `Usage: npm run bench [-- --full] [options]

Starts two engines on loopback (ours: the project's migrations, rules and hooks; baseline: the same
binary and collections with open rules and no hooks), seeds todos over 1,000 users, and drives each
workload with autocannon from a separate process: list page 1 of 50 (with and without the total),
view, create, update, delete, batch create of 100 and 1,000, at concurrency 1 and 32.

Profiles:
  (default)        quick: 1k and 100k todos, reads at both, writes at 100k, ~2 minutes
  --full           1k, 100k and 1M todos, every workload at every size, ~15 minutes
  --startup        only start-up: the bare engine, npm start, the test engine and the admin scripts,
                   5 runs each, as ratios to the bare engine (~1 minute); writes <out>/startup.md
  --hot-path       only what each layer in front of the engine costs a request: the bare engine, plus an
                   empty JS middleware, plus the guard, ours without the guard, ours; six CRUD
                   workloads at concurrency 32, req/s and engine CPU per request (~4 minutes);
                   --duration sets the seconds per cell (default 6); writes <out>/hot-path.md
  --guard-profile  only where the guard's cost goes: perf CPU profiles of ours and of the bare engine
                   with an empty JS middleware, five workloads (needs perf; builds the engine with
                   symbols once into .cache/); writes <out>/guard-profile.md

Options:
  --sizes <list>   override the data sizes, e.g. --sizes 1000,10000
  --duration <s>   measured seconds per duration-bounded run (after a short warmup)
  --out <dir>      where results go (default: bench-results/)
  --docs           also copy the chart to docs/bench-latest.svg (for docs/BENCHMARKS.md)
  -h, --help       show this help

Writes <out>/<timestamp>-<profile>.json (every figure and the machine), <out>/latest.json,
<out>/latest.svg (list latency vs data size) and <out>/latest.md (the table for the docs).`;

function customize(profile: Profile, sizes: string | undefined, duration: string | undefined): Profile {
  const result = { ...profile };
  if (sizes !== undefined) {
    const parsed = sizes.split(",").map((s) => Number(s.trim()));
    if (parsed.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000_000))
      throw new UserError(`--sizes takes whole numbers from 1 to 10,000,000, e.g. --sizes 1000,10000 (got "${sizes}").`);
    result.sizes = [...new Set(parsed)].sort((a, b) => a - b);
  }
  if (duration !== undefined) {
    const seconds = Number(duration);
    if (!(seconds > 0 && seconds <= 600)) throw new UserError(`--duration takes seconds between 0 and 600 (got "${duration}").`);
    result.durationSec = seconds;
  }
  return result;
}

runCli(async () => {
  const { values } = parseCliArgs({
    full: { type: "boolean" },
    sizes: { type: "string" },
    duration: { type: "string" },
    out: { type: "string" },
    docs: { type: "boolean" },
    startup: { type: "boolean" },
    "hot-path": { type: "boolean" },
    "guard-profile": { type: "boolean" },
  });
  if (values.help) return void console.log(HELP);
  if (values.startup) {
    const outDir = path.resolve(values.out ?? path.join(projectPaths.root, "bench-results"));
    const machine = machineInfo();
    console.error(`Start-up, 5 runs each. Machine: ${machine.cpuCount} × ${machine.cpuModel}, load average ${machine.loadAverageAtStart}.`);
    const table = formatStartup(await measureStartup((line) => console.error(line)));
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, "startup.md"), `${table}\n`);
    console.log(table);
    return 0;
  }
  if (values["guard-profile"]) {
    const outDir = path.resolve(values.out ?? path.join(projectPaths.root, "bench-results"));
    console.error("The guard's CPU profile: perf on an engine built with symbols, five workloads at concurrency 32 (~3 minutes).");
    const table = formatGuardProfile(await profileGuard((line) => console.error(line)));
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, "guard-profile.md"), `${table}\n`);
    console.log(table);
    console.log(`\n✔ Written to ${path.relative(process.cwd(), path.join(outDir, "guard-profile.md"))}.`);
    return 0;
  }
  if (values["hot-path"]) {
    const outDir = path.resolve(values.out ?? path.join(projectPaths.root, "bench-results"));
    const machine = machineInfo();
    const options = { ...HOT_PATH_DEFAULTS, ...(values.duration ? { seconds: Number(values.duration) } : {}) };
    console.error(
      `The hot path: five engines, six workloads. Machine: ${machine.cpuCount} × ${machine.cpuModel}, load average ${machine.loadAverageAtStart}.`,
    );
    const table = formatHotPath(await measureHotPath(options, (line) => console.error(line)), options);
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, "hot-path.md"), `${table}\n`);
    console.log(table);
    console.log(
      `\n✔ Written to ${path.relative(process.cwd(), path.join(outDir, "hot-path.md"))}; docs/BENCHMARKS.md ("The request path") explains it.`,
    );
    return 0;
  }
  const profile = customize(values.full ? FULL : QUICK, values.sizes, values.duration);
  const outDir = path.resolve(values.out ?? path.join(projectPaths.root, "bench-results"));
  const machine = machineInfo();
  const started = new Date();
  const log = (line: string) => console.error(line);
  log(
    `Bench profile "${profile.name}": ${profile.sizes.map(formatSize).join(", ")} todos, concurrency ${profile.concurrencies.join(" and ")}, ${profile.durationSec} s per run.`,
  );
  log(`Machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, load average ${machine.loadAverageAtStart}.`);

  const suite = await runSuite(profile, log);
  const finished = new Date();
  const comparisons = compareRuns(suite.runs);
  const targets = checkTargets(
    comparisons,
    profile.sizes.find((size) => size / profile.users >= 50),
  );
  const results: BenchResults = {
    schemaVersion: 1,
    profile: profile.name,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSec: Math.round((finished.getTime() - started.getTime()) / 100) / 10,
    machine,
    engineVersion: suite.engineVersion,
    settings: {
      users: profile.users,
      loadUsers: profile.loadUsers,
      sizes: profile.sizes,
      concurrencies: profile.concurrencies,
      durationSec: profile.durationSec,
      warmupSec: profile.warmupSec,
    },
    seeding: suite.seeding,
    runs: suite.runs,
    comparisons,
    targets,
  };

  const caption = [
    `PocketBase ${results.engineVersion}, ${profile.name} profile, ${machine.cpuCount} × ${machine.cpuModel}, ${started.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
    `${profile.users.toLocaleString("en-US")} owners: a first page holds min(50, todos ÷ ${profile.users.toLocaleString("en-US")}) rows, so 1 row at 1k and 50 from 50k on.`,
  ].join("\n");
  const svg = listLatencyChart(comparisons, caption);
  const markdown = [
    `Profile **${profile.name}**, PocketBase ${results.engineVersion}, ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.nodeVersion}, ${results.durationSec} s in total, ${started.toISOString()}.`,
    "",
    formatMarkdownTable(comparisons),
    "",
    formatTargets(targets, true),
    "",
  ].join("\n");

  await mkdir(outDir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  const json = `${JSON.stringify(results, null, 2)}\n`;
  await writeFile(path.join(outDir, `${stamp}-${profile.name}.json`), json);
  await writeFile(path.join(outDir, "latest.json"), json);
  await writeFile(path.join(outDir, "latest.svg"), svg);
  await writeFile(path.join(outDir, "latest.md"), markdown);
  if (values.docs) await copyFile(path.join(outDir, "latest.svg"), path.join(projectPaths.root, "docs", "bench-latest.svg"));

  console.log(formatTextTable(comparisons));
  console.log("");
  console.log("Targets (information, not assertions):");
  console.log(formatTargets(targets));
  const broken = suite.runs.filter((run) => run.ok === 0);
  if (broken.length) {
    console.log(
      `\n⚠ ${broken.length} run(s) had no successful request: ${broken.map((r) => `${r.workload} ${formatSize(r.size)} c=${r.concurrency} ${r.engine}: ${r.firstFailure ?? "connection errors"}`).join("; ")}`,
    );
  }
  console.log(
    `\n✔ Bench finished in ${results.durationSec} s. Results: ${path.relative(process.cwd(), outDir) || "."}/latest.json, chart: latest.svg, docs table: latest.md.`,
  );
  console.log(
    values.docs
      ? "  docs/bench-latest.svg updated; paste latest.md into docs/BENCHMARKS.md."
      : "  Next: `npm run bench -- --full --docs` refreshes the chart in docs/ (see docs/BENCHMARKS.md).",
  );
});
