import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectPaths } from "../paths.js";
import { EngineError } from "./errors.js";
import { runEngineCli } from "./cli.js";
import { exists } from "../files.js";

/**
 * Makes .engine/types.d.ts the engine's own type declarations (JSVM globals, migrate(), hooks) for the
 * given binary, so migrations and hooks are type-checked against exactly the engine that runs them.
 * The engine writes the file into any data dir it bootstraps; we bootstrap a throwaway one.
 */
export async function ensureEngineTypes(binary: string, version: string): Promise<string> {
  const perVersion = path.join(projectPaths.engineCache, version, "types.d.ts");
  if (!(await exists(perVersion))) {
    const scratch = await mkdtemp(path.join(tmpdir(), "pb-types-"));
    try {
      const empty = path.join(scratch, "empty");
      await mkdir(empty);
      await runEngineCli(binary, ["migrate", "history-sync"], {
        dataDir: path.join(scratch, "data"),
        migrationsDir: empty,
        hooksDir: empty,
      });
      const generated = path.join(scratch, "data", "types.d.ts");
      if (!(await exists(generated))) throw new EngineError(`${binary} did not generate types.d.ts.`);
      await mkdir(path.dirname(perVersion), { recursive: true });
      await copyFile(generated, perVersion);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const current = await readFile(projectPaths.engineTypes, "utf8").catch(() => "");
  if (current !== (await readFile(perVersion, "utf8"))) await copyFile(perVersion, projectPaths.engineTypes);
  return projectPaths.engineTypes;
}
