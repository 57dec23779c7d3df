import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import PocketBase from "pocketbase";
import { provisionEngine, runEngineCli, serveEngine, silentLogger, type RunningEngine } from "../src/engine/index.js";
import { freePort } from "../src/engine/freePort.js";

export { freePort };

export interface TestEngine {
  url: string;
  dataDir: string;
  superuser: { email: string; password: string };
  running: RunningEngine;
  /** A fresh SDK client (auto-cancellation off) pointed at this engine. */
  client(): PocketBase;
  /** A client signed in as the superuser. */
  admin(): Promise<PocketBase>;
  /** Stops the engine (keeps the data dir: a test may restart on it). */
  stop(): Promise<void>;
  /** Starts the engine again on the same data dir and port. */
  restart(): Promise<void>;
  /** Stops the engine and deletes its data dir. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for the engine. Rate limits are off unless the test sets PB_RATE_LIMITS. */
  env?: Record<string, string>;
  /** Use this data dir instead of a fresh temp one. */
  dataDir?: string;
  migrationsDir?: string;
  hooksDir?: string;
}

async function engineBinary(): Promise<string> {
  return process.env.POCKETBASE_TEST_BIN ?? (await provisionEngine({ log: silentLogger })).binary;
}

/**
 * Starts a real PocketBase on a free port with a fresh temp data dir, the project's compiled migrations
 * and hooks, and a superuser. Resolves once /api/health answers.
 */
export async function startTestEngine(options: StartOptions = {}): Promise<TestEngine> {
  const binary = await engineBinary();
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "pb-test-")));
  const superuser = { email: "root@example.com", password: "root-password-123" };
  const dirs = { dataDir, migrationsDir: options.migrationsDir, hooksDir: options.hooksDir };
  const env = { PB_RATE_LIMITS: "off", ...options.env };
  // Creating the superuser first also skips the engine's first-run installer link.
  await runEngineCli(binary, ["superuser", "upsert", superuser.email, superuser.password], dirs, { env });
  const port = await freePort();

  const boot = () => serveEngine({ binary, http: `127.0.0.1:${port}`, ...dirs, env });
  let running = await boot();

  const engine: TestEngine = {
    url: running.url,
    dataDir,
    superuser,
    get running() {
      return running;
    },
    client() {
      const pb = new PocketBase(running.url);
      pb.autoCancellation(false);
      return pb;
    },
    async admin() {
      const pb = engine.client();
      await pb.collection("_superusers").authWithPassword(superuser.email, superuser.password);
      return pb;
    },
    stop: () => running.stop(),
    async restart() {
      await running.stop();
      running = await boot();
    },
    async dispose() {
      await running.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return engine;
}

/**
 * Vitest helper: one engine for the whole test file, started before the first test and torn down
 * after the last, even when tests fail. Access it through the returned getter.
 */
export function useTestEngine(options: StartOptions = {}): () => TestEngine {
  let engine: TestEngine | undefined;
  beforeAll(async () => {
    engine = await startTestEngine(options);
  });
  afterAll(async () => {
    await engine?.dispose();
  });
  return () => {
    if (!engine) throw new Error("The test engine is not running (did beforeAll fail?)");
    return engine;
  };
}
