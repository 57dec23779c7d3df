// The side channels of docs/SECURITY.md, reproduced as an attacker would run them. Each test asserts on
// what the attacker learns (extracted text, told-apart ids, counts), not only on status codes: without
// the guard (pb_hooks/guard.pb.ts) the extraction tests recover user A's secret text and email.
import { connect } from "node:net";
import { EventSource } from "eventsource";
import { beforeAll, describe, expect, it } from "vitest";
import type PocketBase from "pocketbase";
import { QUERY_LIMITS } from "../pb_hooks/lib/queryGuard.js";
import { useTestEngine } from "./support/engine.js";
import { buildWorld, type TodoModel, type World } from "./support/fixtures.js";
import { apiError, findAsSuperuser } from "./support/users.js";

const engine = useTestEngine();
let w: World;

beforeAll(async () => {
  (globalThis as { EventSource?: unknown }).EventSource ??= EventSource;
  w = await buildWorld(engine());
  // B lets others see their email, which is all it took for the email oracle: the engine checked
  // emailVisibility on the caller's own row only.
  await w.b.client.collection("users").update(w.b.id, { emailVisibility: true });
});

/** An answer to a yes/no question the attacker asks; null when the server refused to answer. */
type Answer = boolean | null;

/** Lists `collection` as `client` with the filter: did anything come back? (null: refused) */
function listOracle(client: PocketBase, collection: string, filterFor: (pattern: string) => string) {
  return async (pattern: string): Promise<Answer> => {
    try {
      const page = await client.collection(collection).getList(1, 1, { filter: filterFor(pattern), skipTotal: true });
      return page.items.length > 0;
    } catch {
      return null;
    }
  };
}

const not =
  (ask: (p: string) => Promise<Answer>) =>
  async (p: string): Promise<Answer> => {
    const answer = await ask(p);
    return answer === null ? null : !answer;
  };

/**
 * The extraction attack: grows a known prefix one character at a time, asking whether any related
 * value starts with it. Returns what it learned (empty when the oracle tells it nothing).
 */
async function extract(ask: (prefix: string) => Promise<Answer>, alphabet: string, maxLength: number): Promise<string> {
  let known = "";
  for (let round = 0; round < maxLength; round++) {
    let next: string | null = null;
    for (const ch of alphabet) {
      if ((await ask(known + ch)) === true) {
        next = ch;
        break;
      }
    }
    if (next === null) break;
    known += next;
  }
  return known;
}

/** The client id a realtime stream announces first (PB_CONNECT), for POST /api/realtime. */
function realtimeClientId(source: EventSource): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    source.addEventListener("PB_CONNECT", (event) => resolve((JSON.parse(event.data as string) as { clientId: string }).clientId));
    source.onerror = () => reject(new Error("realtime connection failed"));
  });
}

/**
 * The realtime form of the oracle, asked the way an attacker would: one subscription per question on
 * B's own todo (its options' filter is the question), then B touches that todo, and a question's answer
 * is whether its event arrived. Answers a whole round of questions at once; null when refused.
 */
async function realtimeRound(questions: string[]): Promise<Answer[] | null> {
  const base = engine().url;
  const control = `todos/${w.bTodo.id}`;
  const topics = questions.map((options) => `${control}?options=${encodeURIComponent(options)}`);
  const source = new EventSource(`${base}/api/realtime`);
  const seen = new Set<string>();
  try {
    const clientId = await realtimeClientId(source);
    for (const topic of [control, ...topics]) source.addEventListener(topic, () => seen.add(topic));
    const subscribed = await fetch(`${base}/api/realtime`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: w.b.client.authStore.token },
      body: JSON.stringify({ clientId, subscriptions: [control, ...topics] }),
    });
    if (subscribed.status !== 204) return null;
    await w.b.client.collection("todos").update(w.bTodo.id, { task: w.bTodo.task }); // a save that changes nothing
    // Every question was judged before the update answered; give the events a moment to arrive.
    while (!seen.has(control)) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 250));
    return topics.map((topic) => seen.has(topic));
  } finally {
    source.close();
  }
}

/** extract(), one round of realtime questions per character (a question per letter of the alphabet). */
async function extractInRounds(options: (prefix: string) => string, alphabet: string, maxLength: number): Promise<string> {
  let known = "";
  for (let round = 0; round < maxLength; round++) {
    const candidates = [...alphabet].map((ch) => known + ch);
    const events = await realtimeRound(candidates.map(options));
    // The filter says "nothing starts with <prefix>": no event means something does.
    const next = events ? candidates.find((_, i) => events[i] === false) : undefined;
    if (next === undefined) break;
    known = next;
  }
  return known;
}

/** Sends `request` as written on a fresh connection; resolves with everything the server answered. */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

const escapeLike = (text: string) => text.replace(/["\\]/g, "\\$&");
const COLLECTIONS_CATEGORIES = "categories";

describe("back-relation filters (finding 1): other users' todos", () => {
  it("B cannot extract A's todo text through categories?filter=todos_via_category.task", async () => {
    const secret = w.aSecret.task; // "A's secret <8 hex>"
    // "None of the todos in Urgent starts with <prefix>" is false as soon as one does.
    const none = listOracle(
      w.b.client,
      "categories",
      (prefix) => `id = "${w.urgent}" && todos_via_category.task !~ "${escapeLike(prefix)}%"`,
    );
    const learned = await extract(not(none), "A's ecrt0123456789abcdf", secret.length);
    expect(learned).toBe("");
  });

  it("the extraction does work when the oracle answers (control, on B's own data)", async () => {
    // (Asked the way round that answers "no" with a non-empty list: the engine slows down empty answers.)
    const own = listOracle(w.b.client, "todos", (prefix) => `task !~ "${escapeLike(prefix)}%"`);
    const learned = await extract(not(own), "B's tak", 6);
    expect(learned).toBe(w.bTodo.task.slice(0, 6));
  });

  it("B cannot extract it from todos either (category.todos_via_category.task)", async () => {
    const plain = listOracle(w.b.client, "todos", (prefix) => `category.todos_via_category.task !~ "${escapeLike(prefix)}%"`);
    const any = listOracle(w.b.client, "todos", (prefix) => `category.todos_via_category.task ?~ "${escapeLike(prefix)}%"`);
    expect(await extract(not(plain), "A's ecrt0123456789abcdf", 12)).toBe("");
    expect(await extract(any, "A's ecrt0123456789abcdf", 12)).toBe("");
  });

  it("B cannot tell A's todo id from a random one", async () => {
    const answers = async (id: string) => {
      const filter = `id = "${w.urgent}" && todos_via_category.id != "${id}"`;
      return w.b.client
        .collection("categories")
        .getList(1, 10, { filter })
        .then((page) => `ok ${page.items.length}`)
        .catch((error: { status?: number }) => `refused ${error.status}`);
    };
    expect(await answers(w.aSecret.id)).toBe(await answers("aaaaaaaaaaaaaaa"));
  });

  it("the refusal is a 400 that names the parameter and says why", async () => {
    const error = await apiError(w.b.client.collection("categories").getList(1, 10, { filter: "todos_via_category.task ~ 'x'" }));
    expect(error.status).toBe(400);
    expect(error.data.filter?.code).toBe("filter_back_relation");
    expect(error.message).toMatch(/back-relation/);
    expect(error.message).toMatch(/access rules/);
  });
});

describe("ways past the guard that an outside attacker found (all refused now)", () => {
  it('a "//" comment inside parentheses cannot hide a back-relation from the guard', async () => {
    const none = listOracle(
      w.b.client,
      COLLECTIONS_CATEGORIES,
      (prefix) => `(id != "" // ) && todos_via_category.task !~ "${escapeLike(prefix)}%"`,
    );
    expect(await extract(not(none), "A's ecrt0123456789abcdf", 12)).toBe("");
    const error = await apiError(w.b.client.collection(COLLECTIONS_CATEGORIES).getList(1, 1, { filter: '(id != "" // ) && name != ""' }));
    expect(error.data.filter?.code).toBe("filter_comment");
  });

  it("realtime options that name the filter twice cannot hide it from the guard", async () => {
    const secret = w.aSecret.task; // "A's secret <8 hex>"
    const notLike = (path: string, prefix: string) => `${path} !~ ${JSON.stringify(`${prefix}%`)}`;
    // Control: the realtime oracle does answer, on B's own todo.
    const own = await extractInRounds((p) => JSON.stringify({ query: { filter: notLike("task", p) } }), "B's tak", 6);
    expect(own).toBe(w.bTodo.task.slice(0, 6));
    // JSON.parse keeps the last "filter"; the engine kept the first. Both spellings: the name twice in
    // "query", and "query" twice.
    const twice = (p: string) =>
      `{"query":{"filter":${JSON.stringify(notLike("category.todos_via_category.task", p))},"filter":"id != ''"}}`;
    const queryTwice = (p: string) => `{"query":{"filter":${JSON.stringify(notLike("category.todos_via_category.task", p))}},"query":{}}`;
    expect(await extractInRounds(twice, "A's ecrt0123456789abcdf", secret.length)).toBe("");
    expect(await extractInRounds(queryTwice, "A's ecrt0123456789abcdf", 4)).toBe("");
    const error = await apiError(w.b.client.realtime.subscribe(`todos/*?options=${encodeURIComponent(twice("A"))}`, () => {}));
    expect(error.status).toBe(400);
    expect(error.data.filter?.code).toBe("filter_ambiguous");
    await w.b.client.realtime.unsubscribe();
  });

  it.each(["\u2028", "\u2029"])(
    "a batch item URL holding %j (a line separator to JavaScript, not to Go) cannot skip the batch rules",
    async (separator) => {
      const batch = (requests: unknown[], token = w.b.client.authStore.token) =>
        fetch(`${engine().url}/api/batch`, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...(token ? { Authorization: token } : {}) },
          body: JSON.stringify({ requests }),
        }).then(async (r) => `${r.status} ${await r.text()}`);
      const url = (path: string, query = "") => `${path}?x=${separator}${query}`;
      // An upsert with another user's id answers like one with a made-up id (no existence oracle).
      const upsert = (id: string) =>
        batch([{ method: "PUT", url: url("/api/collections/todos/records"), body: { id, task: "t", category: w.urgent } }]);
      expect(await upsert(w.aSecret.id)).toBe(await upsert("aaaaaaaaaaaaaaa"));
      // No sign-up inside a batch.
      const email = `batch-${Date.now()}@example.com`;
      const signUp = await batch(
        [
          {
            method: "POST",
            url: url("/api/collections/users/records"),
            body: { email, password: "a-long-password-1", passwordConfirm: "a-long-password-1" },
          },
        ],
        "",
      );
      expect(signUp).toMatch(/^400 /);
      expect(await w.admin.collection("users").getFullList({ filter: w.admin.filter("email = {:email}", { email }) })).toEqual([]);
      // No back-relation expand.
      const expanded = await batch([
        {
          method: "POST",
          url: url("/api/collections/todos/records", "&expand=category.todos_via_category"),
          body: { task: "t", category: w.urgent },
        },
      ]);
      expect(expanded).toMatch(/^400 /);
      expect(expanded).not.toContain(w.aSecret.task);
    },
  );

  it('a realtime topic with ";" or a second options cannot hide its options from the guard', async () => {
    const options = encodeURIComponent(JSON.stringify({ query: { filter: "category.todos_via_category.task !~ 'A%'" } }));
    for (const topic of [
      `todos/*?options=x;&options=${options}`,
      `todos/*?options=%7B%7D&options=${options}`,
      `todos/*?options=%zz&options=${options}`,
    ]) {
      const error = await apiError(w.b.client.realtime.subscribe(topic, () => {}));
      expect(error.status, topic).toBe(400);
    }
    await w.b.client.realtime.unsubscribe();
  });

  it.each(["todos(category)", "todos_ via_category", " todos_via_category ", "todos_via_category."])(
    "expand=%j (the engine's other spellings of a back-relation) is refused",
    async (expand) => {
      const error = await apiError(w.b.client.collection(COLLECTIONS_CATEGORIES).getOne(w.urgent, { expand }));
      expect(error.data.expand?.code).toBe("expand_back_relation");
    },
  );

  it("no spelling of the request target gets a back-relation filter past the guard", async () => {
    // The guard skips queries that could hold nothing to refuse, judged on the raw request target:
    // every way of writing the same query must still reach the full check.
    const filter = 'todos_via_category.task ~ "A"';
    const everyByte = [...Buffer.from(filter)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
    const path = "/api/collections/categories/records";
    const targets = [
      `${path}?filter=${encodeURIComponent(filter)}`,
      `${path}?filter=${everyByte}`,
      `${path}?filter=${everyByte.toLowerCase()}`,
      `${path}?filter=${filter.replaceAll(" ", "+").replaceAll('"', "%22")}`,
      `${path}?sort=x&filter=${everyByte}&page=1`,
      `${path}?%66ilter=${everyByte}`, // the key encoded too
      `${engine().url}${path}?filter=${everyByte}`, // absolute-form request target
    ];
    for (const target of targets) {
      const answer = await rawRequest(
        engine().url,
        `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: ${w.b.client.authStore.token}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.split("\r\n")[0], target).toBe("HTTP/1.1 400 Bad Request");
      expect(answer, target).toContain("filter_back_relation");
    }
  });

  it("a query string does not switch off the uniform email-change answer", async () => {
    const ask = (query: string, newEmail: string) =>
      fetch(`${engine().url}/api/collections/users/request-email-change${query}`, {
        method: "POST",
        headers: { Authorization: w.b.client.authStore.token, "Content-Type": "application/json" },
        body: JSON.stringify({ newEmail }),
      }).then(async (r) => `${r.status} ${await r.text()}`);
    expect(await ask("?x", w.a.email)).toBe(await ask("?x", `free-${Date.now()}@example.com`));
  });
});

describe("hidden emails (finding 2)", () => {
  it("B cannot extract A's email through a back-relation to users", async () => {
    const none = listOracle(
      w.b.client,
      "categories",
      (prefix) => `id = "${w.urgent}" && todos_via_category.owner.email !~ "${escapeLike(prefix)}%"`,
    );
    const learned = await extract(not(none), "abcdefghijklmnopqrstuvwxyz0123456789-@.", 8);
    expect(learned).toBe("");
  });

  it("A's email is still absent from everything B can list", async () => {
    const seen = JSON.stringify(await w.b.client.collection("todos").getFullList({ expand: "category,owner" }));
    expect(seen).not.toContain(w.a.email);
  });
});

describe("sort, expand and fields through back-relations (findings 1 and 4)", () => {
  it.each([
    ["sort", { sort: "todos_via_category.task" }],
    ["expand", { expand: "todos_via_category" }],
    ["fields", { fields: "id,expand.todos_via_category.task" }],
  ])("%s naming a back-relation is refused", async (param, options) => {
    const error = await apiError(w.b.client.collection("categories").getList(1, 10, options));
    expect(error.status).toBe(400);
    expect(error.data[param]?.code).toBe(`${param}_back_relation`);
  });

  it("a view with a back-relation expand is refused too, and A's todo never appears", async () => {
    const error = await apiError(w.b.client.collection("categories").getOne(w.urgent, { expand: "todos_via_category" }));
    expect(error.status).toBe(400);
    expect(JSON.stringify(error)).not.toContain(w.aSecret.task);
  });

  it("an expand deeper than the relation limit is refused with a clear message", async () => {
    const deep = Array.from({ length: QUERY_LIMITS.relationHops + 1 }, () => "category").join(".");
    const error = await apiError(w.b.client.collection("todos").getList(1, 10, { expand: deep }));
    expect(error.status).toBe(400);
    expect(error.data.expand?.code).toBe("expand_too_many_hops");
  });

  it("a filter longer than the limit is refused", async () => {
    const filter = Array.from({ length: 200 }, (_, i) => `task = "${"x".repeat(10)}${i}"`).join(" || ");
    expect(filter.length).toBeGreaterThan(QUERY_LIMITS.filterLength);
    const error = await apiError(w.b.client.collection("todos").getList(1, 10, { filter }));
    expect(error.data.filter?.code).toBe("filter_too_long");
  });
});

describe("what clients still need keeps working", () => {
  it("a user's own todos of one category, with the category expanded and a relation filter", async () => {
    const page = await w.a.client.collection("todos").getList<TodoModel & { expand?: { category?: { name: string } } }>(1, 50, {
      filter: w.a.client.filter("category = {:c} && category.name = {:name}", { c: w.urgent, name: "Urgent" }),
      sort: "-created,category.name",
      expand: "category",
      fields: "id,task,expand.category.name",
    });
    expect(page.items.map((t) => t.id)).toEqual([w.aSecret.id]);
    expect(page.items[0]?.expand?.category?.name).toBe("Urgent");
  });

  it("text that merely looks like a path is fine inside a quoted value", async () => {
    const page = await w.a.client.collection("todos").getList(1, 10, { filter: 'task ~ "todos_via_category.task"' });
    expect(page.items).toEqual([]);
  });

  it("superusers may still use back-relations (the dashboard does)", async () => {
    const page = await w.admin.collection("categories").getList(1, 10, {
      filter: w.admin.filter("todos_via_category.task ?= {:task}", { task: w.aSecret.task }),
    });
    expect(page.items.map((c) => c.id)).toEqual([w.urgent]);
  });
});

describe("realtime and batch carry the same guard", () => {
  it("a realtime subscription whose filter names a back-relation is refused", async () => {
    const error = await apiError(
      w.b.client.collection("todos").subscribe("*", () => {}, { filter: "category.todos_via_category.task ~ 'A'" }),
    );
    expect(error.status).toBe(400);
    await w.b.client.realtime.unsubscribe();
  });

  it("a batch item whose URL expands a back-relation is refused, and nothing is written", async () => {
    const batch = w.b.client.createBatch();
    batch.collection("todos").update(w.bTodo.id, { done: true }, { expand: "category.todos_via_category" });
    const error = await apiError(batch.send());
    expect(error.status).toBe(400);
    // Named like the engine's own batch errors: the item, and the parameter.
    expect(error.data.requests).toEqual({
      "0": { code: "expand_back_relation", message: expect.stringMatching(/^Not allowed in expand: /) as string },
    });
    expect(error.data.expand?.code).toBe("expand_back_relation");
    expect(JSON.stringify(error)).not.toContain(w.aSecret.task);
    expect((await findAsSuperuser(w.admin, "todos", w.bTodo.id))?.done).toBe(false);
  });
});

describe("realtime subscriptions per client (an attacker's many harmless topics slowed everyone's saves)", () => {
  it(`a client holds at most ${QUERY_LIMITS.subscriptionsPerClient} subscriptions, guests included`, async () => {
    const source = new EventSource(`${engine().url}/api/realtime`);
    try {
      const clientId = await realtimeClientId(source);
      const subscribe = (count: number) =>
        fetch(`${engine().url}/api/realtime`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            clientId,
            subscriptions: Array.from(
              { length: count },
              (_, i) => `todos/*?options=${encodeURIComponent(JSON.stringify({ query: { x: String(i) } }))}`,
            ),
          }),
        });
      expect((await subscribe(QUERY_LIMITS.subscriptionsPerClient)).status).toBe(204);
      const refused = await subscribe(QUERY_LIMITS.subscriptionsPerClient + 1);
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { data: { subscriptions?: { code: string } } };
      expect(body.data.subscriptions?.code).toBe("subscriptions_too_many");
    } finally {
      source.close();
    }
  });
});

describe("expanding a back-relation (finding 4): other users' row counts", () => {
  it("what B gets for expand=todos_via_category does not depend on how many todos others have", async () => {
    // A fills "Non-urgent" with 1,000 todos; B then adds one. The engine picked the first 1,000 related
    // ids of any owner before the view rule, so B's own todo dropped out: B learned A's count.
    for (let batchNo = 0; batchNo < 10; batchNo++) {
      const batch = w.admin.createBatch();
      for (let i = 0; i < 100; i++)
        batch.collection("todos").create({ task: `bulk ${batchNo}-${i}`, category: w.nonUrgent, owner: w.a.id });
      await batch.send();
    }
    const mine = await w.b.client.collection("todos").create({ task: "B's own", category: w.nonUrgent });
    const answer = await w.b.client
      .collection("categories")
      .getOne(w.nonUrgent, { expand: "todos_via_category" })
      .then((category) => ({ expanded: ((category.expand?.todos_via_category ?? []) as Array<{ id: string }>).map((t) => t.id) }))
      .catch((error: { status: number }) => ({ refused: error.status }));
    // Refused outright, or (if it is ever allowed) exactly B's own todos.
    expect([{ refused: 400 }, { expanded: [mine.id] }]).toContainEqual(answer);
  });
});
