// `npm run new:collection` as a command line, in a temporary copy of the project: asked part by part when
// run without arguments, and a mistake refused with one clear line and nothing changed. (What the command
// makes, and that it is locked down, is test/make-it-yours.test.ts.)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyProject, type ProjectCopy } from "./support/projectCopy.js";

let copy: ProjectCopy;

beforeAll(async () => {
  copy = await copyProject();
}, 60_000);
afterAll(async () => {
  await copy.dispose();
});

describe("npm run new:collection", () => {
  it("without arguments it asks for each part", async () => {
    const asked = await copy.run("npm run new:collection", { input: "tags\nread-only\nlabel:text:1-30\n\n" });
    expect(asked.exitCode, asked.all).toBe(0);
    expect(asked.stdout).toContain("Collection name");
    expect(asked.stdout).toContain('✔ Declared "tags"');
    const declarations = await readFile(path.join(copy.dir, "pb_hooks", "lib", "collections.ts"), "utf8");
    expect(declarations).toMatch(/tags: \{\n {4}policy: "readOnly",/);
  });

  it("refuses a mistake with one clear line and changes nothing", async () => {
    const before = await readFile(path.join(copy.dir, "pb_hooks", "lib", "collections.ts"), "utf8");
    const wrong = await copy.run("npm run new:collection -- things --field size:colour");
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain('unknown field kind "colour"');
    expect(await readFile(path.join(copy.dir, "pb_hooks", "lib", "collections.ts"), "utf8")).toBe(before);
  });
});
