import { chmod, mkdir, rename, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import lockfile from "proper-lockfile";
import { releaseTarget } from "./platform.js";
import { readBinaryVersion } from "./binaryVersion.js";
import { EngineError } from "./errors.js";

/** Where the binary of `version` lives inside a cache folder. */
export function cachedBinaryPath(cacheDir: string, version: string): string {
  return path.join(cacheDir, version, `pocketbase${releaseTarget().exe}`);
}

/** A temp path next to the final binary: same filesystem, so the final rename is atomic. */
export async function stagingPath(cacheDir: string, version: string): Promise<string> {
  const dir = path.join(cacheDir, version);
  await mkdir(dir, { recursive: true });
  return path.join(dir, `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/**
 * Moves a freshly obtained binary into the cache, after checking it really is `version`.
 * Readers see either no binary or a complete one, never a half-written file.
 */
export async function installBinary(staged: string, cacheDir: string, version: string): Promise<string> {
  const finalPath = cachedBinaryPath(cacheDir, version);
  try {
    await chmod(staged, 0o755);
    const actual = await readBinaryVersion(staged);
    if (actual !== version) {
      throw new EngineError(`The obtained engine reports version ${actual ?? "(none)"}, expected ${version}.`);
    }
    await rename(staged, finalPath);
    return finalPath;
  } finally {
    await rm(staged, { force: true });
  }
}

/**
 * Runs `fn` while holding the cache lock of `version`, so that parallel test workers or two terminals
 * provisioning at once neither corrupt the cache nor build the engine twice.
 */
export async function withCacheLock<T>(cacheDir: string, version: string, fn: () => Promise<T>): Promise<T> {
  const dir = path.join(cacheDir, version);
  await mkdir(dir, { recursive: true });
  const release = await lockfile.lock(dir, {
    lockfilePath: path.join(dir, ".lock"),
    stale: 20_000,
    update: 5_000,
    // A Go build can hold the lock for minutes; wait up to 15 minutes for it.
    retries: { retries: 900, minTimeout: 1_000, maxTimeout: 1_000, factor: 1 },
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}
