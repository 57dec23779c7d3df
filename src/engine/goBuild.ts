import { mkdtemp, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { POCKETBASE_GO_TOOLCHAIN } from "../paths.js";
import { EngineError } from "./errors.js";
import { installBinary, stagingPath } from "./cache.js";
import type { Logger } from "./log.js";

/**
 * The oldest local Go that can build the engine: since Go 1.21 the go command fetches the toolchain a
 * module asks for (GOTOOLCHAIN) from the module proxy, so the pinned toolchain does the real work.
 */
export const MIN_GO_VERSION = [1, 21] as const;

/** The Go toolchain's version as [major, minor], or null when `go` is not installed. */
export async function goVersion(goBinary = "go"): Promise<[number, number] | null> {
  const result = await execa(goBinary, ["env", "GOVERSION"], { reject: false, timeout: 30_000, env: { GOTOOLCHAIN: "local" } }).catch(
    () => null,
  );
  const match = result && result.exitCode === 0 ? /go(\d+)\.(\d+)/.exec(result.stdout) : null;
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function isRecentEnough(version: [number, number]): boolean {
  return version[0] > MIN_GO_VERSION[0] || (version[0] === MIN_GO_VERSION[0] && version[1] >= MIN_GO_VERSION[1]);
}

/** A Go target; defaults to this machine. */
export interface GoTarget {
  os?: string;
  arch?: string;
}

export interface GoBuildOptions {
  version: string;
  log: Logger;
  goBinary?: string;
  /** Cross-compile for another OS/arch (the release is pure Go, CGO off, so any target works). */
  target?: GoTarget;
  /** Keep the symbol table (the release strips it): for profiling only (npm run bench -- --guard-profile). */
  symbols?: boolean;
}

/**
 * Compiles the same program as the official release (examples/base, CGO off, version stamped) from the
 * Go module proxy into `outFile`, with the pinned Go toolchain. Works offline once Go's module cache holds
 * the modules.
 */
export async function compileEngineWithGo(options: GoBuildOptions, outFile: string): Promise<void> {
  const { version, log } = options;
  const goBinary = options.goBinary ?? "go";
  const found = await goVersion(goBinary);
  if (!found) throw new EngineError("Go is not installed, so the engine cannot be built from source.");
  if (!isRecentEnough(found)) {
    throw new EngineError(
      `Go ${found.join(".")} is too old to fetch the toolchain that builds PocketBase ${version}; install Go >= ${MIN_GO_VERSION.join(".")}.`,
    );
  }
  const goEnv = await execa(goBinary, ["env", "GOMODCACHE", "GOCACHE"], { reject: false, env: { GOTOOLCHAIN: "local" } });
  const [modCache, buildCache] = goEnv.stdout.split("\n");

  // `go install` into a private GOPATH (module and build caches stay the shared ones): native builds land
  // in bin/, cross builds in bin/<os>_<arch>/ (GOBIN cannot be used for cross builds).
  const gopath = await mkdtemp(path.join(path.dirname(outFile), ".gobuild-"));
  const started = Date.now();
  const targetLabel =
    options.target?.os || options.target?.arch ? ` for ${options.target.os ?? "this OS"}/${options.target.arch ?? "this arch"}` : "";
  log(`Building PocketBase ${version}${targetLabel} with ${POCKETBASE_GO_TOOLCHAIN} (go install from the Go module proxy).`);
  log(`The first build fetches that Go toolchain (~76 MB) and the modules and compiles for a few minutes; later builds reuse Go's caches.`);
  const ticker = setInterval(() => log(`  ... still building (${Math.round((Date.now() - started) / 1000)}s)`), 30_000);
  try {
    const build = await execa(
      goBinary,
      [
        "install",
        "-trimpath",
        "-ldflags",
        `${options.symbols ? "" : "-s -w "}-X github.com/pocketbase/pocketbase.Version=${version}`,
        `github.com/pocketbase/pocketbase/examples/base@v${version}`,
      ],
      {
        env: {
          CGO_ENABLED: "0",
          GOPATH: gopath,
          GOBIN: "",
          ...(modCache ? { GOMODCACHE: modCache } : {}),
          ...(buildCache ? { GOCACHE: buildCache } : {}),
          GOFLAGS: "-buildvcs=false",
          GOTOOLCHAIN: POCKETBASE_GO_TOOLCHAIN,
          ...(options.target?.os ? { GOOS: options.target.os } : {}),
          ...(options.target?.arch ? { GOARCH: options.target.arch } : {}),
        },
        reject: false,
        all: true,
      },
    );
    if (build.exitCode !== 0) {
      const tail = (build.all ?? "").trim().split("\n").slice(-5).join(" | ");
      throw new EngineError(`go install of PocketBase ${version} failed: ${tail}`);
    }
    const built = await findBuilt(path.join(gopath, "bin"));
    if (!built) throw new EngineError("go install finished but produced no binary.");
    await rename(built, outFile);
    log(`Built in ${Math.round((Date.now() - started) / 1000)}s.`);
  } finally {
    clearInterval(ticker);
    await rm(gopath, { recursive: true, force: true });
  }
}

/** The `base` binary under bin/ (native) or bin/<os>_<arch>/ (cross). */
async function findBuilt(binDir: string): Promise<string | null> {
  for (const entry of await readdir(binDir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isFile() && /^base(\.exe)?$/.test(entry.name)) return path.join(binDir, entry.name);
    if (entry.isDirectory()) {
      const inner = await findBuilt(path.join(binDir, entry.name));
      if (inner) return inner;
    }
  }
  return null;
}

/** Builds the engine for this machine with Go and installs it into the cache (checked with --version). */
export async function buildEngineWithGo(options: GoBuildOptions & { cacheDir: string }): Promise<string> {
  const staged = await stagingPath(options.cacheDir, options.version);
  await compileEngineWithGo(options, staged);
  const installed = await installBinary(staged, options.cacheDir, options.version);
  options.log(`Installed ${installed}`);
  return installed;
}
