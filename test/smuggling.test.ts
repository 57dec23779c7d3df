// Request smuggling through unread bodies (pb_hooks/guard.pb.ts). The engine alone keeps a
// connection open after answering without reading a large body, and runs whatever that body holds as
// the next request. Each case hides a complete request (creating a todo) at the start of a large body
// and sends it on a raw socket: the hidden request must not run, and the server must close.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestEngine } from "./support/engine.js";
import { buildWorld, todosWithTask, uniqueTask, type World } from "./support/fixtures.js";
import { chunked, DRAINED_BODY_BYTES, httpMessage, sendRaw, sized } from "./support/rawHttp.js";

const engine = useTestEngine();
let w: World;

beforeAll(async () => {
  w = await buildWorld(engine());
});

/** The smallest body whose rest Go leaves on the wire when nobody reads it. */
const BODY_BYTES = DRAINED_BODY_BYTES + 1;

/** A complete request that creates a todo for user A: the side effect that must never happen. */
function hiddenCreate(task: string): string {
  const body = JSON.stringify({ task, category: w.urgent });
  return httpMessage(
    "POST",
    `/api/collections/${"todos"}/records`,
    { Authorization: w.a.client.authStore.token, ...sized("application/json", body) },
    body,
  );
}

/** The hidden request padded with spaces (which a request parser skips) to `bytes`. */
function bodyHiding(task: string, bytes = BODY_BYTES): string {
  const hidden = hiddenCreate(task);
  return hidden + " ".repeat(bytes - hidden.length);
}

describe("request smuggling through a body the engine does not read", () => {
  it("control: the hidden request is live when sent as a request of its own", async () => {
    const task = uniqueTask("smuggle-control");
    const result = await sendRaw(engine().url, hiddenCreate(task), { answers: 1 });
    expect(result.statusLines).toEqual(["HTTP/1.1 200 OK"]);
    expect(await todosWithTask(w, task)).toHaveLength(1);
  });

  it.each([
    ["an unknown route", (body: string) => httpMessage("POST", "/api/no-such-route", sized("application/json", body), body)],
    [
      "a refused content type (sign-in)",
      (body: string) => httpMessage("POST", `/api/collections/${"users"}/auth-with-password`, sized("application/x-unknown", body), body),
    ],
    ["a route that takes no body (health)", (body: string) => httpMessage("POST", "/api/health", sized("application/json", body), body)],
    [
      "a GET with a body",
      (body: string) => httpMessage("GET", `/api/collections/${"todos"}/records`, sized("application/json", body), body),
    ],
    [
      "a collection that does not exist",
      (body: string) => httpMessage("POST", "/api/collections/nope/records", sized("application/json", body), body),
    ],
    [
      "an Expect: 100-continue request",
      (body: string) => httpMessage("POST", "/api/no-such-route", sized("application/json", body, { Expect: "100-continue" }), body),
    ],
    [
      "a chunked body",
      (body: string) =>
        httpMessage("POST", "/api/no-such-route", { "Content-Type": "application/json", "Transfer-Encoding": "chunked" }, chunked(body)),
    ],
  ])("%s: the connection closes after the answer, the hidden request never runs", async (_name, build) => {
    const task = uniqueTask("smuggled");
    const result = await sendRaw(engine().url, build(bodyHiding(task)));
    // At most the one answer: the server closes with the body's rest unread, and the reset that
    // follows can overtake the answer on its way to the client.
    expect(result.statusLines.length).toBeLessThanOrEqual(1);
    for (const line of result.statusLines) expect(line).toMatch(/^HTTP\/1\.1 [24]\d\d /);
    expect(result.closedByServer).toBe(true);
    expect(await todosWithTask(w, task)).toEqual([]);
  });

  it('HTTP/1.0 with a chunked body and keep-alive: the connection closes, the "body" never runs as a request', async () => {
    // Go ignores Transfer-Encoding on HTTP/1.0 (the body is empty to it), so without a close the chunked
    // bytes that follow are read as the next request on the kept-alive connection.
    const task = uniqueTask("http10");
    const hidden = hiddenCreate(task);
    const request =
      "POST /api/no-such-route HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n" +
      `Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n${hidden}`;
    const result = await sendRaw(engine().url, request);
    expect(result.statusLines.length).toBeLessThanOrEqual(1);
    expect(result.closedByServer).toBe(true);
    expect(await todosWithTask(w, task)).toEqual([]);
  });

  it("bodies Go drains itself keep the connection alive: two requests on one socket get two answers", async () => {
    // Up to 256 KiB, Go reads an unread body to its end, so keep-alive stays on for ordinary requests:
    // the request after it is a real one.
    const task = uniqueTask("keep-alive");
    const small = " ".repeat(DRAINED_BODY_BYTES - 1);
    const first = httpMessage("POST", "/api/no-such-route", sized("application/json", small), small);
    const result = await sendRaw(engine().url, first + hiddenCreate(task), { answers: 2 });
    expect(result.statusLines).toEqual(["HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"]);
    expect(await todosWithTask(w, task)).toHaveLength(1);
  });
});
