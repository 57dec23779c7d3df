import { access, constants } from "node:fs/promises";
import { makeDir } from "../files.js";
import { execa, type ResultPromise } from "execa";
import { EngineError, PortInUseError } from "./errors.js";
import { engineDirArgs, engineErrorLine, type EngineDirs } from "./cli.js";

/**
 * JS runtimes kept ready for hooks. A hook handler holds one until its e.next() returns (which includes
 * waiting for SQLite's single writer), and a batch nests one handler per item; when all are busy the
 * engine builds a throwaway runtime per call, which is slow. 256 covers a full batch plus concurrent
 * writes; docs/SCALING.md has the measurements (throughput with the engine's default of 15, memory).
 */
export const DEFAULT_HOOKS_POOL = 256;

/**
 * The pool for an engine that serves one developer or one test: npm run dev, and the throwaway engines
 * of scripts and tests. The engine builds every pooled runtime at start (about 1 ms each), so 256 cost a
 * quarter of a second per start; 32 still covers a test's concurrency. A full pool is a matter of speed,
 * never of behaviour: past it, the engine builds a runtime per call.
 */
export const DEV_HOOKS_POOL = 32;

export interface ServeOptions extends EngineDirs {
  binary: string;
  /** host:port to listen on, e.g. 127.0.0.1:8090. */
  http: string;
  /** CORS origins; empty means the engine's default (any origin). */
  origins?: string[];
  env?: NodeJS.ProcessEnv;
  /** Size of the engine's JS runtime pool for hooks (default DEFAULT_HOOKS_POOL). */
  hooksPool?: number;
  /** Extra flags, e.g. the dev server's --automigrate=true (later flags win). */
  extraArgs?: string[];
  /** Called with every output line of the engine (e.g. to show its logs). */
  onOutput?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface RunningEngine {
  /** Base URL, e.g. http://127.0.0.1:8090 */
  url: string;
  process: ResultPromise;
  /** The engine's output so far (stdout and stderr interleaved). */
  output(): string;
  /** Stops it with SIGTERM (SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Explains the usual start failures in one line with a fix, instead of a Go error dump. */
export function explainStartFailure(output: string, http: string): EngineError {
  const line = engineErrorLine(output, true) ?? output.trim().split("\n").slice(-3).join(" | ");
  if (/address already in use/i.test(output)) {
    return new PortInUseError(
      `Port ${http} is already in use.`,
      "Stop the other server, or set PB_HTTP to a free address, e.g. PB_HTTP=127.0.0.1:8091.",
    );
  }
  if (/permission denied|read-only file system/i.test(output)) {
    return new EngineError(`The engine cannot write its data: ${line}`, "Set PB_DATA_DIR to a folder you can write.");
  }
  if (/can't assign requested address|cannot assign requested address|no such host|missing port|invalid port/i.test(output)) {
    return new EngineError(`The engine cannot listen on ${http}: ${line}`, "Set PB_HTTP to host:port, e.g. 127.0.0.1:8090.");
  }
  return new EngineError(`The engine failed to start: ${line || "it exited without a message"}`);
}

/** Fails early, with a plain message, when the data dir cannot be created or written. */
export async function assertWritableDir(dir: string): Promise<void> {
  try {
    await makeDir(dir);
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new EngineError(
      `The data dir ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      "Set PB_DATA_DIR to a folder you can write.",
    );
  }
}

/**
 * The engine prints this once it holds its port (after its listener opened). Until then a server answering
 * at the address is someone else: another engine that took the port first must not pass for this one.
 */
const LISTENING_BANNER = "Server started at";

/**
 * Starts `pocketbase serve` and resolves once it printed that it listens and /api/health answers, which
 * means migrations were applied and hooks loaded. Rejects with an explained EngineError if the engine exits
 * or never becomes healthy.
 */
export async function serveEngine(options: ServeOptions): Promise<RunningEngine> {
  await assertWritableDir(options.dataDir);
  const url = `http://${options.http}`;
  const args = [
    "serve",
    `--http=${options.http}`,
    ...engineDirArgs(options),
    `--hooksPool=${options.hooksPool ?? DEFAULT_HOOKS_POOL}`,
    ...(options.extraArgs ?? []),
  ];
  if (options.origins?.length) args.push(`--origins=${options.origins.join(",")}`);

  const child = execa(options.binary, args, {
    env: options.env,
    all: true,
    buffer: false,
    reject: false,
    stdin: "ignore",
    forceKillAfterDelay: 10_000,
  });
  let output = "";
  let listening = false;
  child.all?.setEncoding("utf8");
  child.all?.on("data", (chunk: string) => {
    output = (output + chunk).slice(-200_000);
    listening ||= output.includes(LISTENING_BANNER);
    if (options.onOutput) for (const line of chunk.split("\n")) if (line.trim()) options.onOutput(line);
  });
  let exited = false;
  const exit = child.then(() => {
    exited = true;
  });

  const engine: RunningEngine = {
    url,
    process: child,
    output: () => output,
    async stop() {
      if (!exited) child.kill("SIGTERM");
      await exit;
    },
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!exited) {
    if (listening && (await isHealthy(url))) return engine;
    if (Date.now() > deadline) {
      await engine.stop();
      throw new EngineError(
        `The engine did not become healthy at ${url} within ${options.startTimeoutMs ?? 60_000} ms.\n${output.slice(-2000)}`,
      );
    }
    // Poll often: the engine is usually healthy within a few hundred milliseconds of its launch.
    await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 10))]);
  }
  throw explainStartFailure(output, options.http);
}

/** True when a PocketBase server answers /api/health at `url` (its port opens only once it is ready). */
export async function isHealthy(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}
