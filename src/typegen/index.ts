import path from "node:path";
import { silentLogger, type Logger } from "../engine/index.js";
import type { JsvmCompiler } from "../engine/incrementalCompile.js";
import { projectPaths } from "../paths.js";
import type { Declarations } from "../../pb_hooks/lib/declaration.js";
import { GENERATED_DIR } from "./options.js";
import { withMigratedEngine } from "../engine/migrated.js";
import { readEngineSchema } from "./read.js";
import { renderFiles, staleFiles, writeFiles, type GeneratedFile } from "./generate.js";

export { renderFiles, staleFiles, writeFiles, selectCollections, type GeneratedFile } from "./generate.js";
export { renderCollection, renderIndex, collectionNames } from "./render.js";
export { fieldCode, jsPattern } from "./fields.js";
export { typeNameFor } from "./names.js";
export { readEngineSchema } from "./read.js";
export type { EngineSchema, EngineCollection, EngineField } from "../engine/collectionJson.js";
export { GENERATED_DIR, GENERATED_HEADER } from "./options.js";
export { buildSdkPackage } from "./buildSdk.js";

export interface TypegenOptions {
  /** Output directory; defaults to packages/sdk/src/generated. */
  outDir?: string;
  log?: Logger;
  /** The declarations to read trimmed/server-set fields from (default: pb_hooks/lib/collections.ts as loaded). */
  declarations?: Declarations;
  /** Compiles the JSVM sources (default: a fresh tsc); see withMigratedEngine. */
  compiler?: JsvmCompiler;
}

/** The default output directory, absolute. */
export const generatedDir = path.join(projectPaths.root, GENERATED_DIR);

/** Starts a fresh engine on the current migrations and renders the generated files from what it reports. */
export async function generateFromMigrations(options: TypegenOptions = {}): Promise<GeneratedFile[]> {
  const schema = await withMigratedEngine(readEngineSchema, options.log ?? silentLogger, options.compiler);
  return renderFiles(schema, options.declarations);
}

/** `npm run typegen`: regenerates the files; returns what changed. */
export async function runTypegen(options: TypegenOptions = {}): Promise<{ written: string[]; removed: string[]; foreign: string[] }> {
  const files = await generateFromMigrations(options);
  return writeFiles(files, options.outDir ?? generatedDir);
}

/** `npm run typegen -- --check`: the files that are stale (empty when the committed output is current). */
export async function checkTypegen(options: TypegenOptions = {}): Promise<string[]> {
  const files = await generateFromMigrations(options);
  return staleFiles(files, options.outDir ?? generatedDir);
}
