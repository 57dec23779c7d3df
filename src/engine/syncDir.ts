import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * Makes `to` hold exactly the files of `from`: changed files are replaced atomically (rename), files
 * that did not change are left untouched, files missing from `from` are removed.
 */
export async function syncDir(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const source = await readdir(from, { withFileTypes: true }).catch(() => []);
  const wanted = new Set(source.map((entry) => entry.name));
  for (const entry of source) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await syncDir(src, dst);
      continue;
    }
    const [next, current] = await Promise.all([readFile(src), readFile(dst).catch(() => null)]);
    if (current && current.equals(next)) continue;
    await rm(dst, { recursive: true, force: true }).catch(() => {});
    await rename(src, dst);
  }
  for (const entry of await readdir(to, { withFileTypes: true })) {
    if (!wanted.has(entry.name)) await rm(path.join(to, entry.name), { recursive: true, force: true });
  }
}
