import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, StarterError, type StarterClient, type TodoRecord } from "../packages/sdk/src/index.js";
import { useTestEngine } from "./support/engine.js";
import { categoryIds, rejection, signedUp } from "./support/sdk.js";

const engine = useTestEngine();
let alice: StarterClient;
let bob: StarterClient;
let urgent: string;
let later: string;

beforeAll(async () => {
  alice = await signedUp(engine(), "alice");
  bob = await signedUp(engine(), "bob");
  const ids = await categoryIds(alice);
  urgent = ids.Urgent!;
  later = ids["Non-urgent"]!;
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Asserts the todo is exactly as it was, read as the superuser (not through the SDK under test). */
async function serverCopy(id: string): Promise<Record<string, unknown>> {
  const admin = await engine().admin();
  return admin.collection("todos").getOne(id);
}

describe("categories", () => {
  it("lists the reference categories by name", async () => {
    const categories = await alice.collection("categories").listAll({ sort: "name" });
    expect(categories.map((c) => c.name)).toEqual(["Non-urgent", "Urgent"]);
  });
});

describe("todos CRUD", () => {
  it("create trims the task, defaults done, and makes the caller the owner", async () => {
    const todo = await alice.todos.create({ task: "  buy milk  ", category: urgent });
    expect(todo).toMatchObject({ task: "buy milk", done: false, category: urgent, owner: alice.auth.user!.id });
    expect(todo.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+Z$/);
    expect(todo).not.toHaveProperty("collectionId");
    expect((await serverCopy(todo.id)).task).toBe("buy milk");
  });

  it("get, update and remove the caller's own todo", async () => {
    const todo = await alice.todos.create({ task: "write tests", category: urgent });
    expect(await alice.todos.get(todo.id)).toEqual(todo);
    const updated = await alice.todos.update(todo.id, { done: true, category: later });
    expect(updated).toMatchObject({ id: todo.id, task: "write tests", done: true, category: later });
    await alice.todos.remove(todo.id);
    const gone = (await rejection(alice.todos.get(todo.id))) as StarterError;
    expect(gone).toMatchObject({ kind: "api", status: 404 });
  });

  it("another user can neither read, change nor delete it", async () => {
    const todo = await alice.todos.create({ task: "private", category: urgent });
    const attempts = [() => bob.todos.get(todo.id), () => bob.todos.update(todo.id, { task: "hacked" }), () => bob.todos.remove(todo.id)];
    for (const attempt of attempts) expect(await rejection(attempt())).toMatchObject({ kind: "api", status: 404 });
    expect(await serverCopy(todo.id)).toMatchObject({ task: "private", done: false });
  });

  it("a 201-character task fails zod with the engine's own message, without a request", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const local = (await rejection(alice.todos.create({ task: "x".repeat(201), category: urgent }))) as StarterError;
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(local).toMatchObject({ kind: "invalid_input", status: 400 });
    // The engine, asked directly (bypassing the SDK's validation), refuses it with the same words.
    const direct = await rejection(alice.pb.collection("todos").create({ task: "x".repeat(201), category: urgent }));
    const serverMessage = (direct as { response: { data: { task: { message: string } } } }).response.data.task.message;
    expect(local.fields.task).toBe(serverMessage);
  });

  it("limits count characters after trimming, like the engine", async () => {
    const padded = ` ${"é".repeat(200)} `;
    expect((await alice.todos.create({ task: padded, category: urgent })).task).toBe("é".repeat(200));
    const emoji = "😀".repeat(200); // 400 UTF-16 units, 200 characters
    expect((await alice.todos.create({ task: emoji, category: urgent })).task).toBe(emoji);
  });

  it("lists every field issue and unknown keys before any request", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const input = { task: "   ", category: "", owner: "someone-else" } as unknown as Parameters<StarterClient["todos"]["create"]>[0];
    const error = (await rejection(alice.todos.create(input))) as StarterError;
    expect(error.fields).toEqual({ task: "Cannot be blank.", category: "Cannot be blank.", owner: "Unknown field." });
    expect(error.message).toContain("task: Cannot be blank.");
    const calls = [
      () => alice.todos.get(""),
      () => alice.todos.update("x", { done: "yes" as unknown as boolean }),
      () => alice.todos.remove(""),
    ];
    for (const call of calls) expect(await rejection(call())).toMatchObject({ kind: "invalid_input" });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("a server-side refusal carries the field messages (unknown category)", async () => {
    const error = (await rejection(alice.todos.create({ task: "x", category: "nonexistent0000" }))) as StarterError;
    expect(error).toMatchObject({ kind: "api", status: 400 });
    expect(Object.keys(error.fields)).toEqual(["category"]);
  });

  it("catches a response that drifted from the schema at the boundary", async () => {
    const todo = await alice.todos.create({ task: "drift", category: urgent });
    const drifted = createClient({ url: engine().url });
    drifted.pb.authStore.save(alice.pb.authStore.token, alice.pb.authStore.record);
    drifted.pb.afterSend = (_response, data: Record<string, unknown>) => ({ ...data, done: "yes", updated: undefined });
    const error = (await rejection(drifted.todos.get(todo.id))) as StarterError;
    expect(error).toMatchObject({ kind: "invalid_response", status: 0 });
    expect(Object.keys(error.fields).sort()).toEqual(["done", "updated"]);
  });
});

describe("todos.list", () => {
  let carol: StarterClient;
  const tasks = ["alpha", "Beta task", "50% off", "500 off", "a_c", "abc", 'quote " || owner != "', "back\\slash"];
  let created: TodoRecord[] = [];

  beforeAll(async () => {
    carol = await signedUp(engine(), "carol");
    created = [];
    for (const [index, task] of tasks.entries()) {
      created.push(await carol.todos.create({ task, category: index % 2 ? later : urgent, done: index % 3 === 0 }));
    }
    await bob.todos.create({ task: "bob's alpha", category: urgent }); // must never show up for carol
  });

  const ids = (items: TodoRecord[]) => items.map((t) => t.task).sort();

  it("returns the caller's todos only, newest first by default, without a total", async () => {
    const page = await carol.todos.list();
    expect({ ...page, items: page.items.length }).toEqual({ items: created.length, page: 1, perPage: 30, hasMore: false });
    expect(page.items.map((t) => t.id)).toEqual(created.map((t) => t.id).reverse());
  });

  it("filters by done and category", async () => {
    expect(ids((await carol.todos.list({ done: true })).items)).toEqual(ids(created.filter((t) => t.done)));
    expect(ids((await carol.todos.list({ category: later, done: false })).items)).toEqual(
      ids(created.filter((t) => t.category === later && !t.done)),
    );
  });

  it("search is a literal, case-insensitive contains (% and _ are not wildcards)", async () => {
    expect(ids((await carol.todos.list({ search: "ALPHA" })).items)).toEqual(["alpha"]);
    expect(ids((await carol.todos.list({ search: "50%" })).items)).toEqual(["50% off"]);
    expect(ids((await carol.todos.list({ search: "a_c" })).items)).toEqual(["a_c"]);
    expect(ids((await carol.todos.list({ search: "%" })).items)).toEqual(["50% off"]);
    expect(ids((await carol.todos.list({ search: "\\" })).items)).toEqual(["back\\slash"]);
  });

  it("binds values safely: quotes in search or category cannot widen the filter", async () => {
    expect(ids((await carol.todos.list({ search: '" || owner != "' })).items)).toEqual(['quote " || owner != "']);
    expect((await carol.todos.list({ category: '" || id != "' })).items).toEqual([]);
    expect((await carol.todos.list({ search: "bob's" })).items).toEqual([]);
  });

  it("sorts by an allowed field and refuses anything else before a request", async () => {
    const asc = await carol.todos.list({ sort: "task" });
    // SQLite compares text by code units (BINARY), like Array.prototype.sort.
    expect(asc.items.map((t) => t.task)).toEqual([...tasks].sort());
    const newestDone = await carol.todos.list({ sort: "-done" });
    expect(newestDone.items.map((t) => t.done)).toEqual([...created.map((t) => t.done)].sort().reverse());
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    for (const sort of ["owner", "@request.auth.id", "-created,owner"]) {
      const error = (await rejection(carol.todos.list({ sort: sort as "task" }))) as StarterError;
      expect(error).toMatchObject({ kind: "invalid_input" });
      expect(Object.keys(error.fields)).toEqual(["sort"]);
    }
    expect(await rejection(carol.todos.list({ perPage: 1001 }))).toMatchObject({ kind: "invalid_input" });
    expect(await rejection(carol.todos.list({ page: 0 }))).toMatchObject({ kind: "invalid_input" });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("hasMore is exact at page boundaries, on the first page and later ones", async () => {
    const n = tasks.length; // 8
    const pages = async (perPage: number) => {
      const out: Array<{ count: number; hasMore: boolean }> = [];
      for (let page = 1; page <= Math.ceil(n / perPage) + 1; page++) {
        const result = await carol.todos.list({ page, perPage });
        out.push({ count: result.items.length, hasMore: result.hasMore });
      }
      return out;
    };
    expect(await pages(4)).toEqual([
      { count: 4, hasMore: true },
      { count: 4, hasMore: false },
      { count: 0, hasMore: false },
    ]);
    expect(await pages(3)).toEqual([
      { count: 3, hasMore: true },
      { count: 3, hasMore: true },
      { count: 2, hasMore: false },
      { count: 0, hasMore: false },
    ]);
    expect(await pages(8)).toEqual([
      { count: 8, hasMore: false },
      { count: 0, hasMore: false },
    ]);
    // Pages never overlap and cover everything.
    const all: TodoRecord[] = [];
    for (const page of [1, 2, 3]) all.push(...(await carol.todos.list({ page, perPage: 3 })).items);
    expect(new Set(all.map((t) => t.id)).size).toBe(n);
  });

  it("counts the total only when asked", async () => {
    const counted = await carol.todos.list({ perPage: 3, page: 2, withTotal: true });
    expect(counted).toMatchObject({ page: 2, perPage: 3, hasMore: true, totalItems: tasks.length, totalPages: 3 });
    expect(await carol.todos.list({ perPage: 3 })).not.toHaveProperty("totalItems");
  });
});
