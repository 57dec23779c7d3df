import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import PocketBase from "pocketbase";
import { provisionEngine, serveEngine, silentLogger } from "../src/engine/index.js";
import { runStarterCommand, upsertSuperuser, validateSuperuserCredentials } from "../src/admin/index.js";
import { UserError } from "../src/cli/run.js";
import { useTestEngine } from "./support/engine.js";
import { freePort } from "../src/engine/index.js";
import { runScript } from "./support/scripts.js";

const binary = async () => process.env.POCKETBASE_TEST_BIN ?? (await provisionEngine({ log: silentLogger })).binary;
const tempDirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "pb-admin-"));
  tempDirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

/** Signs in through the API; true when the engine accepts the credentials. */
async function canSignIn(url: string, email: string, password: string): Promise<boolean> {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  return pb
    .collection("_superusers")
    .authWithPassword(email, password)
    .then(
      () => true,
      () => false,
    );
}

/** Starts a server on a data dir just long enough to list its superusers' emails. */
async function superuserEmails(dataDir: string): Promise<string[]> {
  const server = await serveEngine({ binary: await binary(), http: `127.0.0.1:${await freePort()}`, dataDir });
  try {
    await upsertSuperuser(await binary(), { dataDir }, "lister@example.com", "lister-password-1");
    const pb = new PocketBase(server.url);
    pb.autoCancellation(false);
    await pb.collection("_superusers").authWithPassword("lister@example.com", "lister-password-1");
    const list = await pb.collection("_superusers").getFullList({ sort: "created" });
    return list.map((r) => String(r.email)).filter((e) => e !== "lister@example.com");
  } finally {
    await server.stop();
  }
}

describe("validateSuperuserCredentials", () => {
  it("accepts the engine's limits and trims the email", () => {
    expect(validateSuperuserCredentials(" a@example.com ", "12345678")).toEqual({ email: "a@example.com", password: "12345678" });
    expect(validateSuperuserCredentials("a@example.com", "x".repeat(71)).password).toHaveLength(71);
  });

  it.each([
    ["not-an-email", "long-enough-1", /Email "not-an-email" is not a valid email/],
    ["a@example.com", "short", /at least 8 characters/],
    ["a@example.com", "x".repeat(72), /at most 71 characters/],
    ["a@example.com", "é".repeat(40), /at most 72 bytes/],
  ])("rejects %s / (password of %#) with one plain line", (email, password, message) => {
    const attempt = () => validateSuperuserCredentials(email, password);
    expect(attempt).toThrow(UserError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain(password);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("upsertSuperuser while the server is running on the same data dir", () => {
  const engine = useTestEngine();

  it("creates, then updates the password; the running server sees both", async () => {
    const { url, dataDir } = engine();
    const bin = await binary();
    expect(await upsertSuperuser(bin, { dataDir }, "ops@example.com", "first-password-1")).toEqual({
      action: "created",
      email: "ops@example.com",
    });
    expect(await canSignIn(url, "ops@example.com", "first-password-1")).toBe(true);

    expect(await upsertSuperuser(bin, { dataDir }, "ops@example.com", "second-password-2")).toEqual({
      action: "updated",
      email: "ops@example.com",
    });
    expect(await canSignIn(url, "ops@example.com", "second-password-2")).toBe(true);
    expect(await canSignIn(url, "ops@example.com", "first-password-1")).toBe(false);
  });

  it("refuses bad input before touching the data", async () => {
    const { dataDir } = engine();
    await expect(upsertSuperuser(await binary(), { dataDir }, "nobody@example.com", "short")).rejects.toThrow(/at least 8/);
    const admin = await engine().admin();
    const found = await admin.collection("_superusers").getList(1, 1, { filter: 'email = "nobody@example.com"' });
    expect(found.totalItems).toBe(0);
  });
});

describe("runStarterCommand", () => {
  it("says how to fix it when the project's hooks are not loaded", async () => {
    const dataDir = await tempDir();
    const noHooks = await tempDir();
    await expect(runStarterCommand(await binary(), "starter-superuser-upsert", [], { dataDir, hooksDir: noHooks })).rejects.toSatisfy(
      (error: { name: string; message: string; hint?: string }) => {
        expect(error.name).toBe("EngineError");
        expect(error.message).toMatch(/does not know "starter-superuser-upsert"/);
        expect(error.hint).toMatch(/npm run build:pb/);
        return true;
      },
    );
  });
});

describe("the first superuser from PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD (made by the engine at start)", () => {
  /** Serves the data dir with these variables until healthy, then stops; returns the engine's output. */
  async function serveWith(dataDir: string, env: Record<string, string>): Promise<string> {
    const server = await serveEngine({
      binary: await binary(),
      http: `127.0.0.1:${await freePort()}`,
      dataDir,
      env: { ...process.env, ...env },
    });
    await server.stop();
    return server.output();
  }

  it("is created only when no real superuser exists (the installer account does not count), never twice", async () => {
    const dataDir = await tempDir();
    // A first `serve` on an empty data dir makes the engine's temporary installer superuser.
    await serveWith(dataDir, {});
    const first = await serveWith(dataDir, { PB_SUPERUSER_EMAIL: "first@example.com", PB_SUPERUSER_PASSWORD: "first-password-1" });
    expect(first).toContain("Created superuser first@example.com (from PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD).");
    const second = await serveWith(dataDir, { PB_SUPERUSER_EMAIL: "second@example.com", PB_SUPERUSER_PASSWORD: "second-password-2" });
    expect(second).toContain("A superuser already exists (first@example.com); leaving it alone (PB_SUPERUSER_EMAIL ignored).");
    // Independent check through the API: exactly one real superuser, the installer is gone.
    expect(await superuserEmails(dataDir)).toEqual(["first@example.com"]);
  });

  it("leaves an existing superuser's password alone, and never prints the password", async () => {
    const dataDir = await tempDir();
    const password = "secret-bootstrap-pw-1";
    const outputs = [
      await serveWith(dataDir, { PB_SUPERUSER_EMAIL: "boot@example.com", PB_SUPERUSER_PASSWORD: password }),
      await serveWith(dataDir, { PB_SUPERUSER_EMAIL: "boot@example.com", PB_SUPERUSER_PASSWORD: "a-different-password" }),
    ].join("\n");
    expect(outputs).toMatch(/Superuser boot@example.com exists; leaving it alone/);
    expect(outputs).not.toContain(password);
    expect(outputs).not.toContain("a-different-password");

    // The second start did not reset the password: the original one still signs in.
    const server = await serveEngine({ binary: await binary(), http: `127.0.0.1:${await freePort()}`, dataDir });
    try {
      expect(await canSignIn(server.url, "boot@example.com", password)).toBe(true);
      expect(await canSignIn(server.url, "boot@example.com", "a-different-password")).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it("refuses to start on a half-set or invalid pair, with one line naming the variable", async () => {
    const dataDir = await tempDir();
    await expect(serveWith(dataDir, { PB_SUPERUSER_EMAIL: "lonely@example.com" })).rejects.toThrow(
      /PB_SUPERUSER_EMAIL and PB_SUPERUSER_PASSWORD: set both or neither/,
    );
    await expect(serveWith(dataDir, { PB_SUPERUSER_EMAIL: "short@example.com", PB_SUPERUSER_PASSWORD: "short" })).rejects.toThrow(
      /PB_SUPERUSER_PASSWORD: must be 8 to 71 characters/,
    );
  });
});

describe("npm run superuser (scripts/superuser.ts)", () => {
  it("prints created, then updated; exits 0", async () => {
    const dataDir = await tempDir();
    const created = await runScript("superuser.ts", ["cli@example.com", "cli-password-1"], { PB_DATA_DIR: dataDir });
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Superuser cli@example.com created/);
    const updated = await runScript("superuser.ts", ["cli@example.com", "cli-password-2"], { PB_DATA_DIR: dataDir });
    expect(updated.exitCode, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(/Superuser cli@example.com updated/);
    expect(`${created.stdout}${updated.stdout}`).not.toMatch(/cli-password/);
  });

  it("falls back to PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD, and --data-dir overrides PB_DATA_DIR", async () => {
    const dataDir = await tempDir();
    const result = await runScript("superuser.ts", ["--data-dir", dataDir], {
      PB_DATA_DIR: path.join(dataDir, "not-this-one"),
      PB_SUPERUSER_EMAIL: "env@example.com",
      PB_SUPERUSER_PASSWORD: "env-password-1",
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Superuser env@example.com created in ${dataDir}`);
  });

  it("fails with one clear line and a non-zero exit on bad input", async () => {
    const dataDir = await tempDir();
    for (const args of [
      ["nope", "long-enough-1"],
      ["a@example.com", "short"],
      [],
      ["a@example.com", "long-enough-1", "extra"],
      ["--bogus"],
    ]) {
      const result = await runScript("superuser.ts", args, { PB_DATA_DIR: dataDir });
      expect(result.exitCode, args.join(" ")).toBe(1);
      expect(
        result.stderr
          .trim()
          .split("\n")
          .filter((l) => l.startsWith("✖")),
      ).toHaveLength(1);
      expect(result.stdout).not.toMatch(/created|updated/);
    }
  });

  it("--help explains usage", async () => {
    const result = await runScript("superuser.ts", ["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Usage: npm run superuser -- <email> <password>/);
  });
});
