import { execa } from "execa";

/**
 * Reads the version a PocketBase binary reports ("pocketbase version 0.39.11"), or null when the file
 * does not run or prints something else. Used to verify installs and to warn about POCKETBASE_BIN.
 */
export async function readBinaryVersion(binary: string): Promise<string | null> {
  try {
    const { stdout } = await execa(binary, ["--version"], { timeout: 15_000, reject: false });
    const match = /version\s+v?(\S+)/.exec(stdout);
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}
