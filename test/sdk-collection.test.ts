// The generic client, client.collection(name), against a real engine: typed CRUD, batch and realtime for
// any collection of the generated schema, with the same validation and errors as client.todos.
import { describe, expect, it } from "vitest";
import { StarterError } from "../packages/sdk/src/index.js";
import { useTestEngine } from "./support/engine.js";
import { eventually, rejection, signedUp } from "./support/sdk.js";

const engine = useTestEngine();

describe("client.collection(name)", () => {
  it("lists reference data, and runs CRUD and batches on the caller's own records", async () => {
    const client = await signedUp(engine(), "generic");
    const categories = await client.collection("categories").listAll({ sort: "name" });
    expect(categories.map((c) => c.name)).toEqual(["Non-urgent", "Urgent"]);

    const todos = client.collection("todos");
    const created = await todos.create({ task: "  generic  ", category: categories[0]!.id });
    expect(created.task).toBe("generic"); // the server trims, the schema agrees
    expect((await todos.get(created.id)).id).toBe(created.id);
    expect((await todos.update(created.id, { done: true })).done).toBe(true);
    const page = await todos.list({
      filter: "done = {:done} && task ~ {:text}",
      params: { done: true, text: 'gen"eric' },
      withTotal: true,
    });
    expect(page.totalItems).toBe(0); // the quote is bound as data, not filter syntax
    expect((await todos.list({ filter: "done = {:done}", params: { done: true } })).items.map((t) => t.id)).toEqual([created.id]);

    const many = await todos.createMany([
      { task: "one", category: categories[0]!.id },
      { task: "two", category: categories[1]!.id },
    ]);
    await todos.removeMany([created.id, ...many.map((t) => t.id)]);
    expect((await todos.list()).items).toEqual([]);
  });

  it("refuses bad input before sending, and reports the server's refusals as StarterError", async () => {
    const client = await signedUp(engine(), "generic-errors");
    const invalid = await rejection(client.collection("todos").create({ task: "", category: "c" }));
    expect(invalid).toBeInstanceOf(StarterError);
    expect((invalid as StarterError).kind).toBe("invalid_input");
    const forbidden = await rejection(client.collection("categories").create({ name: "Mine" }));
    expect((forbidden as StarterError).kind).toBe("api");
    expect((forbidden as StarterError).status).toBe(403);
    const missing = await rejection(client.collection("todos").get("aaaaaaaaaaaaaaa"));
    expect((missing as StarterError).status).toBe(404);
    // A name the schema does not have (plain JavaScript, or a cast): a StarterError naming the known ones.
    expect(() => client.collection("todo" as "todos")).toThrow(/No collection "todo" in this SDK \(it has: .*todos/);
    expect(() => client.collection("todo" as "todos")).toThrow(StarterError);
  });

  it("subscribes to the caller's own changes", async () => {
    const client = await signedUp(engine(), "generic-realtime");
    const [category] = await client.collection("categories").listAll();
    const events: string[] = [];
    const stop = await client.collection("todos").subscribe((event) => events.push(`${event.action} ${event.record.task}`));
    try {
      const todo = await client.collection("todos").create({ task: "watched", category: category!.id });
      await client.collection("todos").remove(todo.id);
      await eventually(() => events.length === 2, "two events");
      expect(events).toEqual(["create watched", "delete watched"]);
    } finally {
      await stop();
    }
  });
});
