import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zipSync, strToU8 } from "fflate";
import type PocketBase from "pocketbase";
import { backupOffline, backupViaServer, restoreViaServer, seed } from "../src/admin/index.js";
import { zipEntryNames } from "../src/admin/zip.js";
import { provisionEngine, silentLogger } from "../src/engine/index.js";
import { useTestEngine } from "./support/engine.js";
import { hostPort, runScript, snapshot } from "./support/scripts.js";

let outDir = "";
beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "pb-backups-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Edits, deletes and adds data, so a restore has something to undo. */
async function vandalize(admin: PocketBase): Promise<void> {
  const todos = await admin.collection("todos").getFullList({ sort: "id" });
  await admin.collection("todos").update(todos[0]!.id, { task: "changed after the backup", done: !todos[0]!.done });
  await admin.collection("todos").delete(todos[1]!.id);
  const demo2 = await admin.collection("users").getFirstListItem('email = "demo2@example.com"');
  await admin.collection("users").delete(demo2.id); // cascades to their todos
  await admin.collection("categories").create({ name: "Added after the backup" });
}

describe("backup and restore through a running server", () => {
  const engine = useTestEngine();
  const target = () => ({ url: engine().url, email: engine().superuser.email, password: engine().superuser.password });

  it("back up, change and delete data, restore: everything is as it was (same server process)", async () => {
    const admin = await engine().admin();
    await seed(admin, { demo: true });
    const before = await snapshot(admin);
    const pid = engine().running.process.pid;

    const backup = await backupViaServer(target(), { name: "round_trip", outFile: path.join(outDir, "round_trip.zip") });
    expect(backup).toEqual({ name: "round_trip.zip", file: path.join(outDir, "round_trip.zip"), via: "server" });
    expect(await zipEntryNames(backup.file)).toContain("data.db");

    await vandalize(admin);
    expect(await snapshot(admin)).not.toEqual(before);

    const result = await restoreViaServer(target(), backup.file);
    expect(result.via).toBe("server");
    const after = await engine().admin();
    expect(await snapshot(after)).toEqual(before);
    expect(engine().running.process.pid).toBe(pid);

    // The pre-restore data was kept on the server; the uploaded copy was cleaned up.
    const keys = (await after.backups.getFullList()).map((b) => b.key);
    expect(keys).toContain(result.safetyBackup);
    expect(keys.filter((k) => k.startsWith("restore_"))).toEqual([]);
  });

  it("refuses to reuse a backup name and never overwrites a file", async () => {
    await expect(backupViaServer(target(), { name: "round_trip", outFile: path.join(outDir, "other.zip") })).rejects.toThrow(
      /already has a backup named round_trip\.zip/,
    );
    await expect(backupViaServer(target(), { name: "fresh_name", outFile: path.join(outDir, "round_trip.zip") })).rejects.toThrow(
      /already exists/,
    );
    await expect(backupViaServer(target(), { name: "Bad Name!" })).rejects.toThrow(/must use only a-z/);
  });

  it("refuses files that are not PocketBase backups and leaves the data alone", async () => {
    const admin = await engine().admin();
    const before = await snapshot(admin);
    const notZip = path.join(outDir, "not-a-zip.zip");
    await writeFile(notZip, "hello");
    const noData = path.join(outDir, "no-data.zip");
    await writeFile(noData, zipSync({ "readme.txt": strToU8("no database here") }));

    await expect(restoreViaServer(target(), notZip)).rejects.toThrow(/is not a backup archive/);
    await expect(restoreViaServer(target(), noData)).rejects.toThrow(/is not a PocketBase backup \(it has no data\.db\)/);
    await expect(restoreViaServer(target(), path.join(outDir, "missing.zip"))).rejects.toThrow(/not found/);
    expect(await snapshot(admin)).toEqual(before);
  });

  it("npm run backup / npm run restore with the environment's settings", async () => {
    const admin = await engine().admin();
    const before = await snapshot(admin);
    const env = {
      PB_HTTP: hostPort(engine().url),
      PB_SUPERUSER_EMAIL: engine().superuser.email,
      PB_SUPERUSER_PASSWORD: engine().superuser.password,
    };
    const file = path.join(outDir, "cli.zip");
    const backup = await runScript("backup.ts", ["--out", file], env);
    expect(backup.exitCode, backup.stderr).toBe(0);
    expect(backup.stdout).toContain("is running: it makes the backup");
    expect(backup.stdout).toContain(`✔ Backup written: ${file}`);
    expect((await stat(file)).size).toBeGreaterThan(0);

    await vandalize(admin);
    const restore = await runScript("restore.ts", [file], env);
    expect(restore.exitCode, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/✔ Restored; the server restarted on the restored data and is healthy\./);
    expect(await snapshot(await engine().admin())).toEqual(before);
  });

  it("offline (no server running): npm run backup / npm run restore use the engine on the data dir", async () => {
    const before = await snapshot(await engine().admin());
    const env = { PB_DATA_DIR: engine().dataDir }; // PB_HTTP points nowhere: no server
    const file = path.join(outDir, "offline.zip");

    await engine().stop();
    const backup = await runScript("backup.ts", ["--out", file], env);
    expect(backup.exitCode, backup.stderr).toBe(0);
    expect(backup.stdout).toContain("backing up");
    expect(backup.stdout).toContain("with the engine directly");
    await engine().restart();

    await vandalize(await engine().admin());
    await engine().stop();
    const restore = await runScript("restore.ts", [file], env);
    expect(restore.exitCode, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/✔ Restored into .*Start the server with npm start\./);
    expect(restore.stdout).toMatch(/Previous data saved as .*pre_restore_.*\.zip/);
    await engine().restart();
    expect(await snapshot(await engine().admin())).toEqual(before);
  });

  it("backupOffline refuses a data dir without data", async () => {
    const binary = process.env.POCKETBASE_TEST_BIN ?? (await provisionEngine({ log: silentLogger })).binary;
    const empty = await mkdtemp(path.join(tmpdir(), "pb-empty-"));
    try {
      await expect(backupOffline(binary, { dataDir: empty }, { outFile: path.join(outDir, "empty.zip") })).rejects.toThrow(/no data\.db/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("scripts fail with one line on a bad file and explain themselves with --help", async () => {
    const missing = await runScript("restore.ts", [path.join(outDir, "missing.zip")]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^✖ Backup file .*missing\.zip not found\.$/);
    const none = await runScript("restore.ts", []);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/Usage: npm run restore -- <file>/);
    for (const script of ["backup.ts", "restore.ts"]) {
      const help = await runScript(script, ["--help"]);
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toMatch(/^Usage: npm run (backup|restore)/);
    }
  });
});
