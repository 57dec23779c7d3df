import type PocketBase from "pocketbase";
import type { RecordModel } from "pocketbase";
import { COLLECTIONS as DECLARED } from "../../pb_hooks/lib/collections.js";
import type { Declarations } from "../../pb_hooks/lib/declaration.js";
import { UserError } from "../errors.js";
import { DEMO_USERS, type DemoUser } from "./demoData.js";
import { describeError } from "./server.js";

/** How many items of one kind a seed run created, and how many were already there. */
export interface SeedCount {
  created: number;
  present: number;
}

export interface SeedReport {
  /** The declared reference records (`records` in pb_hooks/lib/collections.ts), every collection together. */
  reference: SeedCount;
  /** Only with `demo`. */
  users?: SeedCount;
  todos?: SeedCount;
  /** The demo accounts (created now or earlier), to print for the person running the seed. */
  demoAccounts: Array<{ email: string; password: string }>;
  /** False when the run changed nothing. */
  changed: boolean;
}

interface TodoRecord extends RecordModel {
  task: string;
  owner: string;
}

/**
 * Ensures the declared reference records of every collection and, with `demo`, demo users with a few
 * todos each. Idempotent: a reference record is matched by its first field (case-insensitive, like a
 * unique index with NOCASE), users by email, todos by (owner, task); nothing that exists is modified.
 * `pb` must be signed in as a superuser (superusers bypass the API rules and may set a todo's owner).
 */
export async function seed(pb: PocketBase, options: { demo?: boolean } = {}): Promise<SeedReport> {
  try {
    const { count: reference, ids } = await ensureReferenceRecords(pb);
    const categoryIds = ids.get("categories") ?? new Map<string, string>();
    const report: SeedReport = { reference, demoAccounts: [], changed: reference.created > 0 };
    if (!options.demo) return report;

    const users: SeedCount = { created: 0, present: 0 };
    const todos: SeedCount = { created: 0, present: 0 };
    for (const demo of DEMO_USERS) {
      const { id, created } = await ensureUser(pb, demo);
      users[created ? "created" : "present"]++;
      const result = await ensureTodos(pb, id, demo, categoryIds);
      todos.created += result.created;
      todos.present += result.present;
      report.demoAccounts.push({ email: demo.email, password: demo.password });
    }
    return { ...report, users, todos, changed: report.changed || users.created > 0 || todos.created > 0 };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Seeding failed: ${describeError(error)}`);
  }
}

/** Every declared reference record; returns, per collection, the id of each by its first field's value. */
async function ensureReferenceRecords(pb: PocketBase): Promise<{ count: SeedCount; ids: Map<string, Map<string, string>> }> {
  const count: SeedCount = { created: 0, present: 0 };
  const ids = new Map<string, Map<string, string>>();
  for (const [collection, declaration] of Object.entries(DECLARED as Declarations)) {
    const records = declaration.records ?? [];
    const key = records[0] ? Object.keys(records[0])[0] : undefined;
    if (!key) continue;
    const existing = await pb.collection(collection).getFullList<RecordModel>({ fields: `id,${key}` });
    const byKey = new Map(
      existing.map((r) => [
        String(r[key] ?? "")
          .trim()
          .toLowerCase(),
        r.id,
      ]),
    );
    const found = new Map<string, string>();
    for (const record of records) {
      const value = String(record[key]);
      let id = byKey.get(value.toLowerCase());
      if (id) {
        count.present++;
      } else {
        id = (await pb.collection(collection).create<RecordModel>(record)).id;
        count.created++;
      }
      found.set(value, id);
    }
    ids.set(collection, found);
  }
  return { count, ids };
}

async function ensureUser(pb: PocketBase, demo: DemoUser): Promise<{ id: string; created: boolean }> {
  const users = pb.collection("users");
  const found = await users.getList(1, 1, { filter: pb.filter("email = {:email}", { email: demo.email }), fields: "id", skipTotal: true });
  if (found.items[0]) return { id: found.items[0].id, created: false };
  const record = await users.create({
    email: demo.email,
    password: demo.password,
    passwordConfirm: demo.password,
    name: demo.name,
    verified: true,
  });
  return { id: record.id, created: true };
}

async function ensureTodos(pb: PocketBase, owner: string, demo: DemoUser, categoryIds: Map<string, string>): Promise<SeedCount> {
  const todos = pb.collection("todos");
  const existing = await todos.getFullList<TodoRecord>({ filter: pb.filter("owner = {:owner}", { owner }), fields: "id,task" });
  const tasks = new Set(existing.map((t) => t.task));
  const count: SeedCount = { created: 0, present: 0 };
  for (const todo of demo.todos) {
    if (tasks.has(todo.task)) {
      count.present++;
      continue;
    }
    const category = categoryIds.get(todo.category);
    if (!category) throw new UserError(`Demo todo "${todo.task}" uses unknown category "${todo.category}".`);
    await todos.create({ task: todo.task, done: todo.done, category, owner });
    count.created++;
  }
  return count;
}
