import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { captureAutomigrations, migrationJsToTs } from "../src/engine/captureMigrations.js";

const engineWritten = `/// <reference path="../pb_data/types.d.ts" />
migrate((app) => {
  const collection = new Collection({ "name": "notes", "type": "base" });
  return app.save(collection);
});
`;

describe("capturing dashboard schema changes in dev", () => {
  let root = "";
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("rewrites the engine's reference to our types file and marks the file as captured", () => {
    const ts = migrationJsToTs(engineWritten);
    expect(ts).not.toContain("pb_data/types.d.ts");
    expect(ts.startsWith('/// <reference path="../.engine/types.d.ts" />')).toBe(true);
    expect(ts).toContain("// @ts-nocheck");
    expect(ts).toContain('new Collection({ "name": "notes", "type": "base" })');
  });

  it("copies only migrations that have no TypeScript source, once", async () => {
    root = await mkdtemp(path.join(tmpdir(), "capture-"));
    const build = path.join(root, "build");
    const src = path.join(root, "src");
    await mkdir(build);
    await mkdir(src);
    await writeFile(path.join(src, "1_init.ts"), "// ours");
    await writeFile(path.join(build, "1_init.js"), "// compiled from ours");
    await writeFile(path.join(build, "2_created_notes.js"), engineWritten);

    const captured = await captureAutomigrations(build, src);
    expect(captured).toEqual([path.join(src, "2_created_notes.ts")]);
    expect((await readdir(src)).sort()).toEqual(["1_init.ts", "2_created_notes.ts"]);
    expect(await readFile(path.join(src, "1_init.ts"), "utf8")).toBe("// ours");
    expect(await captureAutomigrations(build, src)).toEqual([]);
  });
});
