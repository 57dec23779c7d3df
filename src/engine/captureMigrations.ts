import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { projectPaths } from "../paths.js";

const HEADER = [
  "// Captured by `npm run dev` from a schema change made in the dashboard (PocketBase automigrate).",
  "// Review it, then commit it like any other migration. The engine writes untyped JSON for collections,",
  "// so type-checking is off for this file; rewrite it with the typed field classes if you like.",
  "// @ts-nocheck",
].join("\n");

/** Turns an engine-written JavaScript migration into a TypeScript source file for pb_migrations/. */
export function migrationJsToTs(js: string): string {
  const body = js.replace(/^\/\/\/\s*<reference path="[^"]*types\.d\.ts"\s*\/>\s*\n?/m, "");
  return `/// <reference path="../.engine/types.d.ts" />\n${HEADER}\n${body}`;
}

/**
 * Copies migrations that the engine wrote into the build folder (dashboard schema edits in dev) back
 * into pb_migrations/ as .ts files, so they are not lost with the build folder. Returns the new sources.
 */
export async function captureAutomigrations(
  buildDir: string = projectPaths.migrationsBuild,
  sourceDir: string = projectPaths.migrationsSrc,
): Promise<string[]> {
  const sources = new Set((await readdir(sourceDir).catch(() => [] as string[])).map((f) => f.replace(/\.ts$/, "")));
  const captured: string[] = [];
  for (const file of await readdir(buildDir).catch(() => [] as string[])) {
    if (!file.endsWith(".js") || sources.has(file.replace(/\.js$/, ""))) continue;
    const target = path.join(sourceDir, file.replace(/\.js$/, ".ts"));
    await writeFile(target, migrationJsToTs(await readFile(path.join(buildDir, file), "utf8")));
    captured.push(target);
  }
  return captured;
}
