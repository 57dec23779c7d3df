import { randomUUID } from "node:crypto";
import type PocketBase from "pocketbase";
import type { RecordModel } from "pocketbase";
import type { TodoRecord } from "../../packages/sdk/src/index.js";
import { COLLECTIONS as DECLARED } from "../../pb_hooks/lib/collections.js";
import type { TestEngine } from "./engine.js";
import { registerUser, type TestUser } from "./users.js";

/** The two reference categories every instance has (declared in pb_hooks/lib/collections.ts). */
const [URGENT, NON_URGENT] = DECLARED.categories.records;

/** A todo as the pocketbase SDK returns it: the generated record plus the SDK's own keys. */
export type TodoModel = TodoRecord & { collectionId: string; collectionName: string };

/** Two users with todos of their own, and the superuser: the cast of every access test. */
export interface World {
  engine: TestEngine;
  admin: PocketBase;
  anonymous: PocketBase;
  a: TestUser;
  b: TestUser;
  /** Id of the default "Urgent" category (used by both users' todos). */
  urgent: string;
  /** Id of the default "Non-urgent" category. */
  nonUrgent: string;
  /** A todo owned by A whose task no one else should ever learn. */
  aSecret: TodoModel;
  /** A todo owned by B. */
  bTodo: TodoModel;
}

/** A task text no other test uses, so lookups by task are exact. */
export function uniqueTask(label: string): string {
  return `${label} ${randomUUID().slice(0, 8)}`;
}

/** Registers A and B through the public API and gives each a todo in the "Urgent" category. */
export async function buildWorld(engine: TestEngine): Promise<World> {
  const admin = await engine.admin();
  const categories = await admin.collection("categories").getFullList();
  const idOf = (name: string) => {
    const found = categories.find((c) => c.name === name);
    if (!found) throw new Error(`default category ${name} is missing`);
    return found.id;
  };
  const a = await registerUser(engine, "alice");
  const b = await registerUser(engine, "bob");
  const urgent = idOf(URGENT.name);
  const aSecret = await a.client.collection("todos").create<TodoModel>({ task: uniqueTask("A's secret"), category: urgent });
  const bTodo = await b.client.collection("todos").create<TodoModel>({ task: uniqueTask("B's task"), category: urgent });
  return { engine, admin, anonymous: engine.client(), a, b, urgent, nonUrgent: idOf(NON_URGENT.name), aSecret, bTodo };
}

/** Todos with this exact task, as the superuser sees them: what a refused write must not have left. */
export async function todosWithTask(world: Pick<World, "admin">, task: string): Promise<TodoModel[]> {
  return world.admin.collection("todos").getFullList<TodoModel>({ filter: world.admin.filter("task = {:task}", { task }) });
}

/** Ids in a list result, for readable membership assertions. */
export function ids(records: RecordModel[]): string[] {
  return records.map((r) => r.id);
}
