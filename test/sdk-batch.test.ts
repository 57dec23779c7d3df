import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { batchSettings, StarterError, type StarterClient } from "../packages/sdk/src/index.js";
import { useTestEngine } from "./support/engine.js";
import { categoryIds, rejection, signedUp } from "./support/sdk.js";

const engine = useTestEngine();
let alice: StarterClient;
let bob: StarterClient;
let urgent: string;

beforeAll(async () => {
  alice = await signedUp(engine(), "alice");
  bob = await signedUp(engine(), "bob");
  urgent = (await categoryIds(alice)).Urgent!;
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Every todo of a user, read as the superuser (independent of the SDK under test). */
async function todosOf(client: StarterClient): Promise<Array<Record<string, unknown>>> {
  const admin = await engine().admin();
  return admin.collection("todos").getFullList({ filter: admin.filter("owner = {:id}", { id: client.auth.user!.id }), sort: "task" });
}

describe("todos batch operations", () => {
  it("createMany creates all, in order, owned by the caller", async () => {
    const created = await alice.todos.createMany([
      { task: " one ", category: urgent },
      { task: "two", category: urgent, done: true },
      { task: "three", category: urgent },
    ]);
    expect(created.map((t) => [t.task, t.done, t.owner])).toEqual([
      ["one", false, alice.auth.user!.id],
      ["two", true, alice.auth.user!.id],
      ["three", false, alice.auth.user!.id],
    ]);
    expect(await alice.todos.createMany([])).toEqual([]);
  });

  it("createMany is all-or-nothing: one bad item on the server saves none", async () => {
    const before = await todosOf(alice);
    const error = (await rejection(
      alice.todos.createMany([
        { task: "fine 1", category: urgent },
        { task: "bad", category: "nonexistent0000" },
        { task: "fine 2", category: urgent },
      ]),
    )) as StarterError;
    expect(error).toBeInstanceOf(StarterError);
    expect(error).toMatchObject({ kind: "api", status: 400 });
    expect(Object.keys(error.fields)).toEqual(["1.category"]);
    expect(await todosOf(alice)).toEqual(before);
  });

  it("createMany validates every item before sending anything", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const error = (await rejection(
      alice.todos.createMany([
        { task: "ok", category: urgent },
        { task: "x".repeat(201), category: urgent },
      ]),
    )) as StarterError;
    expect(error.fields).toEqual({ "1.task": "Must be no more than 200 character(s)." });
    const tooMany = Array.from({ length: batchSettings.maxRequests + 1 }, () => ({ task: "x", category: urgent }));
    expect(await rejection(alice.todos.createMany(tooMany))).toMatchObject({ kind: "invalid_input" });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("updateMany applies every patch, or none when one targets another user's todo", async () => {
    const [a, b] = await alice.todos.createMany([
      { task: "u-a", category: urgent },
      { task: "u-b", category: urgent },
    ]);
    const updated = await alice.todos.updateMany([
      { id: a!.id, done: true },
      { id: b!.id, task: "u-b renamed" },
    ]);
    expect(updated.map((t) => [t.id, t.task, t.done])).toEqual([
      [a!.id, "u-a", true],
      [b!.id, "u-b renamed", false],
    ]);

    const [foreign] = await bob.todos.createMany([{ task: "bob's", category: urgent }]);
    const before = [await todosOf(alice), await todosOf(bob)];
    const error = (await rejection(
      alice.todos.updateMany([
        { id: a!.id, task: "should roll back" },
        { id: foreign!.id, done: true },
      ]),
    )) as StarterError;
    expect(error).toMatchObject({ kind: "api", status: 400 });
    expect(Object.keys(error.fields)).toEqual(["1"]);
    expect([await todosOf(alice), await todosOf(bob)]).toEqual(before);
  });

  it("removeMany deletes all, or none when one id is missing", async () => {
    const todos = await alice.todos.createMany([
      { task: "r-1", category: urgent },
      { task: "r-2", category: urgent },
    ]);
    const before = await todosOf(alice);
    const error = (await rejection(alice.todos.removeMany([todos[0]!.id, "missing00000000", todos[1]!.id]))) as StarterError;
    expect(error).toMatchObject({ kind: "api", status: 400 });
    expect(await todosOf(alice)).toEqual(before);

    await alice.todos.removeMany(todos.map((t) => t.id));
    const left = (await todosOf(alice)).map((t) => t.id);
    for (const todo of todos) expect(left).not.toContain(todo.id);
  });
});
