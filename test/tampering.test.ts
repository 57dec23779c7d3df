// Attacks beyond the access matrix: owner spoofing, probing other users' data through filters, sorts,
// expands and fields, batch requests, realtime subscriptions, existence oracles and account escalation.
// Every case asserts that the forbidden thing did not happen, not only the status code.
import { randomUUID } from "node:crypto";
import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PocketBase from "pocketbase";
import type { RecordModel } from "pocketbase";
import { useTestEngine } from "./support/engine.js";
import { buildWorld, ids, todosWithTask, uniqueTask, type World } from "./support/fixtures.js";
import { apiError, findAsSuperuser, rawRequest, registerUser } from "./support/users.js";

// The SDK's realtime client needs an EventSource; Node 20 has none.
(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

const engine = useTestEngine();
let w: World;

beforeAll(async () => {
  w = await buildWorld(engine());
});

const todos = (pb: PocketBase) => pb.collection("todos");

/** A 15-char id in the engine's format that no record has. */
function missingId(): string {
  return randomUUID().replace(/-/g, "").slice(0, 15);
}

describe("owner on create", () => {
  it("is the caller when omitted", async () => {
    const created = await todos(w.a.client).create({ task: uniqueTask("omitted"), category: w.urgent });
    expect((await findAsSuperuser(w.admin, "todos", created.id))?.owner).toBe(w.a.id);
  });

  it("may name the caller", async () => {
    const created = await todos(w.a.client).create({ task: uniqueTask("self"), category: w.urgent, owner: w.a.id });
    expect(created.owner).toBe(w.a.id);
  });

  it("naming another user is refused and nothing is created", async () => {
    const task = uniqueTask("spoof");
    const error = await apiError(todos(w.a.client).create({ task, category: w.urgent, owner: w.b.id }));
    expect(error.status).toBe(403);
    expect(error.data).toMatchObject({ owner: { code: "owner_forbidden" } });
    expect(error.message).toMatch(/only create records that you own; leave "owner" out/);
    expect(await todosWithTask(w, task)).toEqual([]);
  });

  // The engine keeps the last id of a list sent to a single relation, and applies +/- modifiers: the
  // value it would store is what the hook checks. Each case either is refused (403 on owner, nothing
  // created) or stores the caller as the owner.
  it.each([
    ["a list of owners, the victim last", (b: string, a: string) => ({ owner: [a, b] }), "refused"],
    ["a list with the victim first (the caller is stored)", (b: string, a: string) => ({ owner: [b, a] }), "own"],
    ["an append modifier", (b: string) => ({ "owner+": b }), "refused"],
    ["a prepend modifier", (b: string) => ({ "+owner": b }), "refused"],
    ["an empty owner (the server fills in the caller)", () => ({ owner: "" }), "own"],
  ] as const)("%s never makes a todo owned by someone else", async (_label, shape, outcome) => {
    const task = uniqueTask("odd owner");
    const created = todos(w.a.client).create({ task, category: w.urgent, ...shape(w.b.id, w.a.id) });
    if (outcome === "refused") {
      const error = await apiError(created);
      expect(error.status).toBe(403);
      expect(error.data).toMatchObject({ owner: { code: "owner_forbidden" } });
      expect(await todosWithTask(w, task)).toEqual([]);
    } else {
      await created;
      expect((await todosWithTask(w, task)).map((todo) => todo.owner)).toEqual([w.a.id]);
    }
  });

  it("an anonymous caller naming an owner creates nothing", async () => {
    const task = uniqueTask("anon");
    expect((await apiError(todos(w.anonymous).create({ task, category: w.urgent, owner: w.a.id }))).status).toBe(400);
    expect(await todosWithTask(w, task)).toEqual([]);
  });
});

describe("owner on update", () => {
  it("the owner cannot give a todo away", async () => {
    const todo = await todos(w.a.client).create({ task: uniqueTask("keep"), category: w.urgent });
    const error = await apiError(todos(w.a.client).update(todo.id, { owner: w.b.id, task: "moved" }));
    expect(error.status).toBe(403);
    expect(error.data).toMatchObject({ owner: { code: "owner_immutable" } });
    const stored = await findAsSuperuser(w.admin, "todos", todo.id);
    expect(stored?.owner).toBe(w.a.id);
    expect(stored?.task).toBe(todo.task);
  });

  it("sending the unchanged owner along with a change is fine", async () => {
    const todo = await todos(w.a.client).create({ task: uniqueTask("same owner"), category: w.urgent });
    const updated = await todos(w.a.client).update(todo.id, { owner: w.a.id, done: true });
    expect(updated.done).toBe(true);
  });

  it.each([
    ["a list of owners, the victim last", (b: string, a: string) => ({ owner: [a, b] }), "refused"],
    ["an append modifier", (b: string) => ({ "owner+": b }), "refused"],
    ["a prepend modifier (the caller stays last, so stored)", (b: string) => ({ "+owner": b }), "unchanged"],
    ["a remove modifier", (_b: string, a: string) => ({ "owner-": a }), "refused"],
    ["an empty owner", () => ({ owner: "" }), "refused"],
  ] as const)("%s cannot change the owner", async (_label, shape, outcome) => {
    const todo = await todos(w.a.client).create({ task: uniqueTask("odd update"), category: w.urgent });
    const update = todos(w.a.client).update(todo.id, { done: true, ...shape(w.b.id, w.a.id) });
    if (outcome === "refused") {
      const error = await apiError(update);
      expect(error.status).toBe(403);
      expect(error.data).toMatchObject({ owner: { code: "owner_immutable" } });
      expect(await findAsSuperuser(w.admin, "todos", todo.id)).toMatchObject({ owner: w.a.id, done: false });
    } else {
      await update;
      expect(await findAsSuperuser(w.admin, "todos", todo.id)).toMatchObject({ owner: w.a.id, done: true });
    }
  });

  it("another user cannot take a todo", async () => {
    expect((await apiError(todos(w.b.client).update(w.aSecret.id, { owner: w.b.id }))).status).toBe(404);
    expect((await findAsSuperuser(w.admin, "todos", w.aSecret.id))?.owner).toBe(w.a.id);
  });

  it("a superuser can move a todo to another owner", async () => {
    const todo = await todos(w.a.client).create({ task: uniqueTask("reassign"), category: w.urgent });
    await todos(w.admin).update(todo.id, { owner: w.b.id });
    expect((await todos(w.b.client).getOne(todo.id)).owner).toBe(w.b.id);
    expect((await apiError(todos(w.a.client).getOne(todo.id))).status).toBe(404);
  });
});

describe("no existence oracle: another user's id answers like a missing id", () => {
  it.each(["view", "update", "delete"] as const)("%s", async (op) => {
    const call = (id: string) =>
      op === "view"
        ? todos(w.b.client).getOne(id)
        : op === "update"
          ? todos(w.b.client).update(id, { task: "x" })
          : todos(w.b.client).delete(id);
    const foreign = await apiError(call(w.aSecret.id));
    const missing = await apiError(call(missingId()));
    expect(foreign).toEqual(missing);
    expect(foreign.status).toBe(404);
    expect(await findAsSuperuser(w.admin, "todos", w.aSecret.id)).toMatchObject({ task: w.aSecret.task });
  });

  it("create with a chosen id", async () => {
    const create = (id: string) => todos(w.b.client).create({ id, task: uniqueTask("chosen id"), category: w.urgent });
    const fresh = missingId();
    const foreign = await apiError(create(w.aSecret.id));
    const missing = await apiError(create(fresh));
    expect(foreign).toEqual(missing);
    expect(await findAsSuperuser(w.admin, "todos", fresh)).toBeNull();
    expect((await findAsSuperuser(w.admin, "todos", w.aSecret.id))?.owner).toBe(w.a.id);
  });

  it("batch upsert with a chosen id", async () => {
    const upsert = (id: string) => {
      const batch = w.b.client.createBatch();
      batch.collection("todos").upsert({ id, task: "taken over", category: w.urgent });
      return batch.send();
    };
    const fresh = missingId();
    const foreign = await apiError(upsert(w.aSecret.id));
    const missing = await apiError(upsert(fresh));
    expect(foreign).toEqual(missing);
    expect(await findAsSuperuser(w.admin, "todos", fresh)).toBeNull();
    expect(await findAsSuperuser(w.admin, "todos", w.aSecret.id)).toMatchObject({ task: w.aSecret.task, owner: w.a.id });
  });

  it("batch upsert of one's own todo still works", async () => {
    const own = await todos(w.b.client).create({ task: uniqueTask("B upsert"), category: w.urgent });
    const batch = w.b.client.createBatch();
    batch.collection("todos").upsert({ id: own.id, task: "B upserted", category: w.urgent });
    await batch.send();
    expect((await findAsSuperuser(w.admin, "todos", own.id))?.task).toBe("B upserted");
  });
});

describe("probing other users' data through queries", () => {
  /** Every response B gets while probing; none may mention A's data. */
  const seenByB: unknown[] = [];
  const see = <T>(value: T): T => {
    seenByB.push(value);
    return value;
  };

  afterAll(() => {
    const text = JSON.stringify(seenByB);
    expect(text).not.toContain(w.aSecret.task);
    expect(text).not.toContain(w.aSecret.id);
    expect(text).not.toContain(w.a.email);
    expect(text).not.toContain(w.a.id);
  });

  const secretWord = () => w.aSecret.task.split(" ").pop()!;
  const bWord = () => w.bTodo.task.split(" ").pop()!;

  it("a filter on another user's todo id finds nothing", async () => {
    expect(see(await todos(w.b.client).getFullList({ filter: `id = "${w.aSecret.id}"` }))).toEqual([]);
  });

  it("filters through back-relations are refused (the engine reads them past the rules); relations still work", async () => {
    const probe = (word: string) =>
      todos(w.b.client).getFullList({ filter: w.b.client.filter("category.todos_via_category.task ?~ {:word}", { word }) });
    expect(see(await apiError(probe(secretWord()))).data.filter?.code).toBe("filter_back_relation");
    const categories = w.b.client.collection("categories");
    const viaTodos = categories.getFullList({ filter: w.b.client.filter("todos_via_category.task ?~ {:word}", { word: secretWord() }) });
    expect(see(await apiError(viaTodos)).status).toBe(400);
    // Control: a filter through a (single) relation runs, with the related collection's rules applied.
    const control = see(
      await todos(w.b.client).getFullList({
        filter: w.b.client.filter("category.name = {:name} && task ~ {:word}", { name: "Urgent", word: bWord() }),
      }),
    );
    expect(ids(control)).toEqual([w.bTodo.id]);
  });

  it("filters on emails see only B, even when both users made their email visible", async () => {
    // The engine only matches emails of users who opted into emailVisibility; turn it on for both so
    // the probe could match, and the rules alone must hide A.
    const users = (pb: PocketBase) => pb.collection("users");
    await users(w.a.client).update(w.a.id, { emailVisibility: true });
    await users(w.b.client).update(w.b.id, { emailVisibility: true });
    try {
      const byOwner = (email: string) => todos(w.b.client).getFullList({ filter: w.b.client.filter("owner.email = {:email}", { email }) });
      expect(see(await byOwner(w.a.email))).toEqual([]);
      expect(ids(see(await byOwner(w.b.email)))).toContain(w.bTodo.id); // control
      const categories = (email: string) =>
        w.b.client
          .collection("categories")
          .getFullList({ filter: w.b.client.filter("todos_via_category.owner.email ?= {:email}", { email }) });
      expect(see(await apiError(categories(w.a.email))).status).toBe(400);
      const byEmail = (email: string) => users(w.b.client).getFullList({ filter: w.b.client.filter("email = {:email}", { email }) });
      expect(see(await byEmail(w.a.email))).toEqual([]);
      expect(ids(see(await byEmail(w.b.email)))).toEqual([w.b.id]); // control
    } finally {
      await users(w.a.client).update(w.a.id, { emailVisibility: false });
      await users(w.b.client).update(w.b.id, { emailVisibility: false });
    }
  });

  it("@collection and @request in client filters are refused", async () => {
    for (const filter of [`@collection.todos.task ?~ "${secretWord()}"`, `@request.auth.id != ""`]) {
      const error = await apiError(todos(w.b.client).getFullList({ filter }));
      expect(error.status).toBe(403);
      see(error);
    }
  });

  it("sorts, expands and fields through back-relations are refused; forward expands show only what B may view", async () => {
    const categories = w.b.client.collection("categories");
    expect(see(await apiError(categories.getFullList({ sort: "todos_via_category.task,id" }))).data.sort?.code).toBe("sort_back_relation");
    expect(see(await apiError(todos(w.b.client).getOne(w.bTodo.id, { expand: "owner,category.todos_via_category.owner" }))).status).toBe(
      400,
    );
    const fields = categories.getFullList({ expand: "todos_via_category.owner", fields: "id,expand.todos_via_category.task" });
    expect(see(await apiError(fields)).status).toBe(400);
    const own = see(
      await todos(w.b.client).getOne<{ expand?: { owner?: { email: string }; category?: { name: string } } }>(w.bTodo.id, {
        expand: "owner,category",
        fields: "id,expand.owner.email,expand.category.name",
      }),
    );
    expect(own.expand?.owner?.email).toBe(w.b.email); // the projection works on what B may see
    expect(own.expand?.category?.name).toBe("Urgent");
  });

  it("B's own user record is all B can see of users", async () => {
    expect(ids(see(await w.b.client.collection("users").getFullList()))).toEqual([w.b.id]);
    see(await apiError(w.b.client.collection("users").getOne(w.a.id)));
  });

  it("even with emailVisibility on, A stays invisible to B", async () => {
    await w.a.client.collection("users").update(w.a.id, { emailVisibility: true });
    expect((await apiError(w.b.client.collection("users").getOne(w.a.id))).status).toBe(404);
    expect(see(await w.b.client.collection("users").getFullList())).toHaveLength(1);
    await w.a.client.collection("users").update(w.a.id, { emailVisibility: false });
  });
});

describe("batch requests", () => {
  it("one foreign update rolls back the whole batch", async () => {
    const task = uniqueTask("batch own");
    const batch = w.b.client.createBatch();
    batch.collection("todos").create({ task, category: w.urgent });
    batch.collection("todos").update(w.aSecret.id, { task: "hijacked" });
    expect((await apiError(batch.send())).status).toBe(400);
    expect(await todosWithTask(w, task)).toEqual([]); // B's own create was rolled back too
    expect((await findAsSuperuser(w.admin, "todos", w.aSecret.id))?.task).toBe(w.aSecret.task);
  });

  it("a foreign owner inside a batch creates nothing", async () => {
    const first = uniqueTask("batch first");
    const spoof = uniqueTask("batch spoof");
    const batch = w.b.client.createBatch();
    batch.collection("todos").create({ task: first, category: w.urgent });
    batch.collection("todos").create({ task: spoof, category: w.urgent, owner: w.a.id });
    expect((await apiError(batch.send())).status).toBe(400);
    expect(await todosWithTask(w, first)).toEqual([]);
    expect(await todosWithTask(w, spoof)).toEqual([]);
  });

  it("a foreign delete inside a batch deletes nothing", async () => {
    const mine = await todos(w.b.client).create({ task: uniqueTask("batch keep"), category: w.urgent });
    const batch = w.b.client.createBatch();
    batch.collection("todos").delete(mine.id);
    batch.collection("todos").delete(w.aSecret.id);
    expect((await apiError(batch.send())).status).toBe(400);
    expect(await findAsSuperuser(w.admin, "todos", mine.id)).not.toBeNull();
    expect(await findAsSuperuser(w.admin, "todos", w.aSecret.id)).not.toBeNull();
  });

  it("a batch of B's own writes succeeds (control)", async () => {
    const tasks = [uniqueTask("batch 1"), uniqueTask("batch 2")];
    const batch = w.b.client.createBatch();
    for (const task of tasks) batch.collection("todos").create({ task, category: w.urgent });
    const results = await batch.send();
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    for (const task of tasks) expect((await todosWithTask(w, task)).map((t) => t.owner)).toEqual([w.b.id]);
  });

  it("category writes inside a batch are refused", async () => {
    const name = uniqueTask("batch cat");
    const batch = w.b.client.createBatch();
    batch.collection("categories").create({ name });
    expect((await apiError(batch.send())).status).toBe(400);
    expect(await w.admin.collection("categories").getFullList({ filter: w.admin.filter("name = {:name}", { name }) })).toEqual([]);
  });
});

describe("realtime", () => {
  it("B and anonymous receive nothing about A's todos", async () => {
    const eve = await registerUser(engine(), "eve");
    const bEvents: Array<{ action: string; record: RecordModel }> = [];
    const anonEvents: unknown[] = [];
    const categoryEvents: Array<{ record: RecordModel }> = [];
    const userEvents: Array<{ record: RecordModel }> = [];
    const anon = engine().client();
    const unsubscribe = [
      await todos(w.b.client).subscribe("*", (e) => bEvents.push(e)),
      await todos(w.b.client).subscribe(w.aSecret.id, (e) => bEvents.push(e)),
      await todos(anon).subscribe("*", (e) => anonEvents.push(e)),
      await todos(anon).subscribe(w.aSecret.id, (e) => anonEvents.push(e)),
      await eve.client.collection("categories").subscribe("*", (e) => categoryEvents.push(e)),
      await w.b.client.collection("users").subscribe("*", (e) => userEvents.push(e)),
      await w.b.client.collection("users").subscribe(w.a.id, (e) => userEvents.push(e)),
    ];
    try {
      // A's activity: create, update (incl. the watched id), delete.
      const made = await todos(w.a.client).create({ task: uniqueTask("A realtime"), category: w.urgent });
      await todos(w.a.client).update(made.id, { done: true });
      await todos(w.a.client).update(w.aSecret.id, { done: true });
      await todos(w.a.client).delete(made.id);
      await w.a.client.collection("users").update(w.a.id, { name: "A renamed" });
      // A category change fans out to every signed-in user, with expand evaluated as that user.
      await w.admin.collection("categories").update(w.urgent, { name: "Urgent" });
      // Control: B's own change must arrive, which proves the subscriptions are live.
      await todos(w.b.client).update(w.bTodo.id, { done: true });
      await waitFor(() => bEvents.length > 0 && categoryEvents.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 500)); // let any stray event arrive
      expect(bEvents.map((e) => e.record.id)).toEqual([w.bTodo.id]);
      expect(anonEvents).toEqual([]);
      expect(userEvents).toEqual([]);
      expect(JSON.stringify(categoryEvents)).not.toContain(w.a.id);
      expect(JSON.stringify(categoryEvents)).not.toContain(w.a.email);
    } finally {
      for (const stop of unsubscribe) await stop();
      await todos(w.a.client).update(w.aSecret.id, { done: false });
    }
  });
});

describe("user accounts", () => {
  it("cannot verify themselves", async () => {
    const u = await registerUser(engine(), "verify");
    expect((await apiError(u.client.collection("users").update(u.id, { verified: true }))).status).toBe(400);
    expect((await findAsSuperuser(w.admin, "users", u.id))?.verified).toBe(false);
  });

  it("cannot sign up already verified, or with a chosen id", async () => {
    const email = `pre-verified-${randomUUID().slice(0, 8)}@example.com`;
    const password = "a-long-password-1";
    const users = engine().client().collection("users");
    expect((await apiError(users.create({ email, password, passwordConfirm: password, verified: true }))).status).toBe(400);
    const chosen = missingId();
    expect((await apiError(users.create({ id: chosen, email, password, passwordConfirm: password }))).status).toBe(400);
    expect((await apiError(users.create({ id: w.a.id, email, password, passwordConfirm: password }))).status).toBe(400);
    expect(await w.admin.collection("users").getFullList({ filter: w.admin.filter("email = {:email}", { email }) })).toEqual([]);
  });

  it("cannot change their email directly", async () => {
    const u = await registerUser(engine(), "email");
    const error = await apiError(u.client.collection("users").update(u.id, { email: `other-${u.email}` }));
    expect(error.status).toBe(400);
    expect(error.data.email).toBeDefined();
    expect((await findAsSuperuser(w.admin, "users", u.id))?.email).toBe(u.email);
  });

  it("cannot change the password without the old one", async () => {
    const u = await registerUser(engine(), "password");
    const users = u.client.collection("users");
    const next = "a-brand-new-password";
    expect((await apiError(users.update(u.id, { password: next, passwordConfirm: next }))).status).toBe(400);
    expect((await apiError(users.update(u.id, { password: next, passwordConfirm: next, oldPassword: "wrong-password" }))).status).toBe(400);
    await engine().client().collection("users").authWithPassword(u.email, u.password); // still the old one
    expect((await apiError(engine().client().collection("users").authWithPassword(u.email, next))).status).toBe(400);
  });

  it("cannot set their tokenKey (hidden fields are ignored)", async () => {
    const u = await registerUser(engine(), "token");
    await u.client.collection("users").update(u.id, { tokenKey: "attacker-chosen-token-key-0123456789", name: "x" });
    // A changed tokenKey would invalidate the current token; it still works.
    expect((await u.client.collection("users").getOne(u.id)).name).toBe("x");
  });

  it("deleting a user deletes their todos", async () => {
    const u = await registerUser(engine(), "leaver");
    const made = await todos(u.client).create({ task: uniqueTask("leaver"), category: w.urgent });
    await u.client.collection("users").delete(u.id);
    expect(await findAsSuperuser(w.admin, "todos", made.id)).toBeNull();
    expect(await findAsSuperuser(w.admin, "todos", w.aSecret.id)).not.toBeNull();
  });
});

describe("categories in use", () => {
  it("deleting a category todos still use is refused, and nothing is deleted", async () => {
    const error = await apiError(w.admin.collection("categories").delete(w.urgent));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/used by \d+ todo/);
    expect(await findAsSuperuser(w.admin, "categories", w.urgent)).not.toBeNull();
    expect(await findAsSuperuser(w.admin, "todos", w.aSecret.id)).not.toBeNull();
    expect(await findAsSuperuser(w.admin, "todos", w.bTodo.id)).not.toBeNull();
  });

  it("an unused category can be deleted by a superuser", async () => {
    const spare = await w.admin.collection("categories").create({ name: uniqueTask("spare") });
    await w.admin.collection("categories").delete(spare.id);
    expect(await findAsSuperuser(w.admin, "categories", spare.id)).toBeNull();
  });

  it("a user's batch or raw request cannot delete a category", async () => {
    const response = await rawRequest(engine(), "DELETE", `/api/collections/categories/records/${w.nonUrgent}`, {
      token: w.b.client.authStore.token,
    });
    expect(response.status).toBe(403);
    expect(await findAsSuperuser(w.admin, "categories", w.nonUrgent)).not.toBeNull();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for realtime events");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("files", () => {
  // A 1×1 PNG: the engine sniffs the content type, so it must be a real image.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

  it("an avatar is served only with a file token of someone who may view its user", async () => {
    const updated = await w.a.client.collection("users").update(w.a.id, { avatar: new File([png], "me.png", { type: "image/png" }) });
    const url = `${engine().url}/api/files/${"users"}/${w.a.id}/${String(updated.avatar)}`;

    // Anyone who learns the URL, or another user with their own file token, gets nothing.
    expect((await fetch(url)).status).toBe(404);
    const bToken = await w.b.client.files.getToken();
    const forB = await fetch(`${url}?token=${bToken}`);
    expect(forB.status).toBe(404);
    expect(Buffer.from(await forB.arrayBuffer()).equals(png)).toBe(false);

    // The owner, with a file token, gets the file back.
    const aToken = await w.a.client.files.getToken();
    const forA = await fetch(`${url}?token=${aToken}`);
    expect(forA.status).toBe(200);
    expect(Buffer.from(await forA.arrayBuffer()).equals(png)).toBe(true);
  });
});
