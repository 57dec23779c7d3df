import { access, constants, stat } from "node:fs/promises";
import { POCKETBASE_VERSION, projectPaths } from "../paths.js";
import { cachedBinaryPath, withCacheLock } from "./cache.js";
import { downloadEngine } from "./download.js";
import { buildEngineWithGo } from "./goBuild.js";
import { readBinaryVersion } from "./binaryVersion.js";
import { EngineError } from "./errors.js";
import { consoleLogger, type Logger } from "./log.js";

export type EngineSource = "env" | "cache" | "download" | "go";

export interface ProvisionOptions {
  version?: string;
  cacheDir?: string;
  /** Defaults to process.env; POCKETBASE_BIN and POCKETBASE_DOWNLOAD_URL are read from it. */
  env?: NodeJS.ProcessEnv;
  /** Which ways of obtaining a missing binary to try, in order. */
  methods?: Array<"download" | "go">;
  log?: Logger;
  goBinary?: string;
}

export interface ProvisionedEngine {
  binary: string;
  version: string;
  source: EngineSource;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns a PocketBase binary of the pinned version, obtaining it if needed:
 * POCKETBASE_BIN → project cache → checksum-verified official download → `go install` → one clear error.
 */
export async function provisionEngine(options: ProvisionOptions = {}): Promise<ProvisionedEngine> {
  const version = options.version ?? POCKETBASE_VERSION;
  const cacheDir = options.cacheDir ?? projectPaths.engineCache;
  const env = options.env ?? process.env;
  const log = options.log ?? consoleLogger;

  const fromEnv = env.POCKETBASE_BIN;
  if (fromEnv) {
    if (!(await isExecutableFile(fromEnv))) {
      throw new EngineError(
        `POCKETBASE_BIN points to ${fromEnv}, which is not an executable file.`,
        "Fix the path, or unset POCKETBASE_BIN to let the project obtain the engine.",
      );
    }
    const reported = await readBinaryVersion(fromEnv);
    if (reported !== version) {
      log(`Warning: POCKETBASE_BIN reports version ${reported ?? "(unknown)"}, but this project pins ${version}.`);
    }
    return { binary: fromEnv, version: reported ?? version, source: "env" };
  }

  const cached = cachedBinaryPath(cacheDir, version);
  if (await isExecutableFile(cached)) return { binary: cached, version, source: "cache" };

  return withCacheLock(cacheDir, version, async () => {
    // Another process may have installed it while we waited for the lock.
    if (await isExecutableFile(cached)) return { binary: cached, version, source: "cache" as const };

    const failures: string[] = [];
    for (const method of options.methods ?? ["download", "go"]) {
      try {
        const binary =
          method === "download"
            ? await downloadEngine({ version, cacheDir, baseUrl: env.POCKETBASE_DOWNLOAD_URL, log })
            : await buildEngineWithGo({ version, cacheDir, log, goBinary: options.goBinary });
        return { binary, version, source: method };
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        failures.push(`${method}: ${error.message}`);
        log(`  ${method === "download" ? "Download" : "Go build"} failed: ${error.message}`);
      }
    }
    throw new EngineError(
      `Could not obtain PocketBase ${version} (${failures.join("; ")}).`,
      [
        "Get an engine one of three ways:",
        `  1. connect to the internet and rerun (downloads the official release into ${cacheDir}),`,
        `  2. install Go >= 1.21 and rerun (builds it from the Go module proxy), or`,
        `  3. download pocketbase ${version} yourself and set POCKETBASE_BIN=/path/to/pocketbase.`,
      ].join("\n"),
    );
  });
}
