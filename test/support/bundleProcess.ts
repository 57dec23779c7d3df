// A production bundle (npm run bundle) run the way a server runs it: its start script, a chosen
// environment and nothing inherited from this Node process (no node on PATH, no test variables).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import PocketBase from "pocketbase";
import { isHealthy } from "../../src/engine/serve.js";
import { projectRoot } from "../../src/paths.js";

/** Builds a bundle with the real command (`npm run bundle -- --out <dir>`) into a fresh temp folder. */
export async function buildTestBundle(extraArgs: string[] = []): Promise<{ dir: string; output: string }> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), "bundle-test-")), "bundle");
  const result = await execa(process.execPath, ["--import", "tsx", "scripts/bundle.ts", "--out", dir, ...extraArgs], {
    cwd: projectRoot,
    all: true,
    reject: false,
  });
  if (result.exitCode !== 0) throw new Error(`npm run bundle failed (exit ${result.exitCode}):\n${result.all}`);
  return { dir, output: result.all };
}

/** A folder with nothing in it, to use as PATH: no node, no npm, no tools at all. */
export function emptyPathDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "path-without-node-"));
}

export interface BundleProcess {
  url: string;
  process: ResultPromise;
  output(): string;
  client(): PocketBase;
  /** SIGTERM, then waits; resolves with the exit code. */
  stop(): Promise<number | undefined>;
}

/**
 * Runs `<command>` (default: the bundle's ./start) with exactly `env`, and resolves once /api/health
 * answers. Rejects with the output when it exits first or never becomes healthy.
 */
export async function startBundle(
  command: string,
  env: Record<string, string>,
  options: { args?: string[]; url: string; timeoutMs?: number },
): Promise<BundleProcess> {
  const child = execa(command, options.args ?? [], { env, extendEnv: false, all: true, buffer: false, reject: false, stdin: "ignore" });
  let output = "";
  child.all?.setEncoding("utf8");
  child.all?.on("data", (chunk: string) => (output += chunk));
  let exited = false;
  const exit = child.then((result) => {
    exited = true;
    return result.exitCode;
  });
  const handle: BundleProcess = {
    url: options.url,
    process: child,
    output: () => output,
    client() {
      const pb = new PocketBase(options.url);
      pb.autoCancellation(false);
      return pb;
    },
    async stop() {
      if (!exited) child.kill("SIGTERM");
      return exit;
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!exited && Date.now() < deadline) {
    if (await isHealthy(options.url)) return handle;
    await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  await handle.stop();
  // Let the last of its output arrive (a process that failed at once may exit before its output is read).
  await Promise.race([new Promise((resolve) => child.all?.once("end", resolve)), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  throw new Error(`${command} did not become healthy at ${options.url}:\n${output}`);
}

/** Runs a command to completion with exactly `env` (nothing inherited). */
export async function runWithEnv(command: string, args: string[], env: Record<string, string>) {
  const result = await execa(command, args, { env, extendEnv: false, all: true, reject: false, stdin: "ignore", timeout: 60_000 });
  return { exitCode: result.exitCode, all: result.all };
}

export { projectRoot };
