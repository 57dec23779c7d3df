// Findings 5, 6 and 8 of docs/SECURITY.md: sign-ups through /api/batch escaped the sign-up rate limit,
// request-email-change told whether an address is registered, and emails differing only by case made
// two accounts.
import { cp, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import PocketBase from "pocketbase";
import { projectPaths } from "../src/paths.js";
import { startTestEngine, useTestEngine, type TestEngine } from "./support/engine.js";
import { apiError, registerUser, uniqueEmail } from "./support/users.js";
import type { UserRecord } from "../packages/sdk/src/index.js";

const SIGNUP_LIMIT = 3;

describe("sign-ups through /api/batch (finding 5)", () => {
  const engine = useTestEngine({ env: { PB_RATE_LIMITS: "on", PB_RATE_LIMIT_SIGNUP: `${SIGNUP_LIMIT}/60` } });

  it("count against the sign-up limit however they arrive: a batch cannot sign anyone up", async () => {
    const pb = engine().client();
    const password = "a-long-password-1";
    const tried: string[] = [];
    const signUp = async () => {
      const email = uniqueEmail("flood");
      tried.push(email);
      return pb
        .collection("users")
        .create({ email, password, passwordConfirm: password })
        .then(
          () => "ok",
          (e: { status: number }) => e.status,
        );
    };
    const viaBatch = async (method: "create" | "upsert") => {
      const email = uniqueEmail("batch");
      tried.push(email);
      const batch = pb.createBatch();
      batch.collection("users")[method]({ email, password, passwordConfirm: password });
      return apiError(batch.send());
    };

    // Before the limit: a batch sign-up is refused and says where to sign up instead.
    const early = await viaBatch("create");
    expect(early.status).toBe(400);
    expect(early.message).toMatch(/Sign up with POST \/api\/collections\/users\/records/);
    const results: Array<string | number> = [];
    for (let i = 0; i < SIGNUP_LIMIT + 2; i++) results.push(await signUp());
    expect(results).toEqual([...Array.from({ length: SIGNUP_LIMIT }, () => "ok"), 429, 429]);
    // After it: batches (create or upsert without id) do not reopen the door.
    for (const method of ["create", "upsert", "create"] as const) expect((await viaBatch(method)).status).toBe(400);

    const admin = await engine().admin();
    const created = await admin.collection("users").getFullList({ filter: tried.map((e) => `email = "${e}"`).join(" || ") });
    expect(created).toHaveLength(SIGNUP_LIMIT);
  });
});

describe("request-email-change (finding 6)", () => {
  const engine = useTestEngine();

  it("answers a taken address exactly like a free one, and changes nothing", async () => {
    const a = await registerUser(engine(), "owner");
    const b = await registerUser(engine(), "prober");
    const ask = (newEmail: string) =>
      fetch(`${engine().url}/api/collections/${"users"}/request-email-change`, {
        method: "POST",
        headers: { Authorization: b.client.authStore.token, "Content-Type": "application/json" },
        body: JSON.stringify({ newEmail }),
      }).then(async (r) => `${r.status} ${await r.text()}`);

    const free = await ask(uniqueEmail("free"));
    expect(await ask(a.email)).toBe(free);
    expect(await ask(a.email.toUpperCase())).toBe(free);
    // Mistakes that reveal nothing about other accounts still get their field error.
    expect(await ask("not-an-email")).toMatch(/^400 .*validation_is_email/);

    const admin = await engine().admin();
    expect((await admin.collection("users").getOne(a.id)).email).toBe(a.email);
    expect((await admin.collection("users").getOne(b.id)).email).toBe(b.email);
  });
});

describe("emails are one account per mailbox (finding 8)", () => {
  const engine = useTestEngine();

  it("a sign-up that differs only by case is refused; sign-in ignores case; the stored email is lowercase", async () => {
    const local = uniqueEmail("Ada.Case").split("@")[0]!;
    const mixed = `${local}@Example.COM`;
    const password = "a-long-password-1";
    const pb = engine().client();
    const created = await pb.collection("users").create({ email: mixed, password, passwordConfirm: password });
    expect(created.email ?? (await (await engine().admin()).collection("users").getOne(created.id)).email).toBe(mixed.toLowerCase());

    const again = await apiError(pb.collection("users").create({ email: mixed.toLowerCase(), password, passwordConfirm: password }));
    expect(again.status).toBe(400);
    expect(again.data.email?.code).toBe("validation_not_unique");

    const signedIn = await engine().client().collection("users").authWithPassword(mixed.toUpperCase(), password);
    expect(signedIn.record.id).toBe(created.id);
  });
});

describe("existing mixed-case emails when the case-insensitive migration runs", () => {
  let scratch: string;
  let before: string;
  const engines: TestEngine[] = [];

  let noHooks: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "pb-email-migration-"));
    // The release before: its migrations, and no lowercasing hook (so case-only duplicates could exist).
    noHooks = path.join(scratch, "no-hooks");
    await mkdir(noHooks);
    await cp(path.join(projectPaths.hooksBuild, "lib"), path.join(noHooks, "lib"), { recursive: true });
    before = path.join(scratch, "migrations-before");
    await cp(projectPaths.migrationsBuild, before, { recursive: true });
    for (const file of await readdir(before)) if (/_emails_case_insensitive\.js$/.test(file)) await rm(path.join(before, file));
  });
  afterAll(async () => {
    for (const e of engines) await e.dispose().catch(() => {});
    await rm(scratch, { recursive: true, force: true });
  });

  /** A data dir migrated up to the release before the change, holding users with these emails. */
  async function oldDataWith(emails: string[]): Promise<string> {
    const dataDir = await mkdtemp(path.join(scratch, "data-"));
    const old = await startTestEngine({ dataDir, migrationsDir: before, hooksDir: noHooks });
    engines.push(old);
    const admin = await old.admin();
    for (const email of emails)
      await admin.collection("users").create({ email, password: "a-long-password-1", passwordConfirm: "a-long-password-1" });
    await old.stop();
    return dataDir;
  }

  it("lowercases them, and they then sign in with any case", async () => {
    const mixed = `${uniqueEmail("Old").split("@")[0]}@Example.com`;
    const dataDir = await oldDataWith([mixed]);
    const upgraded = await startTestEngine({ dataDir });
    engines.push(upgraded);
    const users = await (await upgraded.admin()).collection("users").getFullList<UserRecord>();
    expect(users.map((u) => u.email)).toEqual([mixed.toLowerCase()]);
    const pb = new PocketBase(upgraded.url);
    expect((await pb.collection("users").authWithPassword(mixed, "a-long-password-1")).record.email).toBe(mixed.toLowerCase());
  });

  it("stops with the clashing addresses when two accounts differ only by case, and changes nothing", async () => {
    const lower = uniqueEmail("clash");
    const upper = lower.toUpperCase();
    const dataDir = await oldDataWith([lower, upper]);
    await expect(startTestEngine({ dataDir })).rejects.toThrow(new RegExp(`differ only by case: ${lower.replace(/[.]/g, "\\.")}`));
    const old = await startTestEngine({ dataDir, migrationsDir: before, hooksDir: noHooks });
    engines.push(old);
    const emails = (await (await old.admin()).collection("users").getFullList<UserRecord>()).map((u) => u.email).sort();
    expect(emails).toEqual([upper, lower].sort());
  });
});
