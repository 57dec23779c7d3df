import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { compileSchemaAndHooks } from "./compile.js";
import { withEphemeralEngine, type EphemeralEngine } from "./ephemeral.js";
import { prepareEngine } from "./index.js";
import { silentLogger, type Logger } from "./log.js";

/** An ephemeral engine that applied the project's migrations to an empty database, and its version. */
export type MigratedEngine = EphemeralEngine & { version: string };

/**
 * Compiles the current pb_migrations/ and pb_hooks/ into a private temp dir (never .build/, which a dev
 * server or test engines may be using), starts an ephemeral engine on them, calls `use`, and cleans up.
 * What typegen, the migration writer and the auditor read the schema from.
 */
export async function withMigratedEngine<T>(use: (engine: MigratedEngine) => Promise<T>, log: Logger = silentLogger): Promise<T> {
  const { binary, version } = await prepareEngine({ compile: false, log });
  const workDir = await mkdtemp(path.join(tmpdir(), "pb-migrated-"));
  try {
    await compileSchemaAndHooks(path.join(workDir, "build"));
    const dirs = { migrationsDir: path.join(workDir, "build", "pb_migrations"), hooksDir: path.join(workDir, "build", "pb_hooks") };
    return await withEphemeralEngine({ binary, ...dirs }, (engine) => use(Object.assign(engine, { version })));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
