// Auth abuse: the auth rate limit really triggers under a password-guessing burst (and spoofed
// forwarding headers do not get around it), and a token stops working after logoutEverywhere() and
// after its user is deleted. "Stops working" is checked on the data: nothing of the user's is
// returned or changed with the old token, not only the status codes.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../pb_hooks/lib/settings.js";
import { createClient } from "../../packages/sdk/src/index.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { defaultCategoryIds, signIn, signUp, superuserToken, type Account } from "./accounts.js";
import { api, query } from "./http.js";
import { report } from "./report.js";

const TODOS = `/api/collections/${"todos"}/records`;
const AUTH = `/api/collections/${"users"}/auth-with-password`;
const authRule = RATE_LIMITS.find((rule) => rule.label === "*:auth")!;

describe("auth rate limit (PB_RATE_LIMITS=on, defaults)", () => {
  let engine: TestEngine;
  let user: Account;
  beforeAll(async () => {
    engine = await startTestEngine({ env: { PB_RATE_LIMITS: "on" } });
    user = await signUp(engine.url, "guessed"); // one sign-up and one sign-in: both count towards the limits
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it(`a password-guessing burst gets 429 after ${authRule.maxRequests} attempts per ${authRule.duration} s, even for the right password`, async () => {
    const attempts = authRule.maxRequests * 2;
    const guesses = await Promise.all(
      Array.from({ length: attempts }, (_, i) => api(engine.url, "POST", AUTH, { json: { identity: user.email, password: `wrong-${i}` } })),
    );
    const statuses = guesses.map((g) => g.status);
    const limited = statuses.filter((s) => s === 429).length;
    // Within the window the right password is refused too: the limiter counts requests, not failures.
    const right = await api(engine.url, "POST", AUTH, { json: { identity: user.email, password: user.password } });
    // A forged X-Forwarded-For does not open a new bucket (no trusted proxy headers are configured).
    const spoofed = await api(engine.url, "POST", AUTH, {
      json: { identity: user.email, password: user.password },
      headers: { "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9" },
    });
    // The limit is per client IP: another loopback address still signs in. (Linux routes all of
    // 127.0.0.0/8 to loopback; other systems may only have 127.0.0.1.)
    const otherIp =
      process.platform === "linux"
        ? await postFrom("127.0.0.2", `${engine.url}${AUTH}`, { identity: user.email, password: user.password })
        : null;
    report("auth-rate-limit", {
      attempts,
      limited,
      statuses: countBy(statuses),
      rightPasswordInWindow: right.status,
      spoofedForwardedFor: spoofed.status,
      otherLoopbackIp: otherIp?.status ?? "not tried",
    });

    expect(limited, `statuses: ${statuses.join(",")}`).toBeGreaterThan(0);
    // Every attempt that got through was refused as a wrong password, and at most the allowance got through.
    expect(statuses.filter((s) => s !== 429).every((s) => s === 400)).toBe(true);
    expect(attempts - limited).toBeLessThanOrEqual(authRule.maxRequests);
    expect(guesses.some((g) => typeof (g.body as { token?: unknown } | null)?.token === "string")).toBe(false);
    expect(right.status).toBe(429);
    expect((right.body as { token?: unknown }).token).toBeUndefined();
    expect(spoofed.status).toBe(429);
    if (otherIp) {
      expect(otherIp.status).toBe(200);
      expect(typeof (otherIp.body as { token?: unknown }).token).toBe("string");
    }
  });
});

describe("token revocation", () => {
  let engine: TestEngine;
  let adminToken: string;
  let category: string;
  beforeAll(async () => {
    engine = await startTestEngine();
    adminToken = await superuserToken(engine.url, engine.superuser);
    [category] = (await defaultCategoryIds(engine.url, adminToken)) as [string];
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  async function createTodo(token: string, task: string): Promise<{ id: string; task: string }> {
    const created = await api(engine.url, "POST", TODOS, { token, json: { task, category } });
    expect(created.status).toBe(200);
    return created.body as { id: string; task: string };
  }

  /** Uses a token for every kind of call; returns what came back (for the report and the asserts). */
  async function tryToken(token: string, todoId: string, secret: string) {
    const list = await api(engine.url, "GET", `${TODOS}${query({ perPage: 100 })}`, { token });
    const view = await api(engine.url, "GET", `${TODOS}/${todoId}`, { token });
    const update = await api(engine.url, "PATCH", `${TODOS}/${todoId}`, { token, json: { task: "changed by a revoked token" } });
    const remove = await api(engine.url, "DELETE", `${TODOS}/${todoId}`, { token });
    const create = await api(engine.url, "POST", TODOS, { token, json: { task: "created by a revoked token", category } });
    const refresh = await api(engine.url, "POST", `/api/collections/${"users"}/auth-refresh`, { token });
    const bodies = JSON.stringify([list.body, view.body, update.body, remove.body, create.body, refresh.body]);
    return {
      statuses: {
        list: list.status,
        view: view.status,
        update: update.status,
        delete: remove.status,
        create: create.status,
        refresh: refresh.status,
      },
      listedItems: (list.body as { items?: unknown[] }).items?.length,
      leakedSecret: bodies.includes(secret),
    };
  }

  function expectRevoked(outcome: Awaited<ReturnType<typeof tryToken>>, label: string) {
    expect(outcome.leakedSecret, `${label}: the user's data came back`).toBe(false);
    // An invalid token is a guest to the engine: lists are empty, records are "not found".
    expect(outcome.listedItems, `${label}: list`).toBe(0);
    expect(outcome.statuses, label).toMatchObject({ list: 200, view: 404, update: 404, delete: 404, refresh: 401 });
    expect(outcome.statuses.create, `${label}: create`).toBeGreaterThanOrEqual(400);
  }

  async function adminView(id: string): Promise<{ status: number; task?: string }> {
    const response = await api(engine.url, "GET", `${TODOS}/${id}`, { token: adminToken });
    return { status: response.status, task: (response.body as { task?: string }).task };
  }

  it("auth.logoutEverywhere() (the SDK) revokes every token of the user, on every device", async () => {
    const email = `everywhere-${Date.now()}@example.com`;
    const password = "a-long-password-123";
    const client = createClient({ url: engine.url });
    await client.auth.register({ email, password });
    const laptop = client.pb.authStore.token;
    const phone = (await signIn(engine.url, "users", email, password)).token;
    const secret = `secret ${Date.now()}`;
    const todo = await createTodo(laptop, secret);
    // Both tokens work before.
    expect((await api(engine.url, "GET", `${TODOS}/${todo.id}`, { token: phone })).status).toBe(200);

    await client.auth.logoutEverywhere();
    expect(client.pb.authStore.token, "the SDK forgets the local token").toBe("");

    const outcomes = { laptop: await tryToken(laptop, todo.id, secret), phone: await tryToken(phone, todo.id, secret) };
    report("auth-logout-everywhere", outcomes);
    expectRevoked(outcomes.laptop, "the token that called logoutEverywhere");
    expectRevoked(outcomes.phone, "the other device's token");
    // Nothing was changed or removed through the revoked tokens, and nothing was created.
    expect(await adminView(todo.id)).toEqual({ status: 200, task: secret });
    const owned = await api(engine.url, "GET", `${TODOS}${query({ filter: `task ~ "revoked token"`, perPage: 1 })}`, { token: adminToken });
    expect((owned.body as { totalItems: number }).totalItems).toBe(0);
    // Signing in again works and finds the data intact.
    const fresh = await signIn(engine.url, "users", email, password);
    const list = await api(engine.url, "GET", TODOS, { token: fresh.token });
    expect((list.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([todo.id]);
  });

  it("deleting the user revokes its token and removes its todos", async () => {
    const user = await signUp(engine.url, "deleted");
    const secret = `doomed ${Date.now()}`;
    const todo = await createTodo(user.token, secret);
    const deleted = await api(engine.url, "DELETE", `/api/collections/${"users"}/records/${user.id}`, { token: adminToken });
    expect(deleted.status).toBe(204);

    const outcome = await tryToken(user.token, todo.id, secret);
    report("auth-deleted-user", outcome);
    expectRevoked(outcome, "a deleted user's token");
    expect(await adminView(todo.id), "the user's todos are deleted with it (cascade)").toMatchObject({ status: 404 });
    const left = await api(engine.url, "GET", `${TODOS}${query({ filter: `owner = "${user.id}"`, perPage: 1 })}`, { token: adminToken });
    expect((left.body as { totalItems: number }).totalItems).toBe(0);
    const login = await api(engine.url, "POST", AUTH, { json: { identity: user.email, password: user.password } });
    expect(login.status).toBe(400);
  });
});

/** A JSON POST sent from a chosen local address (fetch cannot pick one). */
function postFrom(localAddress: string, url: string, json: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(json);
    const req = httpRequest(
      url,
      { method: "POST", localAddress, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null }));
      },
    );
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.end(payload);
  });
}

function countBy(values: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
