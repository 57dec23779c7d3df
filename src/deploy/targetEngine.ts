import { createHash } from "node:crypto";
import { chmod, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { unzipSync } from "fflate";
import { POCKETBASE_VERSION, projectPaths } from "../paths.js";
import { provisionEngine } from "../engine/provision.js";
import { checksumFor, DEFAULT_DOWNLOAD_BASE_URL, fetchBytes } from "../engine/download.js";
import { compileEngineWithGo } from "../engine/goBuild.js";
import { releaseAssetName } from "../engine/platform.js";
import { EngineError } from "../engine/errors.js";
import type { Logger } from "../engine/log.js";
import { executableTarget } from "./binaryFormat.js";
import { goTarget, hostTarget, sameTarget, targetLabel, type BundleTarget } from "./target.js";

/** Engines for other machines, one folder per version and target (gitignored, never under .engine/). */
export const crossEngineCache = path.join(projectPaths.root, ".cache", "engines");

export interface TargetEngineOptions {
  target: BundleTarget;
  version?: string;
  /** POCKETBASE_BIN (this machine only) and POCKETBASE_DOWNLOAD_URL are read from it. */
  env?: NodeJS.ProcessEnv;
  log: Logger;
  cacheDir?: string;
  methods?: Array<"download" | "go">;
  goBinary?: string;
}

export interface TargetEngine {
  binary: string;
  version: string;
  target: BundleTarget;
  /** How it was obtained: the project's engine for this machine, or a cross cache / download / Go build. */
  source: "env" | "cache" | "download" | "go";
}

/**
 * The engine binary for `target`. For this machine it is the project's own engine (POCKETBASE_BIN,
 * .engine/, download, go install). For another OS/arch: a cached one, else the official release for it
 * (SHA-256 checked against checksums.txt), else a Go cross-compile from the module proxy (offline once
 * Go's module cache holds the modules). Every binary's header is checked against the target.
 */
export async function obtainEngineFor(options: TargetEngineOptions): Promise<TargetEngine> {
  const { target, log } = options;
  const version = options.version ?? POCKETBASE_VERSION;
  const env = options.env ?? process.env;
  if (sameTarget(target, hostTarget())) {
    const engine = await provisionEngine({ version, env, log, methods: options.methods, goBinary: options.goBinary });
    await assertBuiltFor(engine.binary, target);
    return { binary: engine.binary, version: engine.version, target, source: engine.source };
  }

  const dir = path.join(options.cacheDir ?? crossEngineCache, version, `${target.os}_${target.arch}`);
  const binary = path.join(dir, "pocketbase");
  if (await isFile(binary)) {
    await assertBuiltFor(binary, target);
    return { binary, version, target, source: "cache" };
  }
  await mkdir(dir, { recursive: true });
  const staged = path.join(dir, `.staging-${process.pid}`);
  const failures: string[] = [];
  try {
    for (const method of options.methods ?? ["download", "go"]) {
      try {
        if (method === "download") await downloadReleaseFor(target, version, env.POCKETBASE_DOWNLOAD_URL, log, staged);
        else await compileEngineWithGo({ version, log, goBinary: options.goBinary, target: goTarget(target) }, staged);
        await chmod(staged, 0o755);
        await assertBuiltFor(staged, target);
        await rename(staged, binary);
        log(`Engine for ${targetLabel(target)} cached at ${binary}`);
        return { binary, version, target, source: method };
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        failures.push(`${method}: ${error.message}`);
        log(`  ${method === "download" ? "Download" : "Go cross-compile"} failed: ${error.message}`);
      }
    }
  } finally {
    await rm(staged, { force: true });
  }
  throw new EngineError(
    `Could not obtain PocketBase ${version} for ${targetLabel(target)} (${failures.join("; ")}).`,
    "Connect to the internet (release download), or install Go >= 1.21 (cross-compile from the Go module proxy).",
  );
}

/** Refuses a binary whose header names another OS/arch (a wrong POCKETBASE_BIN, a broken download). */
export async function assertBuiltFor(binary: string, target: BundleTarget): Promise<void> {
  const found = await executableTarget(binary).catch(() => null);
  if (!found || found.os !== target.os || found.arch !== target.arch) {
    throw new EngineError(
      `${binary} is ${found ? `an executable for ${found.os}/${found.arch}` : "not an executable"}, not one for ${targetLabel(target)}.`,
    );
  }
}

/** Downloads the official release archive for `target`, checks its SHA-256, writes the binary to `outFile`. */
async function downloadReleaseFor(target: BundleTarget, version: string, baseUrl: string | undefined, log: Logger, outFile: string) {
  const asset = releaseAssetName(version, { os: target.os, arch: target.arch, exe: "" });
  const releaseUrl = `${(baseUrl ?? DEFAULT_DOWNLOAD_BASE_URL).replace(/\/+$/, "")}/v${version}`;
  log(`Downloading ${asset} from ${releaseUrl} ...`);
  const expected = checksumFor((await fetchBytes(`${releaseUrl}/checksums.txt`, 10_000)).toString("utf8"), asset);
  if (!expected) throw new EngineError(`The release's checksums.txt has no entry for ${asset}.`);
  const archive = await fetchBytes(`${releaseUrl}/${asset}`, 300_000);
  const actual = createHash("sha256").update(archive).digest("hex");
  if (actual !== expected) throw new EngineError(`Checksum mismatch for ${asset}: expected ${expected}, got ${actual}.`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(archive), { filter: (file) => file.name === "pocketbase" });
  } catch (error) {
    throw new EngineError(`${asset} is not a valid zip archive.`, undefined, { cause: error });
  }
  if (!files.pocketbase) throw new EngineError(`${asset} does not contain pocketbase.`);
  await writeFile(outFile, files.pocketbase, { mode: 0o755 });
  log(`Checksum verified (${asset}).`);
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
