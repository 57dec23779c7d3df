import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StarterClient, TodoEvent } from "../packages/sdk/src/index.js";
import { useTestEngine } from "./support/engine.js";
import { categoryIds, eventually, signedUp } from "./support/sdk.js";

const engine = useTestEngine();
let alice: StarterClient;
let bob: StarterClient;
let urgent: string;
const unsubscribes: Array<() => Promise<void>> = [];

beforeAll(async () => {
  alice = await signedUp(engine(), "alice");
  bob = await signedUp(engine(), "bob");
  urgent = (await categoryIds(alice)).Urgent!;
});

afterAll(async () => {
  for (const unsubscribe of unsubscribes) await unsubscribe();
});

describe("todos.subscribe", () => {
  it("delivers the owner's creates, updates and deletes, and nothing of other users", async () => {
    const aliceEvents: TodoEvent[] = [];
    const bobEvents: TodoEvent[] = [];
    unsubscribes.push(await alice.todos.subscribe((event) => aliceEvents.push(event)));
    unsubscribes.push(await bob.todos.subscribe((event) => bobEvents.push(event)));

    const todo = await alice.todos.create({ task: "live", category: urgent });
    await alice.todos.update(todo.id, { done: true });
    await alice.todos.remove(todo.id);
    const bobs = await bob.todos.create({ task: "bob's secret", category: urgent });
    // Events reach each connection in order: once this marker arrives, Bob's earlier create would have too.
    const marker = await alice.todos.create({ task: "marker", category: urgent });
    await eventually(() => aliceEvents.some((e) => e.record.id === marker.id), "alice's marker event");
    await eventually(() => bobEvents.some((e) => e.record.id === bobs.id), "bob's own event");

    expect(aliceEvents.map((e) => [e.action, e.record.task, e.record.done])).toEqual([
      ["create", "live", false],
      ["update", "live", true],
      ["delete", "live", true],
      ["create", "marker", false],
    ]);
    expect(aliceEvents.every((e) => e.record.owner === alice.auth.user!.id)).toBe(true);
    expect(bobEvents.map((e) => e.record.id)).toEqual([bobs.id]);
  });

  it("stops delivering after unsubscribe", async () => {
    const events: TodoEvent[] = [];
    const unsubscribe = await alice.todos.subscribe((event) => events.push(event));
    const first = await alice.todos.create({ task: "before", category: urgent });
    await eventually(() => events.length === 1, "the first event");
    await unsubscribe();
    // A second listener proves later events were broadcast, while the first one stays silent.
    const witness: TodoEvent[] = [];
    unsubscribes.push(await alice.todos.subscribe((event) => witness.push(event)));
    const second = await alice.todos.create({ task: "after", category: urgent });
    await eventually(() => witness.some((e) => e.record.id === second.id), "the witness event");
    expect(events.map((e) => e.record.id)).toEqual([first.id]);
  });
});
