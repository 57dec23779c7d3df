import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { unzipSync } from "fflate";
import { EngineError } from "./errors.js";
import { releaseAssetName, releaseTarget } from "./platform.js";
import { installBinary, stagingPath } from "./cache.js";
import type { Logger } from "./log.js";

/** Official release downloads; overridable (POCKETBASE_DOWNLOAD_URL) for mirrors and tests. */
export const DEFAULT_DOWNLOAD_BASE_URL = "https://github.com/pocketbase/pocketbase/releases/download";

export interface DownloadOptions {
  version: string;
  cacheDir: string;
  baseUrl?: string;
  log: Logger;
  /** Time limit for the small checksums request; a dead network fails here, fast. */
  probeTimeoutMs?: number;
  /** Time limit for the archive itself (about 15 MB). */
  archiveTimeoutMs?: number;
}

/** Finds `asset` in a goreleaser checksums.txt ("<sha256>  <file>" per line). */
export function checksumFor(checksumsText: string, asset: string): string | null {
  for (const line of checksumsText.split(/\r?\n/)) {
    const match = /^([0-9a-f]{64})\s+\*?(\S+)$/i.exec(line.trim());
    if (match && match[2] === asset) return match[1]!.toLowerCase();
  }
  return null;
}

/** The body of `url` (redirects followed), or an EngineError naming the URL and the reason. */
export async function fetchBytes(url: string, timeoutMs: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch (error) {
    const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new EngineError(`Could not download ${url}: ${reason}`, undefined, { cause: error });
  }
  if (!response.ok) throw new EngineError(`Could not download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Downloads the official release archive for this OS/arch, verifies its SHA-256 against the release's
 * checksums file, and installs the binary into the cache. Nothing is installed unless the check passes.
 */
export async function downloadEngine(options: DownloadOptions): Promise<string> {
  const { version, cacheDir, log } = options;
  const baseUrl = (options.baseUrl ?? DEFAULT_DOWNLOAD_BASE_URL).replace(/\/+$/, "");
  const asset = releaseAssetName(version);
  const releaseUrl = `${baseUrl}/v${version}`;

  log(`Downloading PocketBase ${version} (${asset}) from ${releaseUrl} ...`);
  const checksums = (await fetchBytes(`${releaseUrl}/checksums.txt`, options.probeTimeoutMs ?? 10_000)).toString("utf8");
  const expected = checksumFor(checksums, asset);
  if (!expected) throw new EngineError(`The release's checksums.txt has no entry for ${asset}.`);

  const archive = await fetchBytes(`${releaseUrl}/${asset}`, options.archiveTimeoutMs ?? 300_000);
  const actual = createHash("sha256").update(archive).digest("hex");
  if (actual !== expected) {
    throw new EngineError(`Checksum mismatch for ${asset}: expected ${expected}, got ${actual}. The download was discarded.`);
  }

  const binaryName = `pocketbase${releaseTarget().exe}`;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(archive), { filter: (file) => file.name === binaryName });
  } catch (error) {
    throw new EngineError(`${asset} is not a valid zip archive.`, undefined, { cause: error });
  }
  const binary = files[binaryName];
  if (!binary) throw new EngineError(`${asset} does not contain ${binaryName}.`);

  const staged = await stagingPath(cacheDir, version);
  await writeFile(staged, binary, { mode: 0o755 });
  const installed = await installBinary(staged, cacheDir, version);
  log(`Checksum verified; installed ${installed}`);
  return installed;
}
