import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";

/**
 * Reads the version a PocketBase binary reports ("pocketbase version 0.40.4"), or null when the file
 * does not run or prints something else. Used to verify installs and to warn about POCKETBASE_BIN.
 *
 * Even `--version` makes the engine load JS migrations and hooks from its default folders (beside the
 * binary, or the working dir for a binary under the OS temp dir), so point both at an empty folder.
 */
export async function readBinaryVersion(binary: string): Promise<string | null> {
  const empty = await mkdtemp(path.join(tmpdir(), "pb-version-"));
  try {
    const { stdout } = await execa(binary, ["--version", `--migrationsDir=${empty}`, `--hooksDir=${empty}`], {
      cwd: empty,
      timeout: 15_000,
      reject: false,
    });
    const match = /version\s+v?(\S+)/.exec(stdout);
    return match?.[1] ?? null;
  } catch {
    return null;
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
}
