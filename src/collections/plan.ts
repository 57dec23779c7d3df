// Declaration vs database: what the migrations produce on an empty database, compared with what
// pb_hooks/lib/collections.ts declares; and the migration file that closes the gap.
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { COLLECTIONS } from "../../pb_hooks/lib/collections.js";
import type { Declarations } from "../../pb_hooks/lib/declaration.js";
import type { JsvmCompiler } from "../engine/incrementalCompile.js";
import { withMigratedEngine, type MigratedEngine } from "../engine/migrated.js";
import { silentLogger, type Logger } from "../engine/log.js";
import { projectPaths } from "../paths.js";
import { diffSchema, type SchemaChange } from "./diff.js";
import { expectedCollections, type CollectionJson } from "./expected.js";
import { migrationSource } from "./migrationSource.js";
import { validateDeclarations } from "./validate.js";

/** Every collection of a running engine, as a superuser sees it. */
export async function readCollections(engine: Pick<MigratedEngine, "url" | "superuserToken">): Promise<CollectionJson[]> {
  const response = await fetch(`${engine.url}/api/collections?perPage=500&sort=name`, {
    headers: { Authorization: engine.superuserToken },
  });
  if (!response.ok) throw new Error(`GET /api/collections answered HTTP ${response.status}.`);
  return ((await response.json()) as { items: CollectionJson[] }).items;
}

/** Options of the migration writer; `compiler` as for withMigratedEngine. */
export interface PlanOptions {
  declarations?: Declarations;
  log?: Logger;
  compiler?: JsvmCompiler;
}

/** The changes a new migration must make so the migrated schema matches the declarations. */
export async function planSchemaChanges(options: PlanOptions = {}): Promise<SchemaChange[]> {
  const declarations = options.declarations ?? COLLECTIONS;
  validateDeclarations(declarations);
  return withMigratedEngine(
    async (engine) => diffSchema(expectedCollections(declarations), await readCollections(engine)),
    options.log ?? silentLogger,
    options.compiler,
  );
}

/** `<unix-seconds>_<snake_case>.ts`, after every migration already in `dir`. */
export async function nextMigrationName(name: string, dir = projectPaths.migrationsSrc, now = Date.now()): Promise<string> {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!slug) throw new Error(`"${name}" makes no file name; use letters, digits and underscores.`);
  const latest = Math.max(0, ...(await readdir(dir).catch(() => [] as string[])).map((file) => Number(/^(\d+)_/.exec(file)?.[1] ?? 0)));
  return `${Math.max(Math.floor(now / 1000), latest + 1)}_${slug}.ts`;
}

/**
 * Writes the migration that brings the schema to the declarations into pb_migrations/ (or `dir`).
 * Returns its path and what it does; no file when nothing differs.
 */
export async function writeMigration(
  name: string,
  options: PlanOptions & { dir?: string } = {},
): Promise<{ file: string | null; changes: SchemaChange[] }> {
  const dir = options.dir ?? projectPaths.migrationsSrc;
  const changes = await planSchemaChanges(options);
  if (changes.length === 0) return { file: null, changes };
  const file = path.join(dir, await nextMigrationName(name, dir));
  await writeFile(file, await formatted(file, migrationSource(changes, "pb_hooks/lib/collections.ts")));
  return { file, changes };
}

/**
 * The source as the project's formatter writes it (npm test checks formatting), or as is where
 * Prettier is not installed (a production install has no dev dependencies).
 */
async function formatted(file: string, source: string): Promise<string> {
  try {
    const prettier = await import("prettier");
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(source, { ...config, filepath: file });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND") return source;
    throw error;
  }
}
