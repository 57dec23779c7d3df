// npm run bundle: the folder serves the app with no Node on the machine. The start script runs with an
// empty PATH (no node, no npm, no tools) on a fresh data dir, configured by environment variables only,
// exactly as systemd or a container runtime would start it.
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientResponseError } from "pocketbase";
import { COLLECTIONS } from "../pb_hooks/lib/collections.js";
import { rulesFor } from "../pb_hooks/lib/declaration.js";
import { freePort } from "../src/engine/freePort.js";
import { buildTestBundle, emptyPathDir, projectRoot, runWithEnv, startBundle, type BundleProcess } from "./support/bundleProcess.js";
import { registerUser } from "./support/users.js";

let bundle: string;
let noNode: string;
let running: BundleProcess | undefined;
const superuser = { email: "ops@example.com", password: "ops-password-123" };

beforeAll(async () => {
  ({ dir: bundle } = await buildTestBundle());
  noNode = await emptyPathDir();
});

afterAll(async () => {
  await running?.stop();
  await rm(path.dirname(bundle), { recursive: true, force: true });
});

describe("npm run bundle", () => {
  it("writes one folder: engine, start script, compiled migrations, hooks, public files, .env.example", async () => {
    const names = (await readdir(bundle)).sort();
    expect(names).toEqual([".env.example", "bundle.json", "pb_hooks", "pb_migrations", "pb_public", "pocketbase", "start"]);
    const sources = (await readdir(path.join(projectRoot, "pb_migrations"))).filter((n) => n.endsWith(".ts"));
    const compiled = await readdir(path.join(bundle, "pb_migrations"));
    expect(compiled.sort()).toEqual(sources.map((n) => n.replace(/\.ts$/, ".js")).sort());
    expect(await readdir(path.join(bundle, "pb_hooks"))).toContain("guard.pb.js");
    expect(await readdir(path.join(bundle, "pb_public", "docs"))).toContain("swagger-ui-bundle.js");
    const example = await readFile(path.join(bundle, ".env.example"), "utf8");
    for (const name of [
      "PB_HTTP",
      "PB_DATA_DIR",
      "PB_SUPERUSER_PASSWORD",
      "PB_TRUSTED_PROXY_HEADERS",
      "PB_BACKUPS_S3_BUCKET",
      "PB_RATE_LIMIT_AUTH",
    ]) {
      expect(example).toContain(`#${name}=`);
    }
  });

  it("refuses a destination that is not a bundle, and an unknown target, with one clear line", async () => {
    const notABundle = await mkdtemp(path.join(tmpdir(), "not-a-bundle-"));
    await writeFile(path.join(notABundle, "precious.txt"), "keep me");
    const args = (extra: string[]) => ["--import", "tsx", "scripts/bundle.ts", ...extra];
    const refused = await runWithEnv(process.execPath, args(["--out", notABundle]), { PATH: process.env.PATH ?? "" });
    expect(refused.exitCode).toBe(1);
    expect(refused.all).toMatch(/is not empty and holds no bundle\.json/);
    expect(await readFile(path.join(notABundle, "precious.txt"), "utf8")).toBe("keep me");
    const badTarget = await runWithEnv(process.execPath, args(["--out", notABundle, "--os", "windows"]), { PATH: process.env.PATH ?? "" });
    expect(badTarget.all).toMatch(/No bundle for windows\/amd64: choose one of linux\/amd64, .*POSIX shell/s);
    await rm(notABundle, { recursive: true, force: true });
  }, 60_000);
});

describe("the bundle, with no node on the machine", () => {
  it("the PATH it runs with has no node (and no other tool)", async () => {
    const probe = await runWithEnv("/bin/sh", ["-c", "command -v node || command -v npm || command -v env"], { PATH: noNode });
    expect(probe.exitCode).not.toBe(0);
  });

  it("serves on a fresh data dir: healthy, migrated, superuser from env, owner-only rules; a restart keeps the data", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "bundle-data-"));
    const port = await freePort();
    const env = {
      PATH: noNode,
      PB_HTTP: `127.0.0.1:${port}`,
      PB_DATA_DIR: dataDir,
      PB_SUPERUSER_EMAIL: superuser.email,
      PB_SUPERUSER_PASSWORD: superuser.password,
    };
    const start = path.join(bundle, "start");
    running = await startBundle(start, env, { url: `http://127.0.0.1:${port}` });

    // The start script exec'd the bundled engine: the process serving is pocketbase itself, not a shell or node.
    expect(await readlink(`/proc/${running.process.pid}/exe`)).toBe(path.join(bundle, "pocketbase"));
    expect(running.output()).toContain(`Created superuser ${superuser.email}`);

    const admin = running.client();
    await admin.collection("_superusers").authWithPassword(superuser.email, superuser.password);
    expect((await admin.collection("_superusers").getFullList<{ email: string }>()).map((s) => s.email)).toEqual([superuser.email]);
    // Migrations applied: every declared collection with its rules, and the reference data.
    for (const [name, declaration] of Object.entries(COLLECTIONS)) {
      const collection = await admin.collections.getOne(name);
      expect({ name, ...pickRules(collection) }).toEqual({ name, ...rulesFor(declaration) });
    }
    const categories = await admin.collection("categories").getFullList<{ id: string; name: string }>();
    expect(categories.map((c) => c.name).sort()).toEqual(COLLECTIONS.categories.records.map((r) => r.name).sort());

    // Owner-only, through the public API with the production defaults (rate limits on).
    const engine = { client: () => running!.client() };
    const alice = await registerUser(engine, "alice");
    const bob = await registerUser(engine, "bob");
    const todo = await alice.client.collection("todos").create({ task: "bundle secret", category: categories[0]!.id });
    expect(todo.owner).toBe(alice.id);
    expect((await bob.client.collection("todos").getList()).items).toEqual([]);
    await expect(bob.client.collection("todos").getOne(todo.id)).rejects.toSatisfy(
      (e) => e instanceof ClientResponseError && e.status === 404,
    );
    expect((await running.client().collection("todos").getList()).items).toEqual([]);

    // Restart on the same data dir: everything is still there; the existing superuser is left alone.
    expect(await running.stop()).toBe(0);
    running = await startBundle(start, { ...env, PB_SUPERUSER_PASSWORD: "another-password-1" }, { url: `http://127.0.0.1:${port}` });
    expect(running.output()).toContain(`Superuser ${superuser.email} exists; leaving it alone`);
    const again = running.client();
    await again.collection("users").authWithPassword(alice.email, alice.password);
    expect((await again.collection("todos").getFullList<{ task: string }>()).map((t) => t.task)).toEqual(["bundle secret"]);
    await again.collection("_superusers").authWithPassword(superuser.email, superuser.password);
    expect(await running.stop()).toBe(0);
    running = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it("bad configuration stops it with a clear line and a non-zero exit (start script and engine alike)", async () => {
    const start = path.join(bundle, "start");
    const badAddress = await runWithEnv(start, [], { PATH: noNode, PB_HTTP: "localhost" });
    expect(badAddress).toMatchObject({ exitCode: 2, all: 'start: PB_HTTP: must be host:port, e.g. 127.0.0.1:8090, got "localhost"' });
    const badPool = await runWithEnv(start, [], { PATH: noNode, PB_HOOKS_POOL: "lots" });
    expect(badPool.all).toContain('PB_HOOKS_POOL: must be a whole number from 1 to 10000, got "lots"');

    const dataDir = await mkdtemp(path.join(tmpdir(), "bundle-bad-"));
    const port = await freePort();
    const engineRefuses = await runWithEnv(start, [], {
      PATH: noNode,
      PB_HTTP: `127.0.0.1:${port}`,
      PB_DATA_DIR: dataDir,
      PB_SMTP_PORT: "25",
    });
    expect(engineRefuses.exitCode).not.toBe(0);
    expect(engineRefuses.all).toContain("PB_SMTP_PORT: set, but PB_SMTP_HOST is not");
    await rm(dataDir, { recursive: true, force: true });
  });

  it("reads .env beside the start script; real environment variables win; --check prints the engine command", async () => {
    const envFile = path.join(bundle, ".env");
    await writeFile(
      envFile,
      [
        "# comment",
        "PB_HTTP=127.0.0.1:9999   # inline comment",
        'export PB_ORIGINS=" https://a.example , https://b.example "',
        "PB_HOOKS_POOL=12",
        "PB_DATA_DIR=data",
      ].join("\n"),
    );
    try {
      const check = await runWithEnv(path.join(bundle, "start"), ["--check"], { PATH: noNode, PB_HOOKS_POOL: "300" });
      expect(check.exitCode).toBe(0);
      const command = check.all.split("\n")[1]!;
      expect(command.split(" ")).toEqual([
        path.join(bundle, "pocketbase"),
        "serve",
        "--http=127.0.0.1:9999",
        "--hooksPool=300",
        "--origins=https://a.example,https://b.example",
        `--dir=${path.join(bundle, "data")}`,
        `--migrationsDir=${path.join(bundle, "pb_migrations")}`,
        `--hooksDir=${path.join(bundle, "pb_hooks")}`,
        `--publicDir=${path.join(bundle, "pb_public")}`,
        "--hooksWatch=false",
        "--automigrate=false",
        "--dev=false",
      ]);
      await writeFile(envFile, "PB_HTTP\n");
      const broken = await runWithEnv(path.join(bundle, "start"), ["--check"], { PATH: noNode });
      expect(broken).toMatchObject({ exitCode: 2, all: `start: ${envFile}:1: expected NAME=value, got: PB_HTTP` });
      // What the engine checks itself, --check asks the engine (it said "Configuration OK" before).
      await rm(envFile, { force: true });
      const refused = await runWithEnv(path.join(bundle, "start"), ["--check"], { PATH: noNode, PB_RATE_LIMITS: "maybe" });
      expect(refused.exitCode).toBe(2);
      expect(refused.all).toContain('start:   PB_RATE_LIMITS: must be on or off, got "maybe"');
      expect(refused.all).not.toContain("Configuration OK");
    } finally {
      await rm(envFile, { force: true });
    }
  });
});

function pickRules(collection: Record<string, unknown>) {
  const { listRule, viewRule, createRule, updateRule, deleteRule } = collection;
  return { listRule, viewRule, createRule, updateRule, deleteRule };
}
