// Runs a whole profile: both engines, seeding size by size, every workload at each concurrency, ours
// and the baseline back to back so both see the same machine conditions. Returns raw run records.
import { stat } from "node:fs/promises";
import path from "node:path";
import { prepareEngine, silentLogger } from "../src/engine/index.js";
import {
  benchId,
  deleteLoadRowsSql,
  insertTodosSql,
  LOAD_TASK_PREFIX,
  ownedTodoIds,
  runSql,
  seedTodos,
  seedUsers,
  userId,
  userTokens,
} from "./data.js";
import { allowBatches, exportCollections, startBaselineEngine, startOursEngine, type BenchEngine, type EngineKind } from "./engines.js";
import { startLoadDriver, type LoadDriver } from "./load.js";
import type { LoadJob, LoadResult } from "./load-types.js";
import { mergeLoadResults } from "./merge.js";
import type { Profile } from "./profile.js";
import type { RunRecord, SeedTiming } from "./results.js";
import { buildRequests, WORKLOADS, type LoadUser, type WorkloadId } from "./workloads.js";

export interface SuiteOutput {
  engineVersion: string;
  runs: RunRecord[];
  seeding: SeedTiming[];
}

/** The largest batch any workload sends; both engines are configured to accept it. */
const LARGEST_BATCH = Math.max(...Object.values(WORKLOADS).map((workload) => workload.itemsPerRequest));

export type ProgressLog = (line: string) => void;

interface Side {
  engine: BenchEngine;
  tokens: string[];
}

/** Runs the profile end to end; engines and the load driver are always cleaned up. */
export async function runSuite(profile: Profile, log: ProgressLog): Promise<SuiteOutput> {
  log("Preparing the engine (binary, compiled migrations and hooks)…");
  const prepared = await prepareEngine({ log: silentLogger });
  const engines: BenchEngine[] = [];
  let driver: LoadDriver | undefined;
  try {
    const ours = await startOursEngine(prepared.binary);
    engines.push(ours);
    const baseline = await startBaselineEngine(prepared.binary, await exportCollections(ours));
    engines.push(baseline);
    log(`Engines up: ours ${ours.url}, baseline ${baseline.url} (PocketBase ${prepared.version}).`);

    const loadUserIds = Array.from({ length: profile.loadUsers }, (_, i) => userId(i));
    const sides: Side[] = [];
    for (const engine of [ours, baseline]) {
      await allowBatches(engine, LARGEST_BATCH);
      await seedUsers(engine, profile.users);
      sides.push({ engine, tokens: await userTokens(engine, loadUserIds) });
    }
    driver = startLoadDriver();

    const runs: RunRecord[] = [];
    const seeding: SeedTiming[] = [];
    let seeded = 0;
    let poolTag = 0;
    for (const [sizeIndex, size] of profile.sizes.entries()) {
      log(`Seeding ${size.toLocaleString("en-US")} todos over ${profile.users.toLocaleString("en-US")} users…`);
      const timings = await Promise.all(
        sides.map(async ({ engine }) => {
          const started = performance.now();
          await seedTodos(engine, seeded, size, profile.users);
          const ms = Math.round(performance.now() - started);
          return { engine: engine.kind, fromRows: seeded, toRows: size, ms, dataBytes: await databaseBytes(engine) };
        }),
      );
      seeding.push(...timings);
      log(
        `  seeded in ${timings.map((t) => `${t.engine} ${(t.ms / 1000).toFixed(1)} s (${(t.dataBytes / 1024 ** 2).toFixed(0)} MiB)`).join(", ")}`,
      );
      seeded = size;

      const loadUsers = sides.map((side) =>
        loadUserIds.map((id, i): LoadUser => ({
          id,
          token: side.tokens[i]!,
          todoIds: ownedTodoIds(i, profile.users, size, profile.targetsPerUser),
        })),
      );
      for (const workload of profile.workloadsAt(sizeIndex)) {
        for (const concurrency of profile.concurrenciesFor(workload)) {
          // Ours and the baseline alternate in half-length segments (A B B A), so a noisy neighbour
          // or a drifting machine weighs on both sides alike. Each engine warms up once.
          const segments: LoadResult[][] = sides.map(() => []);
          for (const s of SEGMENT_ORDER) {
            const side = sides[s]!;
            const deletePool = workload === "delete" ? await createDeletePool(side.engine, profile, ++poolTag) : undefined;
            const requests = buildRequests(workload, { engine: side.engine.kind, users: loadUsers[s]!, deletePool });
            const warm = segments[s]!.length === 0;
            segments[s]!.push(await driver.run(jobFor(profile, workload, concurrency, side.engine.url, requests, warm)));
          }
          sides.forEach((side, s) => {
            const record = toRecord(workload, size, concurrency, side.engine.kind, mergeLoadResults(segments[s]!));
            runs.push(record);
            log(describeRun(record));
          });
        }
      }
      // Back to exactly the seeded size before the next one: remove every row the load wrote.
      await Promise.all(sides.map(({ engine }) => runSql(engine, deleteLoadRowsSql)));
    }
    return { engineVersion: prepared.version, runs, seeding };
  } finally {
    driver?.close();
    await Promise.allSettled(engines.map((engine) => engine.dispose()));
  }
}

/** Ours, baseline, baseline, ours (indexes into the sides). */
const SEGMENT_ORDER = [0, 1, 1, 0] as const;
const SEGMENTS_PER_ENGINE = 2;

function jobFor(
  profile: Profile,
  workload: WorkloadId,
  concurrency: number,
  url: string,
  requests: LoadJob["requests"],
  warm: boolean,
): LoadJob {
  const base = { url, connections: concurrency, timeoutSec: 60, requests };
  if (workload === "delete") return { ...base, amount: requests.length };
  if (workload === "batch-100" || workload === "batch-1000") {
    const batches = profile.batches[workload === "batch-100" ? 100 : 1000];
    return { ...base, amount: Math.max(concurrency, Math.ceil(batches / SEGMENTS_PER_ENGINE)) };
  }
  return { ...base, durationSec: profile.durationSec / SEGMENTS_PER_ENGINE, warmupSec: warm ? profile.warmupSec : 0 };
}

function toRecord(workload: WorkloadId, size: number, concurrency: number, engine: EngineKind, result: LoadResult): RunRecord {
  const items = WORKLOADS[workload].itemsPerRequest;
  return {
    workload,
    size,
    concurrency,
    engine,
    rps: result.rps,
    itemsPerSec: items ? result.rps * items : null,
    latency: result.latency,
    ok: result.ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedMs: Math.round(result.elapsedMs),
    ...(result.firstFailure ? { firstFailure: result.firstFailure } : {}),
  };
}

/** Todos for one delete run, owned round-robin by the load users (so each request deletes its own). */
export async function createDeletePool(engine: BenchEngine, profile: Profile, tag: number): Promise<Array<{ id: string; user: number }>> {
  const prefix = `d${tag}`;
  const count = Math.ceil(profile.deletes / SEGMENTS_PER_ENGINE);
  await runSql(engine, insertTodosSql({ prefix, from: 0, to: count, owners: profile.loadUsers, taskPrefix: `${LOAD_TASK_PREFIX}delete ` }));
  return Array.from({ length: count }, (_, n) => ({ id: benchId(prefix, n), user: n % profile.loadUsers }));
}

/** Size of the engine's main database file and its WAL. */
async function databaseBytes(engine: BenchEngine): Promise<number> {
  const sizes = await Promise.all(
    ["data.db", "data.db-wal"].map((file) =>
      stat(path.join(engine.dataDir, file)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

function describeRun(run: RunRecord): string {
  const failures = run.non2xx + run.errors + run.timeouts;
  return `  ${run.workload.padEnd(10)} ${String(run.size).padStart(8)} c=${String(run.concurrency).padEnd(2)} ${run.engine.padEnd(8)} ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.latency.p50.toFixed(2)} ms  p99 ${run.latency.p99.toFixed(2)} ms${failures ? `  ⚠ ${failures} failed: ${run.firstFailure ?? "connection errors"}` : ""}`;
}
