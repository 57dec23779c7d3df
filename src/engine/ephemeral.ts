import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { existsSync } from "node:fs";
import path from "node:path";
import { projectPaths } from "../paths.js";
import { runEngineCli } from "./cli.js";
import { EngineError, PortInUseError } from "./errors.js";
import { freePort } from "./freePort.js";
import { provisionEngine } from "./provision.js";
import { silentLogger } from "./log.js";
import { DEV_HOOKS_POOL, serveEngine, type RunningEngine } from "./serve.js";

/** How many free ports an ephemeral engine tries before giving up. */
const PORT_ATTEMPTS = 5;

/**
 * A throwaway engine: its own free loopback port, a fresh temp data dir, a superuser created before it
 * starts (which also skips the engine's first-run installer), rate limits off. What typegen, the migration
 * writer, the auditor, the tests and the benchmarks start; the only place that knows how.
 */
export interface EphemeralEngine {
  url: string;
  dataDir: string;
  superuser: { email: string; password: string };
  /** Authorization header value of that superuser (fetched at start; valid for a day). */
  superuserToken: string;
  /** The running process (output, pid). Changes after restart(). */
  readonly running: RunningEngine;
  /** Stops it; the data dir stays (restart() brings it back on the same port). */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and deletes the temp data dir (a given dataDir is kept). */
  dispose(): Promise<void>;
}

export interface EphemeralOptions {
  /** The engine binary; default: $POCKETBASE_TEST_BIN, or the project's provisioned one. */
  binary?: string;
  /** Use this data dir (kept on dispose) instead of a fresh temp one. */
  dataDir?: string;
  /** Default: the project's compiled .build/ folders. */
  migrationsDir?: string;
  hooksDir?: string;
  /** Extra environment for the engine (on top of the caller's); PB_RATE_LIMITS is "off" unless set here. */
  env?: Record<string, string>;
  /** Extra `serve` flags. */
  serveArgs?: string[];
  /** JS runtimes kept ready for hooks (default DEV_HOOKS_POOL: quick to start; the bench uses npm start's). */
  hooksPool?: number;
  superuser?: { email: string; password: string };
  /** Called with every output line of the engine. */
  onOutput?: (line: string) => void;
}

export async function startEphemeralEngine(options: EphemeralOptions = {}): Promise<EphemeralEngine> {
  const binary = options.binary ?? process.env.POCKETBASE_TEST_BIN ?? (await provisionEngine({ log: silentLogger })).binary;
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "pb-ephemeral-")));
  const superuser = options.superuser ?? { email: "root@example.com", password: randomBytes(18).toString("base64url") };
  const dirs = { dataDir, migrationsDir: options.migrationsDir, hooksDir: options.hooksDir };
  // On a fresh data dir with the project's hooks, the engine creates the superuser itself at start
  // (PB_SUPERUSER_*: pb_hooks/environment.pb.ts), which saves a whole engine run; otherwise the CLI does.
  const inEngine = ownDataDir && existsSync(path.join(options.hooksDir ?? projectPaths.hooksBuild, "environment.pb.js"));
  const env = {
    ...process.env,
    PB_RATE_LIMITS: "off",
    ...(inEngine ? { PB_SUPERUSER_EMAIL: superuser.email, PB_SUPERUSER_PASSWORD: superuser.password } : {}),
    ...options.env,
  };
  try {
    if (!inEngine) await runEngineCli(binary, ["superuser", "upsert", superuser.email, superuser.password], dirs, { env });
    const boot = (http: string) =>
      serveEngine({
        binary,
        http,
        ...dirs,
        env,
        hooksPool: options.hooksPool ?? DEV_HOOKS_POOL,
        extraArgs: options.serveArgs,
        onOutput: options.onOutput,
      });
    // A free port can be taken by another process between freePort() and the engine's own listen (many
    // engines start side by side in the tests): then try another one.
    const bootOnFreePort = async (attempt = 1): Promise<RunningEngine> => {
      try {
        return await boot(`127.0.0.1:${await freePort()}`);
      } catch (error) {
        if (error instanceof PortInUseError && attempt < PORT_ATTEMPTS) return bootOnFreePort(attempt + 1);
        throw error;
      }
    };
    let running = await bootOnFreePort();
    let superuserToken: string;
    try {
      superuserToken = await signInSuperuser(running.url, superuser);
    } catch (error) {
      await running.stop();
      throw error;
    }
    return {
      url: running.url,
      dataDir,
      superuser,
      superuserToken,
      get running() {
        return running;
      },
      stop: () => running.stop(),
      async restart() {
        await running.stop();
        running = await boot(new URL(running.url).host);
      },
      async dispose() {
        await running.stop();
        if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts an ephemeral engine, hands it to `use`, and always disposes of it. */
export async function withEphemeralEngine<T>(options: EphemeralOptions, use: (engine: EphemeralEngine) => Promise<T>): Promise<T> {
  const engine = await startEphemeralEngine(options);
  try {
    return await use(engine);
  } finally {
    await engine.dispose();
  }
}

async function signInSuperuser(url: string, superuser: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ identity: superuser.email, password: superuser.password }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: unknown };
  if (!response.ok || typeof body.token !== "string")
    throw new EngineError(`Could not sign in to the ephemeral engine as superuser (HTTP ${response.status}).`);
  return body.token;
}
