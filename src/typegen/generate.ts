import { readFile, readdir, mkdir, writeFile, rm } from "node:fs/promises";
import path from "node:path";
import { GENERATED_HEADER } from "./options.js";
import { collectionNames, renderCollection, renderIndex } from "./render.js";
import type { Declarations } from "../../pb_hooks/lib/declaration.js";
import type { EngineSchema } from "../engine/collectionJson.js";

/** A generated file: its name inside the output dir and its full text. */
export interface GeneratedFile {
  name: string;
  content: string;
}

/** The collections that get types: every collection the project defines, plus the built-in users. */
export function selectCollections(schema: EngineSchema): EngineSchema["collections"] {
  return schema.collections.filter((c) => !c.system).sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/** Renders every generated file for a schema, in a stable order. Pure. */
export function renderFiles(schema: EngineSchema, declarations?: Declarations): GeneratedFile[] {
  const collections = selectCollections(schema);
  return [
    ...collections.map((c) => ({ name: collectionNames(c).file, content: renderCollection(c, schema, declarations) })),
    { name: "index.ts", content: renderIndex(collections, schema) },
  ].sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/** Which files in `dir` differ from the fresh rendering: changed, missing, or no longer generated. */
export async function staleFiles(files: GeneratedFile[], dir: string): Promise<string[]> {
  const stale: string[] = [];
  for (const file of files) {
    const current = await readFile(path.join(dir, file.name), "utf8").catch(() => null);
    if (current !== file.content) stale.push(file.name);
  }
  const expected = new Set(files.map((f) => f.name));
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!expected.has(name) && name.endsWith(".ts")) stale.push(name);
  }
  return stale.sort();
}

/**
 * Writes the changed files into `dir` and deletes generated files that are no longer produced (say, of a
 * dropped collection). A file there without the generated header is someone's own: it is left alone.
 */
export async function writeFiles(
  files: GeneratedFile[],
  dir: string,
): Promise<{ written: string[]; removed: string[]; foreign: string[] }> {
  await mkdir(dir, { recursive: true });
  const stale = await staleFiles(files, dir);
  const expected = new Set(files.map((f) => f.name));
  const written: string[] = [];
  const removed: string[] = [];
  const foreign: string[] = [];
  for (const name of stale) {
    const file = files.find((f) => f.name === name);
    if (file) {
      await writeFile(path.join(dir, name), file.content);
      written.push(name);
    } else if (!expected.has(name)) {
      const text = await readFile(path.join(dir, name), "utf8");
      if (text.startsWith(GENERATED_HEADER)) {
        await rm(path.join(dir, name));
        removed.push(name);
      } else {
        foreign.push(name);
      }
    }
  }
  return { written, removed, foreign };
}
