// npm run bench -- --hot-path: what each layer the project puts in front of the engine costs a request.
// Five engines from the same binary and the same data, measured in one run, in alternating order:
//   bare          the baseline: ours' collections with open rules, no hooks at all
//   +middleware   the bare engine plus one empty JS middleware (what any JS middleware costs)
//   +guard        the bare engine plus pb_hooks/guard.pb.ts alone (what the guard costs over the engine)
//   ours−guard    the project without guard.pb.ts (rules and record hooks)
//   ours          the project as npm start serves it
// Two figures per cell: requests per second (the load generator shares the cores, so it is noisy) and
// the engine's own CPU time per request (from /proc, steadier: what the layer really adds).
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { prepareEngine, silentLogger } from "../src/engine/index.js";
import { projectPaths } from "../src/paths.js";
import { ownedTodoIds, seedTodos, seedUsers, userId, userTokens } from "./data.js";
import { allowBatches, exportCollections, startBaselineEngine, startOursEngine, type BenchEngine } from "./engines.js";
import { startLoadDriver } from "./load.js";
import type { LoadResult } from "./load-types.js";
import { mergeLoadResults } from "./merge.js";
import { createDeletePool } from "./suite.js";
import { QUICK } from "./profile.js";
import { buildRequests, type LoadUser, type WorkloadId } from "./workloads.js";

export type VariantId = "bare" | "+middleware" | "+guard" | "ours−guard" | "ours";
export const VARIANTS: readonly VariantId[] = ["bare", "+middleware", "+guard", "ours−guard", "ours"];
const WORKLOADS: readonly WorkloadId[] = ["list", "list-count", "view", "create", "update", "delete"];

export interface HotPathOptions {
  concurrency: number;
  /** Seconds of measured load per variant and workload, split over `rounds` segments. */
  seconds: number;
  rounds: number;
  todos: number;
}

export const HOT_PATH_DEFAULTS: HotPathOptions = { concurrency: 32, seconds: 6, rounds: 3, todos: 1_000 };

export interface HotPathCell {
  workload: WorkloadId;
  variant: VariantId;
  rps: number;
  p50: number;
  /** Engine CPU time (user + system) per successful request, µs. */
  cpuMicros: number;
  failures: number;
}

interface Side {
  variant: VariantId;
  engine: BenchEngine;
  users: LoadUser[];
}

/** Hooks folders for the variants that are not the project's own: made from the compiled .build/. */
async function variantHooks(scratch: string): Promise<Record<"+middleware" | "+guard" | "ours−guard", string>> {
  const middleware = path.join(scratch, "middleware");
  await mkdir(middleware, { recursive: true });
  await writeFile(path.join(middleware, "empty.pb.js"), 'routerUse(new Middleware((e) => { e.next(); }, -100000, "emptyMiddleware"));\n');
  const guard = path.join(scratch, "guard");
  await mkdir(guard, { recursive: true });
  await cp(path.join(projectPaths.hooksBuild, "guard.pb.js"), path.join(guard, "guard.pb.js"));
  await cp(path.join(projectPaths.hooksBuild, "lib"), path.join(guard, "lib"), { recursive: true });
  const unguarded = path.join(scratch, "unguarded");
  await cp(projectPaths.hooksBuild, unguarded, {
    recursive: true,
    filter: (source) => path.basename(source) !== "guard.pb.js",
  });
  return { "+middleware": middleware, "+guard": guard, "ours−guard": unguarded };
}

/** utime + stime of a process, in µs (from /proc/<pid>/stat; Linux only). */
async function cpuMicros(pid: number | undefined): Promise<number> {
  if (!pid) return Number.NaN;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command name: field 3 is index 0, so utime (14) and stime (15) are 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / 100) * 1e6;
}

/** Runs every variant on every workload; variants alternate in each round, reversed every other round. */
export async function measureHotPath(options: HotPathOptions, log: (line: string) => void): Promise<HotPathCell[]> {
  const prepared = await prepareEngine({ log: silentLogger });
  const scratch = await mkdtemp(path.join(tmpdir(), "pb-hot-path-"));
  const engines: BenchEngine[] = [];
  const driver = startLoadDriver();
  try {
    const hooks = await variantHooks(scratch);
    const ours = await startOursEngine(prepared.binary);
    engines.push(ours);
    const collections = await exportCollections(ours);
    const byVariant: Record<VariantId, BenchEngine> = {
      bare: await startBaselineEngine(prepared.binary, collections),
      "+middleware": await startBaselineEngine(prepared.binary, collections, hooks["+middleware"]),
      "+guard": await startBaselineEngine(prepared.binary, collections, hooks["+guard"]),
      "ours−guard": await startOursEngine(prepared.binary, { hooksDir: hooks["ours−guard"] }),
      ours,
    };
    engines.push(...Object.values(byVariant).filter((engine) => engine !== ours));
    log(`Five engines up (PocketBase ${prepared.version}); seeding ${options.todos.toLocaleString("en-US")} todos in each…`);

    const profile = QUICK;
    const loadIds = Array.from({ length: profile.loadUsers }, (_, i) => userId(i));
    const sides: Side[] = [];
    for (const variant of VARIANTS) {
      const engine = byVariant[variant];
      await allowBatches(engine, 100);
      await seedUsers(engine, profile.users);
      await seedTodos(engine, 0, options.todos, profile.users);
      const tokens = await userTokens(engine, loadIds);
      const users = loadIds.map((id, i) => ({
        id,
        token: tokens[i]!,
        todoIds: ownedTodoIds(i, profile.users, options.todos, profile.targetsPerUser),
      }));
      sides.push({ variant, engine, users });
    }

    const cells: HotPathCell[] = [];
    let poolTag = 0;
    for (const workload of WORKLOADS) {
      const jobFor = async (side: Side, durationSec: number) => {
        const deletePool =
          workload === "delete" ? await createDeletePool(side.engine, { ...profile, deletes: 2 * 2_000 }, ++poolTag) : undefined;
        const requests = buildRequests(workload, { engine: side.engine.kind, users: side.users, deletePool });
        const base = { url: side.engine.url, connections: options.concurrency, timeoutSec: 60, requests };
        return workload === "delete" ? { ...base, amount: requests.length } : { ...base, durationSec };
      };
      // Warm every engine up on this workload first; nothing of it is counted.
      if (workload !== "delete") for (const side of sides) await driver.run(await jobFor(side, 0.5));
      const measured = new Map<VariantId, { results: LoadResult[]; cpu: number }>(VARIANTS.map((v) => [v, { results: [], cpu: 0 }]));
      for (let round = 0; round < options.rounds; round++) {
        for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
          const job = await jobFor(side, options.seconds / options.rounds);
          const before = await cpuMicros(side.engine.pid);
          const result = await driver.run(job);
          const segment = measured.get(side.variant)!;
          segment.cpu += (await cpuMicros(side.engine.pid)) - before;
          segment.results.push(result);
        }
      }
      for (const side of sides) {
        const segment = measured.get(side.variant)!;
        const merged = mergeLoadResults(segment.results);
        const cell: HotPathCell = {
          workload,
          variant: side.variant,
          rps: merged.rps,
          p50: merged.latency.p50,
          // Every response of a segment (not only the measured window) was served on the clock read here.
          cpuMicros: segment.cpu / segment.results.reduce((sum, r) => sum + r.ok + r.non2xx, 0),
          failures: merged.non2xx + merged.errors + merged.timeouts,
        };
        cells.push(cell);
        log(
          `  ${workload.padEnd(10)} ${side.variant.padEnd(12)} ${cell.rps.toFixed(0).padStart(6)} req/s  p50 ${cell.p50.toFixed(2)} ms  engine CPU ${cell.cpuMicros.toFixed(0)} µs/request${cell.failures ? `  ⚠ ${cell.failures} failed` : ""}`,
        );
      }
    }
    return cells;
  } finally {
    driver.close();
    await Promise.allSettled(engines.map((engine) => engine.dispose()));
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Two markdown tables: throughput with the guard's ratios, and the engine's CPU per request. */
export function formatHotPath(cells: readonly HotPathCell[], options: HotPathOptions): string {
  const workloads = [...new Set(cells.map((cell) => cell.workload))];
  const get = (workload: WorkloadId, variant: VariantId) => cells.find((c) => c.workload === workload && c.variant === variant)!;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const rows = (make: (workload: WorkloadId) => string[]) => workloads.map((w) => `| ${[w, ...make(w)].join(" | ")} |`);
  return [
    `Concurrency ${options.concurrency}, ${options.todos.toLocaleString("en-US")} todos, ${options.seconds} s per cell in ${options.rounds} alternating segments.`,
    "",
    `| workload | ${VARIANTS.map((v) => `${v} req/s`).join(" | ")} | +guard ÷ bare | ours ÷ ours−guard |`,
    `| --- | ${VARIANTS.map(() => "---:").join(" | ")} | ---: | ---: |`,
    ...rows((w) => [
      ...VARIANTS.map((v) => get(w, v).rps.toFixed(0)),
      ratio(get(w, "+guard").rps, get(w, "bare").rps),
      ratio(get(w, "ours").rps, get(w, "ours−guard").rps),
    ]),
    "",
    `| workload | ${VARIANTS.map((v) => `${v} CPU µs`).join(" | ")} | middleware adds | guard adds (bare) | guard adds (ours) |`,
    `| --- | ${VARIANTS.map(() => "---:").join(" | ")} | ---: | ---: | ---: |`,
    ...rows((w) => [
      ...VARIANTS.map((v) => get(w, v).cpuMicros.toFixed(0)),
      `${(get(w, "+middleware").cpuMicros - get(w, "bare").cpuMicros).toFixed(0)} µs`,
      `${(get(w, "+guard").cpuMicros - get(w, "bare").cpuMicros).toFixed(0)} µs`,
      `${(get(w, "ours").cpuMicros - get(w, "ours−guard").cpuMicros).toFixed(0)} µs`,
    ]),
  ].join("\n");
}
