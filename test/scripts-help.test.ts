// Every npm script that runs a file under scripts/ answers --help with its usage and exit code 0, and
// does nothing else (no compile, no engine): README "Every script has --help".
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/paths.js";

const scripts = JSON.parse(await readFile(path.join(projectRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
const commands = Object.entries(scripts.scripts).flatMap(([name, line]) => {
  const file = /scripts\/run\.mjs (\S+)/.exec(line)?.[1];
  return file ? [{ name, file }] : [];
});

describe("npm scripts", () => {
  it("the list is read from package.json", () => expect(commands.length).toBeGreaterThan(15));

  it.concurrent.each(commands)("$name -- --help prints its usage", async ({ file }) => {
    const result = await execa(process.execPath, ["scripts/run.mjs", file, "--help"], {
      cwd: projectRoot,
      reject: false,
      all: true,
      input: "",
    });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/^Usage: npm (run |start|test)/);
  });
});
