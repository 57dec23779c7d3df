// The SDK as a package: `npm pack` builds it (prepack) and ships the built code, and a clean consumer that
// installs the tarball gets only client dependencies (no execa, proper-lockfile, fflate or dotenv, which
// are the server tooling's) and can talk to a real engine with it.
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../src/paths.js";
import { useTestEngine } from "./support/engine.js";

const engine = useTestEngine();
const sdkDir = path.join(projectRoot, "packages", "sdk");
let scratch: string;
let tarball: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "sdk-consumer-"));
  const packed = await execa("npm", ["pack", "--pack-destination", scratch, "--json"], { cwd: sdkDir });
  tarball = path.join(scratch, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
}, 180_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("the SDK package", () => {
  it("ships built code and type declarations, not sources or tests", async () => {
    const listing = (await execa("tar", ["-tzf", tarball])).stdout.split("\n");
    expect(listing).toContain("package/dist/index.js");
    expect(listing).toContain("package/dist/index.d.ts");
    expect(listing).toContain("package/dist/generated/todos.js");
    expect(listing.filter((file) => /\.ts$/.test(file) && !file.endsWith(".d.ts"))).toEqual([]);
  });

  it("installs in a clean consumer with only its client dependencies, and works against a real engine", async () => {
    const consumer = path.join(scratch, "consumer");
    await execa("mkdir", ["-p", consumer]);
    await writeFile(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    await execa("npm", ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline"], { cwd: consumer });
    const installed = await readdir(path.join(consumer, "node_modules"));
    for (const dependency of ["pocketbase", "zod", "eventsource"]) expect(installed).toContain(dependency);
    for (const serverTool of ["execa", "proper-lockfile", "fflate", "dotenv", "tsx", "typescript"])
      expect(installed).not.toContain(serverTool);

    await writeFile(
      path.join(consumer, "app.mjs"),
      `import { createClient } from "pocketbase-ts-starter-sdk";
const client = createClient({ url: ${JSON.stringify(engine().url)} });
await client.auth.register({ email: "consumer-" + Date.now() + "@example.com", password: "correct-horse-9" });
const [category] = await client.collection("categories").listAll({ sort: "name" });
const todo = await client.todos.create({ task: "from a consumer", category: category.id });
console.log(JSON.stringify({ task: todo.task, listed: (await client.todos.list()).items.length }));`,
    );
    const run = await execa(process.execPath, ["app.mjs"], { cwd: consumer, reject: false, all: true });
    expect(run.exitCode, run.all).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ task: "from a consumer", listed: 1 });
  });
});
