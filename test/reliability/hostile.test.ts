// Hostile input: property-based tests throw random and malformed bodies, query strings, headers,
// tokens and ids at every public endpoint. For every request: an answer below 500 within the deadline,
// nothing of the victim user in the body, and /api/health still 200 right after. At the end the
// victim's data is exactly as it was. Oversized bodies are refused with a 4xx.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BATCH } from "../../pb_hooks/lib/settings.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { chunked, DRAINED_BODY_BYTES, httpMessage, sendRaw, sized, type RawExchange } from "../support/rawHttp.js";
import { defaultCategoryIds, signUp, superuserToken, type Account } from "./accounts.js";
import { api, describeResponse, query, type ApiResponse, type RequestOptions } from "./http.js";
import {
  forgedTokens,
  hostileBody,
  nearlyValidTodo,
  hostileHeaders,
  hostileId,
  hostileToken,
  listQuery,
  type HostileBody,
  type Targets,
} from "./hostileInputs.js";
import { findLeaks, OwnershipRegistry } from "./leaks.js";
import { profile } from "./profile.js";
import { report } from "./report.js";

const COLLECTION_NAMES = ["todos", "categories", "users"] as const;
const collection = fc.constantFrom(...COLLECTION_NAMES);
const numRuns = profile.hostile.numRuns;

describe(`hostile input (${profile.name} profile)`, () => {
  let engine: TestEngine;
  let adminToken: string;
  let attacker: Account;
  let victim: Account;
  /** Signs out everywhere during the tests, so the attacker's token stays valid for the rest. */
  let bystander: Account;
  let targets: Targets;
  const registry = new OwnershipRegistry();
  let victimSnapshot: unknown;
  let requests = 0;
  let resetsOnLargeBody = 0;
  let connectionRetries = 0;
  /** Status codes seen per endpoint family, for the report (and to see the inputs reach real code). */
  const statusesByFamily: Record<string, Record<number, number>> = {};

  const victimPaths = () => [`/api/collections/${"todos"}/records/${targets.ids[0]}`, `/api/collections/${"users"}/records/${victim.id}`];

  beforeAll(async () => {
    engine = await startTestEngine();
    adminToken = await superuserToken(engine.url, engine.superuser);
    const categories = await defaultCategoryIds(engine.url, adminToken);
    [attacker, victim, bystander] = [
      await signUp(engine.url, "attacker"),
      await signUp(engine.url, "victim"),
      await signUp(engine.url, "bystander"),
    ];
    const secret = `victim's secret ${Date.now()}`;
    const victimTodo = await api(engine.url, "POST", `/api/collections/${"todos"}/records`, {
      token: victim.token,
      json: { task: secret, category: categories[0] },
    });
    const attackerTodo = await api(engine.url, "POST", `/api/collections/${"todos"}/records`, {
      token: attacker.token,
      json: { task: "mine", category: categories[0] },
    });
    expect([victimTodo.status, attackerTodo.status]).toEqual([200, 200]);
    const victimTodoId = (victimTodo.body as { id: string }).id;
    // Only strings no generator ever produces are claimed, so an echo of the attacker's own input is not a "leak".
    registry.claim(secret, victim.id);
    registry.claim(victim.email, victim.id);
    targets = {
      ids: [victimTodoId, (attackerTodo.body as { id: string }).id, victim.id, ...categories],
      tokens: [attacker.token],
      victimId: victim.id,
      categoryIds: categories,
    };
    victimSnapshot = await snapshotVictim();
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  /** The victim's user record, todo, and the full list of todos owned by the victim, as the superuser sees them. */
  async function snapshotVictim(): Promise<unknown> {
    const owned = `/api/collections/${"todos"}/records${query({ filter: `owner = "${victim.id}"`, perPage: 1000 })}`;
    return Promise.all([...victimPaths(), owned].map(async (path) => (await api(engine.url, "GET", path, { token: adminToken })).body));
  }

  /** What the engine itself logged for requests to this path (newest first), for failure messages. */
  async function engineLog(path: string): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // the engine writes its log in batches, every few seconds
    const filter = `data.url ~ "${path.replaceAll('"', "")}"`;
    const logs = await api(engine.url, "GET", `/api/logs${query({ filter, sort: "-created", perPage: 3 })}`, { token: adminToken });
    return JSON.stringify(logs.body).slice(0, 2_000);
  }

  /** Sends one hostile request and checks the property; throws (with the request) when it fails. */
  async function mustSurvive(family: string, method: string, path: string, options: RequestOptions): Promise<ApiResponse> {
    requests++;
    let response = await api(engine.url, method, path, options);
    if (isSocketError(response)) {
      // A reused keep-alive connection can be reset under a request (the server closing it as the
      // client picks it up). Send it once more, on another connection: a request that really breaks
      // the server fails the same way again. The count is reported (docs/RELIABILITY.md has the figures
      // before and after the connection guard in pb_hooks/guard.pb.ts).
      connectionRetries++;
      response = await api(engine.url, method, path, options);
    }
    const seen = (statusesByFamily[family] ??= {});
    seen[response.status] = (seen[response.status] ?? 0) + 1;
    const what = () =>
      `${describeResponse(method, path, response)} | token=${String(options.token).slice(0, 60)} headers=${JSON.stringify(options.headers ?? {}).slice(0, 200)} body=${typeof options.rawBody === "string" ? options.rawBody.slice(0, 300) : options.rawBody ? "(a stream)" : ""}`;
    if (response.timedOut) throw new Error(`no answer within the deadline (hang): ${what()}`);
    if (response.status === 0 && resetOnUnreadBody(options, response)) {
      // Go's HTTP server answers without reading a large body it does not need (e.g. a 404 before the
      // body is parsed) and then closes the connection; a client still sending sees a reset instead of
      // the answer. Not a server failure: the health check below proves the engine is fine.
      resetsOnLargeBody++;
    } else if (response.status === 0) throw new Error(`connection failed: ${what()}`);
    if (response.status >= 500) throw new Error(`server error: ${what()}`);
    const leaks = findLeaks(response.body, attacker.id, registry);
    if (leaks.length) throw new Error(`victim data in the response (${JSON.stringify(leaks)}): ${what()}`);
    const health = await api(engine.url, "GET", "/api/health");
    if (health.status !== 200) throw new Error(`unhealthy after: ${what()} → health ${health.status}`);
    return response;
  }

  const withBody = (body: HostileBody, token: string | undefined, headers: Record<string, string>): RequestOptions => ({
    token,
    headers,
    rawBody: body.raw,
    contentType: body.contentType,
  });

  /** Ids for view/update: often the attacker's own todo (so valid paths reach the validators), else hostile. */
  const recordId = () => fc.oneof({ arbitrary: fc.constant(targets.ids[1]!), weight: 2 }, { arbitrary: hostileId(targets), weight: 3 });

  const run = <Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncPropertyWithHooks<Ts>) => fc.assert(property, { numRuns });

  it(
    "records list: random filter, sort, expand, fields, page, perPage",
    async () => {
      await run(
        fc.asyncProperty(collection, listQuery, hostileToken(targets), hostileHeaders, async (name, params, token, headers) => {
          await mustSurvive("list", "GET", `/api/collections/${name}/records${query(params)}`, { token, headers });
        }),
      );
    },
    profile.testTimeoutMs,
  );

  it(
    "record view: random ids, expand and fields",
    async () => {
      await run(
        fc.asyncProperty(collection, recordId(), listQuery, hostileToken(targets), async (name, id, params, token) => {
          await mustSurvive(
            "view",
            "GET",
            `/api/collections/${name}/records/${id}${query({ expand: params.expand, fields: params.fields })}`,
            { token },
          );
        }),
      );
    },
    profile.testTimeoutMs,
  );

  it(
    "record create: random and malformed bodies, content types and headers",
    async () => {
      await run(
        fc.asyncProperty(collection, hostileBody(targets), hostileToken(targets), hostileHeaders, async (name, body, token, headers) => {
          const response = await mustSurvive("create", "POST", `/api/collections/${name}/records`, withBody(body, token, headers));
          // A todo that does get created belongs to the caller; nobody else is ever its owner.
          if (response.status === 200 && name === "todos" && (response.body as { owner?: string }).owner !== attacker.id) {
            throw new Error(`todo created for someone else: ${JSON.stringify(response.body).slice(0, 300)}`);
          }
        }),
      );
    },
    profile.testTimeoutMs,
  );

  it(
    "record update: random ids and bodies",
    async () => {
      await run(
        fc.asyncProperty(
          fc.oneof(fc.constant("todos"), collection),
          recordId(),
          hostileBody(targets),
          hostileToken(targets),
          async (name, id, body, token) => {
            const response = await mustSurvive("update", "PATCH", `/api/collections/${name}/records/${id}`, withBody(body, token, {}));
            if (response.status === 200 && name === "todos" && (response.body as { owner?: string }).owner !== attacker.id) {
              throw new Error(`todo moved to another owner: ${JSON.stringify(response.body).slice(0, 300)} body=${body.raw.slice(0, 300)}`);
            }
          },
        ),
      );
    },
    profile.testTimeoutMs,
  );

  it(
    "record delete: random ids",
    async () => {
      await run(
        fc.asyncProperty(collection, hostileId(targets), hostileToken(targets), async (name, id, token) => {
          // The attacker's own account stays, so the attacker's token keeps working for the other cases.
          if (name === "users" && decodeURIComponent(id) === attacker.id) return;
          await mustSurvive("delete", "DELETE", `/api/collections/${name}/records/${id}`, { token });
        }),
      );
    },
    profile.testTimeoutMs,
  );

  it(
    "auth-with-password and auth-refresh: random bodies and tokens",
    async () => {
      await run(
        fc.asyncProperty(
          hostileBody(targets),
          hostileToken(targets),
          fc.constantFrom("auth-with-password", "auth-refresh", "auth-methods"),
          async (body, token, action) => {
            const method = action === "auth-methods" ? "GET" : "POST";
            const options = method === "GET" ? { token } : withBody(body, token, {});
            const response = await mustSurvive("auth", method, `/api/collections/${"users"}/${action}`, options);
            // Nothing but the attacker's own real token may ever be refreshed into a session.
            const record = (response.body as { record?: { id?: string } } | null)?.record;
            if (response.status === 200 && action !== "auth-methods" && record?.id !== attacker.id) {
              throw new Error(
                `a session for ${String(record?.id)} from ${action}: token=${String(token).slice(0, 40)} body=${body.raw.slice(0, 200)}`,
              );
            }
          },
        ),
      );
    },
    profile.testTimeoutMs,
  );

  it(
    "batch: random sub-requests and malformed batch bodies",
    async () => {
      const subRequest = fc.record(
        {
          method: fc.constantFrom("POST", "PATCH", "PUT", "DELETE", "GET", "HEAD", "OPTIONS", "post", ""),
          url: fc.oneof(
            fc.tuple(collection, hostileId(targets)).map(([name, id]) => `/api/collections/${name}/records/${id}`),
            collection.map((name) => `/api/collections/${name}/records`),
            fc.constant(`/api/collections/${"todos"}/records`),
            fc.constantFrom(
              "/api/batch",
              "/api/health",
              "/api/collections/_superusers/records",
              "/api/settings",
              "http://example.invalid/x",
              "",
              "../../../etc/passwd",
            ),
          ),
          // Parsed when it is JSON (small enough to re-serialize: the deepest nestings would overflow the stack).
          body: hostileBody(targets).map((b) => (b.contentType === "application/json" && b.raw.length < 5_000 ? safeParse(b.raw) : b.raw)),
          headers: hostileHeaders,
        },
        { requiredKeys: ["method", "url"] },
      );
      const validCreate = nearlyValidTodo(targets).map((body) => ({ method: "POST", url: `/api/collections/${"todos"}/records`, body }));
      const batchBody = fc.oneof(
        fc
          .array(validCreate, { minLength: 1, maxLength: 6 })
          .map((requests) => ({ raw: JSON.stringify({ requests }), contentType: "application/json" })),
        fc
          .array(fc.oneof(validCreate, subRequest), { maxLength: 8 })
          .map((requests) => ({ raw: JSON.stringify({ requests }), contentType: "application/json" })),
        fc.array(subRequest, { maxLength: 8 }).map((requests) => ({ raw: JSON.stringify({ requests }), contentType: "application/json" })),
        hostileBody(targets),
      );
      await run(
        fc.asyncProperty(batchBody, hostileToken(targets), async (body, token) => {
          await mustSurvive("batch", "POST", "/api/batch", withBody(body, token, {}));
        }),
      );
    },
    profile.testTimeoutMs,
  );

  it(
    "logout-everywhere, health and unknown routes: random tokens, headers, bodies and paths",
    async () => {
      const tokens = fc.oneof(hostileToken({ ...targets, tokens: [bystander.token] }), fc.constant(bystander.token));
      await run(
        fc.asyncProperty(
          fc.constantFrom("logout", "health", "random"),
          tokens,
          hostileHeaders,
          hostileBody(targets),
          hostileId(targets),
          fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
          async (route, token, headers, body, segment, method) => {
            if (route === "logout") await mustSurvive("custom", "POST", "/api/starter/logout-everywhere", withBody(body, token, headers));
            else if (route === "health")
              await mustSurvive("custom", "GET", `/api/health${query({ fields: segment, x: body.raw.slice(0, 100) })}`, { token, headers });
            else
              await mustSurvive(
                "custom",
                method,
                `/api/${segment}`,
                method === "GET" || method === "OPTIONS" ? { token, headers } : withBody(body, token, headers),
              );
          },
        ),
      );
    },
    profile.testTimeoutMs,
  );

  it("forged tokens are guests: the victim's todo stays invisible and unchanged", async () => {
    for (const token of forgedTokens(victim.id)) {
      const [todoPath] = victimPaths() as [string];
      const view = await mustSurvive("forged", "GET", todoPath, { token });
      const update = await mustSurvive("forged", "PATCH", todoPath, { token, json: { task: "forged" } });
      const list = await mustSurvive("forged", "GET", `/api/collections/${"todos"}/records`, { token });
      for (const [method, response] of [
        ["GET", view],
        ["PATCH", update],
      ] as const) {
        const why =
          response.status === 404 ? "" : `${describeResponse(method, todoPath, response)} | engine log: ${await engineLog(todoPath)}`;
        expect(response.status, why).toBe(404);
      }
      expect((list.body as { items: unknown[] }).items).toEqual([]);
    }
  });

  it(
    "oversized bodies are refused (413) and the connection closed, nothing is stored, the engine stays healthy",
    async () => {
      // On a raw socket: the engine answers before reading all of such a body and then closes the
      // connection (pb_hooks/guard.pb.ts); fetch drops an answer that arrives while it is still sending.
      const todos = `/api/collections/${"todos"}/records`;
      const auth = { Authorization: attacker.token };
      const big = JSON.stringify({ task: `OVERSIZED ${"x".repeat(40 * 1024 * 1024)}`, category: targets.ids[3] });
      const batchItems = Math.ceil((BATCH.maxBodySize + 1024 * 1024) / 100_000);
      const batchBody = JSON.stringify({
        requests: Array.from({ length: batchItems }, () => ({
          method: "POST",
          url: todos,
          body: { task: `OVERSIZED ${"y".repeat(100_000)}`, category: targets.ids[3] },
        })),
      });
      const sent = {
        create: httpMessage("POST", todos, { ...auth, ...sized("application/json", big) }, big),
        createChunked: httpMessage(
          "POST",
          todos,
          { ...auth, "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
          chunked(big),
        ),
        batch: httpMessage("POST", "/api/batch", { ...auth, ...sized("application/json", batchBody) }, batchBody),
      };
      const answers: Record<string, RawExchange> = {};
      for (const [name, payload] of Object.entries(sent)) answers[name] = await sendRaw(engine.url, payload, { timeoutMs: 30_000 });
      const statuses = Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.statusLines.join(", ")]));
      report("hostile-oversized", { createBytes: big.length, batchBytes: batchBody.length, batchLimit: BATCH.maxBodySize, statuses });
      for (const [name, answer] of Object.entries(answers)) {
        // The 413, or nothing when the reset that follows the close overtook it: never anything else.
        expect(answer.statusLines, `${name}: ${answer.received.slice(0, 300)}`).toEqual(
          answer.statusLines.length ? ["HTTP/1.1 413 Request Entity Too Large"] : [],
        );
        expect(answer.closedByServer, name).toBe(true);
      }
      expect((await api(engine.url, "GET", "/api/health")).status).toBe(200);
      // Nothing of the refused bodies was stored.
      const mine = await api(engine.url, "GET", `${todos}${query({ filter: 'task ~ "OVERSIZED"', perPage: 1 })}`, {
        token: attacker.token,
      });
      expect((mine.body as { totalItems: number }).totalItems).toBe(0);
    },
    profile.testTimeoutMs,
  );

  it("afterwards: the engine is healthy and the victim's data is exactly as it was", async () => {
    expect((await api(engine.url, "GET", "/api/health")).status).toBe(200);
    expect(await snapshotVictim()).toEqual(victimSnapshot);
    report("hostile", {
      profile: profile.name,
      numRunsPerFamily: numRuns,
      requests,
      connectionRetries,
      resetsOnLargeBody,
      statusesByFamily,
    });
  });
});

const SOCKET_ERRORS = ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"];

function isSocketError(response: ApiResponse): boolean {
  return response.status === 0 && !response.timedOut && SOCKET_ERRORS.includes(response.error ?? "");
}

function resetOnUnreadBody(options: RequestOptions, response: ApiResponse): boolean {
  const size = typeof options.rawBody === "string" ? Buffer.byteLength(options.rawBody) : 0;
  return size > DRAINED_BODY_BYTES && isSocketError(response);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
