// Backups off the box: the engine's scheduled backups to an S3-compatible bucket, configured from the
// environment only (PB_BACKUPS_CRON, PB_BACKUPS_KEEP, PB_BACKUPS_S3_*), against a real S3 server (moto),
// with retention; then a restore from the bucket into a fresh data dir, and the whole state compared.
//
// One test-only knob: the engine's cron ticks once a minute; a hook written into a temporary copy of the
// compiled hooks (never shipped) makes it tick every 2 s, so "* * * * *" runs every 2 s. The backup job,
// its upload, its retention and the restore are the engine's own.
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PocketBase from "pocketbase";
import { projectPaths } from "../src/paths.js";
import { startTestEngine, type TestEngine } from "./support/engine.js";
import { startMoto, type MotoServer } from "./support/moto.js";
import { MOTO, toolUnavailableReason } from "./support/tools.js";
import { registerUser, type TestUser } from "./support/users.js";

const unavailable = toolUnavailableReason(MOTO);
if (unavailable) console.warn(`[backup tests skipped] ${unavailable}`);

const BUCKET = "app-backups";
const KEEP = 2;
const AUTO_PREFIX = "@auto_pb_backup_";
const FAST_CRON_HOOK = `/// test-only: never shipped. The engine's cron ticks every 2 s instead of every minute.
onBootstrap((e) => { e.next(); $app.cron().setInterval(2 * 1000 * 1000 * 1000); });
`;

describe.skipIf(unavailable !== null)(unavailable ? `backups to S3 (skipped: ${unavailable})` : "backups to S3 (moto)", () => {
  let s3: MotoServer;
  let hooksDir: string;
  let original: TestEngine;
  let restored: TestEngine | undefined;
  const s3Env = () => ({
    PB_BACKUPS_S3_BUCKET: BUCKET,
    PB_BACKUPS_S3_REGION: "eu-central-1",
    PB_BACKUPS_S3_ENDPOINT: s3.url,
    PB_BACKUPS_S3_ACCESS_KEY: "test-access-key",
    PB_BACKUPS_S3_SECRET: "test-secret",
    PB_BACKUPS_S3_FORCE_PATH_STYLE: "true",
  });

  beforeAll(async () => {
    s3 = await startMoto();
    await s3.createBucket(BUCKET);
    hooksDir = await mkdtemp(path.join(tmpdir(), "hooks-fast-cron-"));
    await cp(projectPaths.hooksBuild, hooksDir, { recursive: true });
    await writeFile(path.join(hooksDir, "zz_test_fast_cron.pb.js"), FAST_CRON_HOOK);
  });
  afterAll(async () => {
    await restored?.dispose();
    await original?.dispose();
    await s3?.stop();
    await rm(hooksDir, { recursive: true, force: true });
  });

  let alice: TestUser;
  let snapshot: Snapshot;
  let backup: string;

  it(`scheduled backups land in the bucket; only the newest ${KEEP} are kept`, async () => {
    original = await startTestEngine({ hooksDir, env: { PB_BACKUPS_CRON: "* * * * *", PB_BACKUPS_KEEP: String(KEEP), ...s3Env() } });
    // State worth restoring: users with passwords and an uploaded file, todos, a category.
    alice = await registerUser(original, "alice");
    const bob = await registerUser(original, "bob");
    await alice.client.collection("users").update(alice.id, { avatar: new File([PNG_1x1], "me.png", { type: "image/png" }) });
    const admin = await original.admin();
    const category = await admin.collection("categories").create({ name: "Backed up" });
    await alice.client.collection("todos").create({ task: "survive the disk", category: category.id });
    await bob.client.collection("todos").create({ task: "bob's", category: category.id, done: true });
    const written = new Set((await s3.list(BUCKET)).map((o) => o.key));

    // Wait for backups made after the writes: two keys that were not there (the second one started
    // after the first finished, so after the writes), while watching every key the bucket ever held.
    const seen: string[] = [];
    let maxHeld = 0;
    let fresh: string[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const keys = (await s3.list(BUCKET, AUTO_PREFIX)).map((o) => o.key);
      for (const key of keys) if (!seen.includes(key)) seen.push(key);
      maxHeld = Math.max(maxHeld, keys.length);
      fresh = keys.filter((key) => !written.has(key));
      if (fresh.length >= 2 && seen.length >= KEEP + 3) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(fresh.length, "backups made after the writes").toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeGreaterThanOrEqual(KEEP + 3);
    // Retention: the oldest are gone; at most one more than KEEP exists, between an upload and its pruning.
    const now = (await s3.list(BUCKET, AUTO_PREFIX)).map((o) => o.key);
    expect(now).not.toContain(seen[0]);
    expect(now).not.toContain(seen[1]);
    expect(maxHeld).toBeLessThanOrEqual(KEEP + 1);
    // The engine lists them from the bucket too (nothing in the local data dir).
    const listed = (await admin.backups.getFullList()).map((b) => b.key);
    expect(listed.filter((key) => key.startsWith(AUTO_PREFIX)).length).toBeGreaterThan(0);

    // No more writes: the newest backup (taken after the writes) holds this state.
    snapshot = await takeSnapshot(admin);
    backup = [...fresh].sort().pop()!;
  });

  it("a fresh data dir restored from the bucket has the whole state: records, files, passwords, tokens, schema", async () => {
    await original.stop(); // the original machine is gone
    // The new machine: same bucket, no schedule yet (its own first backups would be of an empty app).
    restored = await startTestEngine({ env: s3Env() });
    const admin = await restored.admin();
    expect((await admin.backups.getFullList()).map((b) => b.key)).toContain(backup);
    expect((await admin.collection("todos").getFullList()).length).toBe(0);
    await admin.backups.restore(backup);

    // The engine downloads the archive, swaps its data dir and restarts itself on it.
    const deadline = Date.now() + 60_000;
    let after: Snapshot | null = null;
    while (Date.now() < deadline) {
      after = await restored
        .admin()
        .then(takeSnapshot)
        .catch(() => null);
      if (after && after.records.todos?.length) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(after).toEqual(snapshot);

    // Hidden state came back too: Alice's password, her old token (signed with her restored tokenKey),
    // and the uploaded file's bytes.
    const client = restored.client();
    await client.collection("users").authWithPassword(alice.email, alice.password);
    const old = restored.client();
    old.authStore.save(alice.client.authStore.token, alice.client.authStore.record);
    await expect(old.collection("users").authRefresh()).resolves.toMatchObject({ record: { id: alice.id } });
    const me = await client.collection("users").getOne(alice.id);
    const token = await client.files.getToken();
    const file = await fetch(client.files.getURL(me, String(me.avatar), { token }));
    expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from(PNG_1x1));
  });
});

interface Snapshot {
  collections: unknown[];
  records: Record<string, unknown[]>;
}

/**
 * Everything a superuser can read: every collection's schema and rules, and every record of each. Two
 * timestamps change by merely starting and signing in, so they are left out: a collection's `updated`
 * (the engine re-saves the users collection's options at every start) and an auth origin's `updated`
 * (refreshed at each sign-in from a known device, which reading the state needs).
 */
async function takeSnapshot(admin: PocketBase): Promise<Snapshot> {
  const collections = (await admin.collections.getFullList({ sort: "name" })).map(({ updated: _updated, ...rest }) => rest);
  const records: Record<string, unknown[]> = {};
  for (const collection of collections) {
    const rows = await admin.collection(String(collection.name)).getFullList({ sort: "id" });
    records[String(collection.name)] = collection.name === "_authOrigins" ? rows.map(({ updated: _updated, ...rest }) => rest) : rows;
  }
  return { collections, records };
}

/** A 1×1 PNG, as an uploaded file. */
const PNG_1x1 = Uint8Array.from(
  Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"),
);
