// Behind a reverse proxy: nginx, started here with the shipped config (deploy/nginx/pocketbase.conf), in
// front of a real engine. Clients are distinct loopback addresses (127.0.0.2, 127.0.0.3). Proves: per-client
// rate limits and logs see the real client behind the proxy, a spoofed X-Forwarded-For buys no fresh
// allowance (behind the proxy, or directly without one), realtime streams through it, and the smuggling
// guard still closes the engine's side of the proxy's kept-alive connections.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventSource } from "eventsource";
import PocketBase from "pocketbase";
import { startTestEngine, type TestEngine } from "./support/engine.js";
import { signInAttempt } from "./support/fromAddress.js";
import { startNginx, type RunningNginx } from "./support/nginx.js";
import { requestLines, startTcpTap, type TcpTap } from "./support/tcpTap.js";
import { NGINX, toolUnavailableReason } from "./support/tools.js";
import { DRAINED_BODY_BYTES, httpMessage, sendRaw, sized } from "./support/rawHttp.js";
import { registerUser } from "./support/users.js";
import { uniqueTask } from "./support/fixtures.js";

(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

const unavailable = toolUnavailableReason(NGINX);
if (unavailable) console.warn(`[proxy tests skipped] ${unavailable}`);

/** Sign-in attempts per client before 429 (a small limit keeps the test short; the window outlasts it). */
const AUTH_LIMIT = 3;
const limits = { PB_RATE_LIMITS: "on", PB_RATE_LIMIT_AUTH: `${AUTH_LIMIT}/300` };

describe.skipIf(unavailable !== null)(unavailable ? `behind nginx (skipped: ${unavailable})` : "behind nginx", () => {
  let engine: TestEngine;
  let tap: TcpTap;
  let proxy: RunningNginx;

  beforeAll(async () => {
    engine = await startTestEngine({ env: { ...limits, PB_TRUSTED_PROXY_HEADERS: "X-Forwarded-For" } });
    tap = await startTcpTap(Number(new URL(engine.url).port));
    proxy = await startNginx(`127.0.0.1:${tap.port}`);
  });
  afterAll(async () => {
    await proxy?.stop();
    await tap?.close();
    await engine?.dispose();
  });

  it("rate limits count per client behind the proxy; a spoofed X-Forwarded-For gets no fresh allowance", async () => {
    const alice = "127.0.0.2";
    const bob = "127.0.0.3";
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_LIMIT + 1; i++) statuses.push(await signInAttempt(alice, proxy.url));
    expect(statuses).toEqual([...Array<number>(AUTH_LIMIT).fill(400), 429]);
    // The same client claiming to be someone else: the proxy replaces the header, so it is still Alice.
    expect(await signInAttempt(alice, proxy.url, { "X-Forwarded-For": "198.51.100.7" })).toBe(429);
    expect(await signInAttempt(alice, proxy.url, { "X-Forwarded-For": "198.51.100.7, 198.51.100.8" })).toBe(429);
    // Another client behind the same proxy has an allowance of its own.
    expect(await signInAttempt(bob, proxy.url)).toBe(400);
  });

  it("the engine's request log records the real client address, not the proxy's", async () => {
    const admin = await engine.admin();
    const seen = async () => {
      const logs = await admin.logs.getList(1, 200, { filter: 'data.url ~ "/users/auth-with-password"' });
      return new Set(logs.items.map((log) => `${String(log.data.userIP)} via ${String(log.data.remoteIP)}`));
    };
    const deadline = Date.now() + 20_000; // the engine writes its logs in batches
    let entries = await seen();
    while (!(entries.has("127.0.0.2 via 127.0.0.1") && entries.has("127.0.0.3 via 127.0.0.1")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      entries = await seen();
    }
    expect([...entries].sort()).toEqual(["127.0.0.2 via 127.0.0.1", "127.0.0.3 via 127.0.0.1"]);
  });

  it("realtime (server-sent events) streams through the proxy", async () => {
    const viaProxy = { client: () => withoutCancellation(new PocketBase(proxy.url)) };
    const user = await registerUser(viaProxy);
    const category = (await user.client.collection("categories").getFullList())[0]!.id;
    const task = uniqueTask("through nginx");
    const event = new Promise<{ action: string; task: unknown }>((resolve) => {
      void user.client.collection("todos").subscribe("*", (e) => resolve({ action: e.action, task: e.record.task }));
    });
    // The subscription is registered once subscribe() resolves; the create happens after that.
    await user.client.realtime.subscribe("todos", () => {});
    await user.client.collection("todos").create({ task, category });
    await expect(withTimeout(event, 15_000, "no realtime event through nginx")).resolves.toEqual({ action: "create", task });
    await user.client.realtime.unsubscribe();
  });

  it("one client address holds at most 50 realtime streams through the proxy (the 51st gets 429)", async () => {
    const streams = Array.from({ length: 51 }, () => new AbortController());
    try {
      const statuses: number[] = [];
      for (const stream of streams) {
        // Each stream stays open (its body is never read to the end) until aborted below.
        statuses.push((await fetch(`${proxy.url}/api/realtime`, { signal: stream.signal })).status);
      }
      expect(statuses.slice(0, 50).every((status) => status === 200)).toBe(true);
      expect(statuses[50]).toBe(429);
    } finally {
      for (const stream of streams) stream.abort();
    }
  });

  it("a request hiding another in its body: the engine ends the proxy's connection (Connection: close), the hidden one never runs", async () => {
    const user = await registerUser(engine);
    const category = (await user.client.collection("categories").getFullList())[0]!.id;
    const task = uniqueTask("smuggled via nginx");
    const hiddenBody = JSON.stringify({ task, category });
    const hidden = httpMessage(
      "POST",
      "/api/collections/todos/records",
      { Authorization: user.client.authStore.token, ...sized("application/json", hiddenBody) },
      hiddenBody,
    );
    // A GET with a body the engine never reads, longer than Go drains by itself (see test/smuggling.test.ts).
    const body = hidden + " ".repeat(DRAINED_BODY_BYTES + 1 - hidden.length);

    // Control: ordinary requests share kept-alive upstream connections (fewer connections than requests).
    const before = tap.connections.length;
    for (let i = 0; i < 3; i++) expect((await fetch(`${proxy.url}/api/health`)).status).toBe(200);
    expect(tap.connections.length - before, "nginx reuses its upstream connections (keepalive)").toBeLessThan(3);
    expect(tap.connections.some((c) => requestLines(c).length > 1)).toBe(true);

    const answer = await sendRaw(proxy.url, httpMessage("GET", "/api/collections/todos/records", sized("application/json", body), body), {
      answers: 1,
    });
    expect(answer.statusLines).toHaveLength(1);
    const carrier = tap.connections.find((c) => c.upstream.includes(task));
    expect(carrier, "the proxy forwarded the body upstream").toBeDefined();
    // The engine answered with Connection: close, and that connection ended after the answer. Which FIN
    // the tap sees first is a race (nginx closes its side as soon as it reads "close"), so not asserted.
    expect(carrier!.downstream).toMatch(/\r\nConnection: close\r\n/i);
    await until(() => carrier!.closedBy !== null);
    expect(carrier!.closedBy).not.toBeNull();
    // Later requests through the proxy still work (on a fresh upstream connection), and nothing was created.
    expect((await fetch(`${proxy.url}/api/health`)).status).toBe(200);
    const admin = await engine.admin();
    expect(await admin.collection("todos").getFullList({ filter: admin.filter("task = {:task}", { task }) })).toEqual([]);
  });
});

describe.skipIf(unavailable !== null)("without a trusted proxy setting (PB_TRUSTED_PROXY_HEADERS unset)", () => {
  let engine: TestEngine;
  let proxy: RunningNginx;

  beforeAll(async () => {
    engine = await startTestEngine({ env: limits });
    proxy = await startNginx(new URL(engine.url).host);
  });
  afterAll(async () => {
    await proxy?.stop();
    await engine?.dispose();
  });

  it("a client talking to the engine directly cannot pick its address with X-Forwarded-For", async () => {
    const mallory = "127.0.0.4";
    for (let i = 0; i < AUTH_LIMIT; i++) expect(await signInAttempt(mallory, engine.url)).toBe(400);
    for (const spoofed of ["198.51.100.7", "198.51.100.8", "127.0.0.5"]) {
      expect(await signInAttempt(mallory, engine.url, { "X-Forwarded-For": spoofed, "X-Real-IP": spoofed })).toBe(429);
    }
  });

  it("behind a proxy it is needed: without it every client shares the proxy's allowance", async () => {
    for (let i = 0; i < AUTH_LIMIT; i++) expect(await signInAttempt("127.0.0.6", proxy.url)).toBe(400);
    expect(await signInAttempt("127.0.0.7", proxy.url)).toBe(429);
  });
});

function withoutCancellation(pb: PocketBase): PocketBase {
  pb.autoCancellation(false);
  return pb;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(message)), ms))]);
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}
