// Starts the two engines every bench run compares, each on a free loopback port with a fresh temp
// data dir, the rate limiter off and a superuser created before `serve`:
//   ours     = the project's compiled migrations + hooks (.build/, after prepareEngine()),
//   baseline = the same binary with ours' collections imported with open rules, and no hooks.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEphemeralEngine } from "../src/engine/index.js";
import { DEFAULT_HOOKS_POOL } from "../src/engine/serve.js";
import { BATCH } from "../pb_hooks/lib/settings.js";
import { openCollections, type CollectionJson } from "./baseline.js";
import { requestJson } from "./http.js";

export type EngineKind = "ours" | "baseline";

export interface BenchEngine {
  kind: EngineKind;
  url: string;
  dataDir: string;
  /** A superuser token (for seeding, impersonation and schema import; never used by the load). */
  superuserToken: string;
  /** The engine's process id (to read its memory use). */
  pid: number | undefined;
  /** Stops the engine and deletes its temp folders. */
  dispose(): Promise<void>;
}

interface StartOptions {
  binary: string;
  kind: EngineKind;
  /** Omitted: the project's compiled folders. */
  migrationsDir?: string;
  hooksDir?: string;
  /** Extra `serve` flags (e.g. --hooksPool=64 when diagnosing hook cost). */
  serveArgs?: string[];
}

async function startEngine(options: StartOptions): Promise<BenchEngine> {
  const engine = await startEphemeralEngine({
    binary: options.binary,
    // What npm start serves with: the bench measures the product as deployed.
    hooksPool: DEFAULT_HOOKS_POOL,
    migrationsDir: options.migrationsDir,
    hooksDir: options.hooksDir,
    serveArgs: options.serveArgs,
  });
  return {
    kind: options.kind,
    url: engine.url,
    dataDir: engine.dataDir,
    superuserToken: engine.superuserToken,
    pid: engine.running.process.pid,
    dispose: () => engine.dispose(),
  };
}

/**
 * Ours: the project's compiled migrations and hooks, exactly as `npm start` runs them. `variant` swaps
 * the hooks folder or adds serve flags, to measure what a product change would gain.
 */
export function startOursEngine(binary: string, variant: { hooksDir?: string; serveArgs?: string[] } = {}): Promise<BenchEngine> {
  return startEngine({ binary, kind: "ours", ...variant });
}

/** The project's collections as the ours engine ended up with them (after all migrations). */
export async function exportCollections(engine: BenchEngine): Promise<CollectionJson[]> {
  const list = await requestJson<{ items: CollectionJson[] }>(`${engine.url}/api/collections?perPage=500`, {
    token: engine.superuserToken,
  });
  return list.items;
}

/**
 * The baseline: empty migrations and hooks folders, then ours' collections imported with open rules.
 * Nothing of the project runs inside it (batch settings: see allowBatches()), unless `hooks` is given.
 */
export async function startBaselineEngine(
  binary: string,
  collections: readonly CollectionJson[],
  /** Hooks to add to the bare engine (the hot-path bench measures single layers this way). */
  hooks?: string,
): Promise<BenchEngine> {
  const empty = await mkdtemp(path.join(tmpdir(), "pb-bench-empty-"));
  const migrationsDir = path.join(empty, "pb_migrations");
  const hooksDir = hooks ?? path.join(empty, "pb_hooks");
  await mkdir(migrationsDir);
  await mkdir(hooksDir, { recursive: true });
  const engine = await startEngine({ binary, kind: "baseline", migrationsDir, hooksDir });
  try {
    await requestJson(`${engine.url}/api/collections/import`, {
      method: "PUT",
      token: engine.superuserToken,
      body: { collections: openCollections(collections), deleteMissing: false },
    });
  } catch (error) {
    await engine.dispose();
    await rm(empty, { recursive: true, force: true });
    throw error;
  }
  return {
    ...engine,
    async dispose() {
      await engine.dispose();
      await rm(empty, { recursive: true, force: true });
    },
  };
}

/**
 * Enables the batch API with room for `maxRequests` items and the project's timeout and body limit.
 * Applied to both engines alike: the project allows BATCH.maxRequests items, and the bench raises that
 * to measure the batch of 1,000 on the same terms for ours and the baseline.
 */
export async function allowBatches(engine: BenchEngine, maxRequests: number): Promise<void> {
  await requestJson(`${engine.url}/api/settings`, {
    method: "PATCH",
    token: engine.superuserToken,
    body: {
      batch: {
        enabled: true,
        maxRequests: Math.max(maxRequests, BATCH.maxRequests),
        timeout: BATCH.timeout,
        maxBodySize: BATCH.maxBodySize,
      },
    },
  });
}
