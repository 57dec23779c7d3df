// npm run dev, run as a developer would in a copy of the project: a save is recompiled and served, a type
// error is reported loudly while the last good build keeps serving, and fixing it serves the fix.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa, type ResultPromise } from "execa";
import { freePort } from "../src/engine/index.js";
import { copyProject, type ProjectCopy } from "./support/projectCopy.js";
import { eventually } from "./support/sdk.js";

let copy: ProjectCopy;
let dev: ResultPromise | undefined;
let output = "";
let url = "";

beforeAll(async () => {
  copy = await copyProject();
  url = `http://127.0.0.1:${await freePort()}`;
  dev = execa("npm", ["run", "dev"], {
    cwd: copy.dir,
    reject: false,
    all: true,
    env: {
      PB_HTTP: url.replace("http://", ""),
      // A real SMTP setting keeps the mail catcher out of this test (it has its own).
      PB_SMTP_HOST: "127.0.0.1",
      PB_SMTP_PORT: "1",
      PB_MAIL_FROM_ADDRESS: "dev@example.com",
    },
  });
  dev.all!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await eventually(() => readyCount() === 1, "the dev server is ready", 60_000);
}, 90_000);

afterAll(async () => {
  dev?.kill("SIGTERM");
  await dev;
  await copy.dispose();
});

const readyCount = () => output.split("✔ Dev server ready").length - 1;
const probe = path.join("pb_hooks", "probe.pb.ts");
const route = (body: string) => `routerAdd("GET", "/api/dev-probe", (e) => {\n${body}\n});\n`;
const get = async () => {
  const response = await fetch(`${url}/api/dev-probe`);
  return { status: response.status, body: await response.text() };
};

describe("npm run dev", () => {
  it("serves a new hook file after it is saved", async () => {
    await writeFile(path.join(copy.dir, probe), route('  return e.json(200, { build: "first" });'));
    await eventually(() => readyCount() === 2, "a restart after the save", 30_000);
    expect(output).toContain("pb_hooks/probe.pb.ts changed: recompiling ...");
    expect(output).toMatch(/rebuilt and restarted in \d+\.\d s/);
    expect(await get()).toEqual({ status: 200, body: '{"build":"first"}' });
  });

  it("reports a type error with its file and line, and keeps serving the last good build", async () => {
    const before = output.length;
    await writeFile(path.join(copy.dir, probe), route('  const build: number = "second";\n  return e.json(200, { build });'));
    await eventually(() => output.includes("Fix the file and save again.", before), "the error report", 30_000);
    const report = output.slice(before);
    expect(report).toContain("TypeScript errors in pb_migrations/ or pb_hooks/");
    expect(report).toMatch(/probe\.pb\.ts[:(]2/);
    expect(report).toContain("Type 'string' is not assignable to type 'number'");
    expect(report).toContain("The server keeps running the last good build.");
    expect(readyCount()).toBe(2);
    expect(await get()).toEqual({ status: 200, body: '{"build":"first"}' });
  });

  it("serves the fix once the file is saved again", async () => {
    await writeFile(path.join(copy.dir, probe), route('  return e.json(200, { build: "third" });'));
    await eventually(() => readyCount() === 3, "a restart after the fix", 30_000);
    expect(await get()).toEqual({ status: 200, body: '{"build":"third"}' });
  });
});
