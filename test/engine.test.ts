import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { EngineError, PortInUseError, serveEngine } from "../src/engine/index.js";
import { assertEntryFilesAreScripts } from "../src/engine/compile.js";
import { projectPaths } from "../src/paths.js";
import { startTestEngine, useTestEngine } from "./support/engine.js";
import { freePort } from "../src/engine/index.js";

const binary = () => process.env.POCKETBASE_TEST_BIN!;
const scratch: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("TypeScript hooks in the JSVM", () => {
  const engine = useTestEngine();

  it("runs a hook whose handler require()s a shared compiled helper (task trimming)", async () => {
    const pb = engine().client();
    await pb.collection("users").create({ email: "trim@example.com", password: "password-123", passwordConfirm: "password-123" });
    await pb.collection("users").authWithPassword("trim@example.com", "password-123");
    const category = (await pb.collection("categories").getFirstListItem('name = "Urgent"')).id;
    const todo = await pb.collection("todos").create({ task: "   buy milk   ", category });
    // lib/records.js trimTextField did this, loaded with require() inside the isolated handler.
    expect(todo.task).toBe("buy milk");
    expect((await pb.collection("todos").getOne(todo.id)).task).toBe("buy milk");
  });
});

describe("engine start failures", () => {
  it("refuses to serve without its hooks when a hook file is broken", async () => {
    const hooksDir = await tempDir("pb-hooks-");
    await cp(projectPaths.hooksBuild, hooksDir, { recursive: true });
    await writeFile(path.join(hooksDir, "broken.pb.js"), "onRecordCreateRequest((e) => { e.next() ;\n");
    const started = startTestEngine({ hooksDir });
    await expect(started).rejects.toThrow(EngineError);
    await expect(started).rejects.toThrow(/failed to start|broken\.pb\.js|SyntaxError/);
  });

  it("explains a port that is already in use in one line", async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, "127.0.0.1");
    try {
      const dataDir = await tempDir("pb-data-");
      const error = await serveEngine({ binary: binary(), http: `127.0.0.1:${port}`, dataDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).message).toBe(`Port 127.0.0.1:${port} is already in use.`);
      expect((error as EngineError).hint).toMatch(/PB_HTTP/);
    } finally {
      blocker.close();
    }
  });

  it("is not fooled by another engine already answering on its port: it says the port is taken", async () => {
    // The other engine answers /api/health at that address; only this engine's own start counts as ready.
    const other = await startTestEngine();
    try {
      const dataDir = await tempDir("pb-data-");
      const error = await serveEngine({ binary: binary(), http: new URL(other.url).host, dataDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as EngineError).message).toBe(`Port ${new URL(other.url).host} is already in use.`);
    } finally {
      await other.dispose();
    }
  });

  it("explains a data dir that cannot be created before starting", async () => {
    const parent = await tempDir("pb-ro-");
    const aFile = path.join(parent, "not-a-dir");
    await writeFile(aFile, "");
    const port = await freePort();
    const error = await serveEngine({ binary: binary(), http: `127.0.0.1:${port}`, dataDir: path.join(aFile, "data") }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toMatch(/data dir .* is not writable \(ENOTDIR\)/);
    expect((error as EngineError).hint).toMatch(/PB_DATA_DIR/);
  });

  it("rejects a hook entry file compiled with a top-level import, with a message that says what to do", async () => {
    const file = path.join(projectPaths.hooksBuild, "zz-module-entry.pb.js");
    await writeFile(file, '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n');
    try {
      await expect(assertEntryFilesAreScripts()).rejects.toThrow(/zz-module-entry\.pb\.ts has a top-level import or export/);
    } finally {
      await rm(file, { force: true });
    }
  });
});

describe("CORS origins (PB_ORIGINS)", () => {
  it("allows only the configured origins", async () => {
    const dataDir = await tempDir("pb-cors-");
    const server = await serveEngine({
      binary: binary(),
      http: `127.0.0.1:${await freePort()}`,
      dataDir,
      origins: ["https://app.example"],
    });
    try {
      const allowed = await fetch(`${server.url}/api/health`, { headers: { Origin: "https://app.example" } });
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
      const other = await fetch(`${server.url}/api/health`, { headers: { Origin: "https://evil.example" } });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await server.stop();
    }
  });
});

describe("npm start", () => {
  it("serves /api/health and the dashboard, then stops cleanly on SIGTERM", async () => {
    const dataDir = await tempDir("pb-start-");
    const port = await freePort();
    const child = execa(process.execPath, ["scripts/run.mjs", "start"], {
      cwd: projectPaths.root,
      env: { PB_HTTP: `127.0.0.1:${port}`, PB_DATA_DIR: dataDir, POCKETBASE_BIN: binary(), PB_RATE_LIMITS: "off" },
      all: true,
      reject: false,
    });
    let output = "";
    child.all.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 120_000;
    while (!output.includes("Ready.") && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).toContain("Ready.");
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const dashboard = await fetch(`${base}/_/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toMatch(/<html/i);
    expect(output).toContain(`${base}/_/`);
    expect(output).toMatch(/npm run superuser/);

    child.kill("SIGTERM");
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.all).toContain("Stopped cleanly");
    await expect(fetch(`${base}/api/health`)).rejects.toThrow();
  });

  it("prints a one-line error, not a stack trace, for a bad setting", async () => {
    const result = await execa(process.execPath, ["scripts/run.mjs", "start"], {
      cwd: projectPaths.root,
      env: { PB_HTTP: "not-an-address", POCKETBASE_BIN: binary() },
      reject: false,
      all: true,
    });
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/PB_HTTP: must be host:port/);
    expect(result.all).not.toMatch(/\n\s+at /);
  });

  /** Runs npm start until it ends by itself (a bounded wait: a hang fails the test instead of the run). */
  const startUntilItEnds = (env: Record<string, string>) =>
    execa(process.execPath, ["scripts/run.mjs", "start"], {
      cwd: projectPaths.root,
      env: { PB_HTTP: "127.0.0.1:1", POCKETBASE_BIN: binary(), ...env },
      reject: false,
      all: true,
      timeout: 60_000,
    });

  it("ends with one line when the data dir cannot be created (it used to wait forever)", async () => {
    const result = await startUntilItEnds({ PB_DATA_DIR: "/proc/nope" });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain("✖ The data dir /proc/nope is not writable");
  });

  it("ends with the engine's own reason when the engine exits before it is healthy", async () => {
    const file = path.join(await tempDir("pb-start-file-"), "not-a-folder");
    await writeFile(file, "");
    const result = await startUntilItEnds({ PB_DATA_DIR: file, PB_HTTP: `127.0.0.1:${await freePort()}` });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/✖ The engine failed to start: .*not a directory/);
    expect(result.all).not.toMatch(/\n\s+at /);
  });
});
