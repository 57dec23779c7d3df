import path from "node:path";
import { projectPaths } from "../paths.js";
import { compileSchemaAndHooks } from "./compile.js";
import type { JsvmCompiler } from "./incrementalCompile.js";
import { withEphemeralEngine, type EphemeralEngine } from "./ephemeral.js";
import { prepareEngine } from "./index.js";
import { silentLogger, type Logger } from "./log.js";

/** An ephemeral engine that applied the project's migrations to an empty database, and its version. */
export type MigratedEngine = EphemeralEngine & { version: string };

/**
 * Where typegen, the migration writer and the auditor compile the current sources: a folder of its own
 * (never .build/pb_*, which a dev server or test engines may be running from), kept between runs so an
 * unchanged project is not compiled again (compileSchemaAndHooks stamps it with its inputs' hash).
 */
export const MIGRATED_BUILD = path.join(projectPaths.build, "migrated-schema");

/**
 * Starts an ephemeral engine on the current pb_migrations/ and pb_hooks/ (compiled when they changed),
 * calls `use`, and cleans up. What typegen, the migration writer and the auditor read the schema from.
 * A command that compiles twice (new:collection: before and after writing a migration) passes one
 * `compiler` that keeps the program in memory, so the second compile re-checks only the new file.
 */
export async function withMigratedEngine<T>(
  use: (engine: MigratedEngine) => Promise<T>,
  log: Logger = silentLogger,
  compiler?: JsvmCompiler,
): Promise<T> {
  const { binary, version } = await prepareEngine({ compile: false, log });
  await (compiler ? compiler.compile(MIGRATED_BUILD) : compileSchemaAndHooks(MIGRATED_BUILD));
  const dirs = { migrationsDir: path.join(MIGRATED_BUILD, "pb_migrations"), hooksDir: path.join(MIGRATED_BUILD, "pb_hooks") };
  return withEphemeralEngine({ binary, ...dirs }, (engine) => use(Object.assign(engine, { version })));
}
