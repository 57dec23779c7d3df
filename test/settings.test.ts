// The settings migration: app name, batch API limits, the rate limiter (default limits trigger, and
// environment overrides change them), and indexes that keep owner-scoped lists on an index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PocketBase from "pocketbase";
import { APP_NAME, BATCH, RATE_LIMITS, rateLimitSettings } from "../pb_hooks/lib/settings.js";
import { startTestEngine, useTestEngine, type TestEngine } from "./support/engine.js";
import { startSqlEngine, type SqlEngine } from "./support/sqlEngine.js";
import { apiError, registerUser, type TestUser } from "./support/users.js";

interface StoredSettings {
  meta: { appName: string };
  batch: { enabled: boolean; maxRequests: number; timeout: number; maxBodySize: number };
  rateLimits: { enabled: boolean; rules: Array<{ label: string; audience: string; maxRequests: number; duration: number }> };
}

const settingsOf = async (admin: PocketBase) => (await admin.settings.getAll()) as unknown as StoredSettings;
const authLimit = RATE_LIMITS.find((rule) => rule.label === "*:auth")!;

describe("stored settings", () => {
  const engine = useTestEngine();

  it("names the app and enables the batch API with its limits", async () => {
    const settings = await settingsOf(await engine().admin());
    expect(settings.meta.appName).toBe(APP_NAME);
    expect(settings.batch).toEqual({ enabled: true, ...BATCH });
  });

  it("keeps the rate-limit rules but switches the limiter off when PB_RATE_LIMITS=off (the harness default)", async () => {
    const settings = await settingsOf(await engine().admin());
    expect(settings.rateLimits.enabled).toBe(false);
    expect(settings.rateLimits.rules).toEqual(rateLimitSettings({}).rules);
  });

  it("refuses a batch over the request limit, and runs one at the limit", async () => {
    const user = await registerUser(engine(), "batcher");
    const category = (await user.client.collection("categories").getFirstListItem("")).id;
    const over = user.client.createBatch();
    for (let i = 0; i <= BATCH.maxRequests; i++) over.collection("todos").create({ task: `over ${i}`, category });
    const error = await apiError(over.send());
    expect(error.status).toBe(400);
    expect((await user.client.collection("todos").getList(1, 1)).totalItems).toBe(0);
    const atLimit = user.client.createBatch();
    for (let i = 0; i < BATCH.maxRequests; i++) atLimit.collection("todos").create({ task: `ok ${i}`, category });
    expect(await atLimit.send()).toHaveLength(BATCH.maxRequests);
  });
});

/** Wrong-password sign-ins until the limiter answers; returns the statuses in order. */
async function guessPasswords(engine: TestEngine, email: string, attempts: number): Promise<number[]> {
  const statuses: number[] = [];
  const users = engine.client().collection("users");
  for (let i = 0; i < attempts; i++) statuses.push((await apiError(users.authWithPassword(email, `wrong-guess-${i}`))).status);
  return statuses;
}

describe("rate limiter with the default limits", () => {
  let engine: TestEngine;
  let victim: TestUser;

  beforeAll(async () => {
    engine = await startTestEngine({ env: { PB_RATE_LIMITS: "on" } });
    victim = await registerUser(engine, "victim"); // one sign-in already counts against the auth limit
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("stores the default rules, enabled (superuser sign-ins have their own bucket)", async () => {
    const settings = await settingsOf(await engine.admin());
    expect(settings.rateLimits).toMatchObject({ enabled: true, rules: rateLimitSettings({ PB_RATE_LIMITS: "on" }).rules });
  });

  it("answers a password-guessing burst with 429, while normal requests still work", async () => {
    const allowed = authLimit.maxRequests - 1; // minus the sign-in at registration
    const statuses = await guessPasswords(engine, victim.email, allowed + 3);
    expect(statuses.slice(0, allowed)).toEqual(Array(allowed).fill(400));
    expect(statuses.slice(allowed)).toEqual([429, 429, 429]);
    // Even the right password is refused now: guessing cannot continue.
    expect((await apiError(engine.client().collection("users").authWithPassword(victim.email, victim.password))).status).toBe(429);
    // Everything else is on its own, looser limit.
    expect((await victim.client.collection("todos").getList(1, 10)).items).toEqual([]);
    expect((await victim.client.collection("categories").getFullList()).length).toBeGreaterThan(0);
  });
});

describe("rate limiter tuned by environment", () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine({ env: { PB_RATE_LIMITS: "on", PB_RATE_LIMIT_AUTH: "3/60" } });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("PB_RATE_LIMIT_AUTH=3/60 makes the third sign-in in a minute the last one", async () => {
    const victim = await registerUser(engine, "tuned"); // sign-in 1 of 3
    expect(await guessPasswords(engine, victim.email, 4)).toEqual([400, 400, 429, 429]);
    // Buckets are per collection, so the superuser's own sign-in is not blocked by the users' burst.
    const settings = await settingsOf(await engine.admin());
    expect(settings.rateLimits.rules).toContainEqual({ label: "*:auth", audience: "", maxRequests: 3, duration: 60 });
    expect(settings.rateLimits.rules).toContainEqual({ label: "*:requestPasswordReset", audience: "", maxRequests: 3, duration: 60 });
  });
});

describe("indexes: owner-scoped lists never scan the todos table", () => {
  let sql: SqlEngine;
  let a: TestUser;

  beforeAll(async () => {
    sql = await startSqlEngine();
    a = await registerUser(sql, "planner");
    const b = await registerUser(sql, "other");
    const category = (await a.client.collection("categories").getFirstListItem("")).id;
    for (const user of [a, b, a, b]) {
      const batch = user.client.createBatch();
      for (let i = 0; i < BATCH.maxRequests; i++) batch.collection("todos").create({ task: `t${i}`, category, done: i % 3 === 0 });
      await batch.send();
    }
  });
  afterAll(async () => {
    await sql?.dispose();
  });

  it.each([
    ["a user's list", {}, "idx_todos_owner_"],
    ["newest first", { sort: "-created" }, "idx_todos_owner_created"],
    ["open todos, newest first", { filter: "done = false", sort: "-created" }, "idx_todos_owner_done_created"],
    ["done todos, oldest first", { filter: "done = true", sort: "created" }, "idx_todos_owner_done_created"],
  ] as const)("%s", async (_what, query, index) => {
    const mark = sql.mark();
    await a.client.collection("todos").getList(1, 30, query);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the engine flush its log lines
    const statements = sql.selectsSince(mark).filter((s) => /FROM `todos`/.test(s));
    expect(statements.length).toBeGreaterThanOrEqual(2); // the page and its count
    for (const statement of statements) {
      const plan = (await sql.explain(statement)).map((row) => row.detail);
      expect(plan.join("\n"), statement).not.toMatch(/SCAN todos/);
      expect(plan.join("\n"), statement).toMatch(/idx_todos_owner_/);
      if (statement.includes("ORDER BY")) {
        expect(plan.join("\n"), statement).toContain(index);
        expect(plan.join("\n"), statement).not.toMatch(/TEMP B-TREE/);
      }
    }
  });
});
