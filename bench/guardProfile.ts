// npm run bench -- --guard-profile: where the guard's cost goes, from CPU profiles of the engine.
// Builds the pinned engine with its symbols (the release strips them) into .cache/profile-engine/, then
// for each workload at concurrency 32 records the engine under `perf record -g` twice: ours (the guard in
// front of the project) and the bare engine with one empty JS middleware (the floor any JS middleware
// pays). A sample is the middleware's own when the JS middleware is on its stack but the engine's first
// middleware (apis.wwwRedirect, what e.next() runs) is not.
import { createInterface } from "node:readline";
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { compileEngineWithGo } from "../src/engine/goBuild.js";
import { prepareEngine, silentLogger } from "../src/engine/index.js";
import { POCKETBASE_VERSION, projectPaths } from "../src/paths.js";
import { UserError } from "../src/errors.js";
import { ownedTodoIds, seedTodos, seedUsers, userId, userTokens } from "./data.js";
import { allowBatches, exportCollections, startBaselineEngine, startOursEngine, type BenchEngine } from "./engines.js";
import { startLoadDriver, type LoadDriver } from "./load.js";
import { QUICK } from "./profile.js";
import { buildRequests, type LoadUser, type WorkloadId } from "./workloads.js";

const MIDDLEWARE = "plugins/jsvm.wrapMiddlewares.func1";
const ENGINE_NEXT = "apis.wwwRedirect.func1";
const PROFILED: readonly WorkloadId[] = ["list", "list-count", "view", "create", "update"];

/** Where a middleware's own samples go, by the first matching frame on their stack. */
const PARTS = [
  { name: "event handed to the runtime", match: ["(*Runtime).Set"] },
  { name: "Go methods called from JS", match: ["wrapReflectFunc"] },
  { name: "Go fields and methods looked up", match: ["objectGoReflect", "templatedObject", "fieldsInfo", "methodsInfo"] },
  { name: "JS interpreter", match: ["dop251/goja"] },
  { name: "runtime pool", match: ["vmsPool"] },
] as const;

export interface GuardProfileRow {
  workload: WorkloadId;
  variant: "ours" | "+middleware";
  samples: number;
  /** Share of all engine samples spent in the JS middleware itself, %. */
  ownPercent: number;
  parts: Record<string, number>;
}

async function profilingEngine(log: (line: string) => void): Promise<string> {
  const file = path.join(projectPaths.root, ".cache", "profile-engine", POCKETBASE_VERSION, "pocketbase");
  if (
    await access(file).then(
      () => true,
      () => false,
    )
  )
    return file;
  log(`Building PocketBase ${POCKETBASE_VERSION} with its symbols (for perf) ...`);
  await mkdir(path.dirname(file), { recursive: true });
  await compileEngineWithGo({ version: POCKETBASE_VERSION, log, symbols: true }, file);
  return file;
}

/** Reads `perf script` stacks and counts the middleware's own samples by part. */
async function countSamples(data: string): Promise<{ total: number; own: number; parts: Record<string, number> }> {
  const script = execa("perf", ["script", "-i", data, "-F", "comm,ip,sym"], { buffer: false, stderr: "ignore" });
  const parts: Record<string, number> = { other: 0 };
  for (const part of PARTS) parts[part.name] = 0;
  let total = 0;
  let own = 0;
  let stack: string[] = [];
  const finish = () => {
    if (!stack.length) return;
    total++;
    if (stack.some((f) => f.includes(MIDDLEWARE)) && !stack.some((f) => f.includes(ENGINE_NEXT))) {
      own++;
      const joined = stack.join("|");
      const part = PARTS.find((p) => p.match.some((m) => joined.includes(m)));
      parts[part?.name ?? "other"]!++;
    }
    stack = [];
  };
  for await (const line of createInterface({ input: script.stdout })) {
    if (!line.trim()) finish();
    else if (/^\s/.test(line)) stack.push(line.trim());
    else stack = [];
  }
  finish();
  await script;
  return { total, own, parts };
}

async function recordWhileLoaded(engine: BenchEngine, driver: LoadDriver, users: LoadUser[], workload: WorkloadId, out: string) {
  const requests = buildRequests(workload, { engine: engine.kind, users });
  const job = { url: engine.url, connections: 32, timeoutSec: 60, requests };
  await driver.run({ ...job, durationSec: 1 });
  const perf = execa("perf", ["record", "-F", "999", "-g", "-p", String(engine.pid), "-o", out, "--", "sleep", "8"], {
    reject: false,
    all: true,
  });
  await driver.run({ ...job, durationSec: 8 });
  const result = await perf;
  if (result.exitCode !== 0) throw new UserError(`perf record failed: ${result.all ?? ""}`);
}

export async function profileGuard(log: (line: string) => void): Promise<GuardProfileRow[]> {
  const perfFound = await execa("perf", ["--version"], { reject: false }).catch(() => null);
  if (!perfFound || perfFound.exitCode !== 0) {
    throw new UserError("perf is not installed: `apt-get install linux-perf` (Debian) or your distribution's perf package.");
  }
  await prepareEngine({ log: silentLogger });
  const binary = await profilingEngine(log);
  const scratch = await mkdtemp(path.join(tmpdir(), "pb-guard-profile-"));
  const engines: BenchEngine[] = [];
  const driver = startLoadDriver();
  try {
    const hooks = path.join(scratch, "middleware");
    await mkdir(hooks);
    await writeFile(path.join(hooks, "empty.pb.js"), 'routerUse(new Middleware((e) => { e.next(); }, -100000, "emptyMiddleware"));\n');
    const ours = await startOursEngine(binary);
    engines.push(ours);
    const floor = await startBaselineEngine(binary, await exportCollections(ours), hooks);
    engines.push(floor);
    const loadIds = Array.from({ length: QUICK.loadUsers }, (_, i) => userId(i));
    const usersOf = new Map<BenchEngine, LoadUser[]>();
    for (const engine of engines) {
      await allowBatches(engine, 100);
      await seedUsers(engine, QUICK.users);
      await seedTodos(engine, 0, 1_000, QUICK.users);
      const tokens = await userTokens(engine, loadIds);
      usersOf.set(
        engine,
        loadIds.map((id, i) => ({ id, token: tokens[i]!, todoIds: ownedTodoIds(i, QUICK.users, 1_000, QUICK.targetsPerUser) })),
      );
    }
    const rows: GuardProfileRow[] = [];
    for (const workload of PROFILED) {
      for (const [variant, engine] of [
        ["ours", ours],
        ["+middleware", floor],
      ] as const) {
        const data = path.join(scratch, `${variant}-${workload}.data`);
        await recordWhileLoaded(engine, driver, usersOf.get(engine)!, workload, data);
        const counted = await countSamples(data);
        await rm(data, { force: true });
        const row: GuardProfileRow = {
          workload,
          variant,
          samples: counted.total,
          ownPercent: (100 * counted.own) / counted.total,
          parts: Object.fromEntries(Object.entries(counted.parts).map(([k, v]) => [k, (100 * v) / counted.total])),
        };
        rows.push(row);
        log(`  ${workload.padEnd(10)} ${variant.padEnd(12)} the JS middleware's own share of engine CPU: ${row.ownPercent.toFixed(1)} %`);
      }
    }
    return rows;
  } finally {
    driver.close();
    await Promise.allSettled(engines.map((engine) => engine.dispose()));
    await rm(scratch, { recursive: true, force: true });
  }
}

export function formatGuardProfile(rows: readonly GuardProfileRow[]): string {
  const names = [...PARTS.map((p) => p.name), "other"];
  return [
    `| workload | middleware | own share of engine CPU | ${names.join(" | ")} |`,
    `| --- | --- | ---: | ${names.map(() => "---:").join(" | ")} |`,
    ...rows.map(
      (r) =>
        `| ${r.workload} | ${r.variant === "ours" ? "the guard (ours)" : "empty (bare engine)"} | ${r.ownPercent.toFixed(1)} % | ${names.map((n) => `${(r.parts[n] ?? 0).toFixed(1)} %`).join(" | ")} |`,
    ),
  ].join("\n");
}
