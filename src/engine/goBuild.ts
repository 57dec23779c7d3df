import { mkdtemp, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { EngineError } from "./errors.js";
import { installBinary, stagingPath } from "./cache.js";
import type { Logger } from "./log.js";

/** PocketBase's go.mod asks for this Go version. */
export const MIN_GO_VERSION = [1, 25] as const;

/** The Go toolchain's version as [major, minor], or null when `go` is not installed. */
export async function goVersion(goBinary = "go"): Promise<[number, number] | null> {
  const result = await execa(goBinary, ["env", "GOVERSION"], { reject: false, timeout: 30_000 }).catch(() => null);
  const match = result && result.exitCode === 0 ? /go(\d+)\.(\d+)/.exec(result.stdout) : null;
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function isRecentEnough(version: [number, number]): boolean {
  return version[0] > MIN_GO_VERSION[0] || (version[0] === MIN_GO_VERSION[0] && version[1] >= MIN_GO_VERSION[1]);
}

export interface GoBuildOptions {
  version: string;
  cacheDir: string;
  log: Logger;
  goBinary?: string;
}

/**
 * Builds the same program as the official release (examples/base, CGO off, version stamped) from the
 * Go module proxy, and installs it into the cache. Works wherever the module proxy is reachable.
 */
export async function buildEngineWithGo(options: GoBuildOptions): Promise<string> {
  const { version, cacheDir, log } = options;
  const goBinary = options.goBinary ?? "go";
  const found = await goVersion(goBinary);
  if (!found) throw new EngineError("Go is not installed, so the engine cannot be built from source.");
  if (!isRecentEnough(found)) {
    throw new EngineError(
      `Go ${found.join(".")} is too old to build PocketBase ${version}; it needs Go >= ${MIN_GO_VERSION.join(".")}.`,
    );
  }

  const gobin = await mkdtemp(path.join(cacheDir, ".gobuild-"));
  const started = Date.now();
  log(`Building PocketBase ${version} with Go ${found.join(".")} (go install from the Go module proxy).`);
  log("This takes a few minutes the first time; later builds reuse Go's caches.");
  const ticker = setInterval(() => log(`  ... still building (${Math.round((Date.now() - started) / 1000)}s)`), 30_000);
  try {
    const build = await execa(
      goBinary,
      [
        "install",
        "-trimpath",
        "-ldflags",
        `-s -w -X github.com/pocketbase/pocketbase.Version=${version}`,
        `github.com/pocketbase/pocketbase/examples/base@v${version}`,
      ],
      { env: { CGO_ENABLED: "0", GOBIN: gobin, GOFLAGS: "-buildvcs=false" }, reject: false, all: true },
    );
    if (build.exitCode !== 0) {
      const tail = (build.all ?? "").trim().split("\n").slice(-5).join(" | ");
      throw new EngineError(`go install of PocketBase ${version} failed: ${tail}`);
    }
    const built = (await readdir(gobin)).find((name) => name === "base" || name === "base.exe");
    if (!built) throw new EngineError("go install finished but produced no binary.");
    const staged = await stagingPath(cacheDir, version);
    await rename(path.join(gobin, built), staged);
    const installed = await installBinary(staged, cacheDir, version);
    log(`Built in ${Math.round((Date.now() - started) / 1000)}s; installed ${installed}`);
    return installed;
  } finally {
    clearInterval(ticker);
    await rm(gobin, { recursive: true, force: true });
  }
}
