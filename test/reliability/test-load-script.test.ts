// The `npm run test:load` entry point as a user meets it: help, and a clear one-line refusal of a bad
// flag. (Running the scenarios themselves through it would nest vitest; the scenarios are this folder.)
import { createRequire } from "node:module";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { projectPaths } from "../../src/paths.js";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const run = (...args: string[]) =>
  execa(process.execPath, [tsx, "test/reliability/run.ts", ...args], { cwd: projectPaths.root, reject: false });

describe("test/reliability/run.ts", () => {
  it("--help explains the scenarios and the profiles", async () => {
    const result = await run("--help");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Usage: npm run test:load/);
    expect(result.stdout).toMatch(/50 concurrent users/);
    expect(result.stdout).toMatch(/npm test` runs the short versions/);
  });

  it("refuses a bad flag in one line, pointing at --help", async () => {
    const bad = await run("--seed", "x");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr.trim()).toBe('✖ --seed must be a positive integer, got "x".');
    const unknown = await run("--nope");
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/--nope.*see --help/);
  });
});
