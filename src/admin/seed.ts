import type PocketBase from "pocketbase";
import type { RecordModel } from "pocketbase";
import { COLLECTIONS as DECLARED } from "../../pb_hooks/lib/collections.js";
import { UserError } from "../errors.js";
import { DEMO_USERS, type DemoUser } from "./demoData.js";
import { describeError } from "./server.js";

/** The reference categories every instance has (declared in pb_hooks/lib/collections.ts). */
const DEFAULT_CATEGORY_NAMES = DECLARED.categories.records.map((record) => record.name);

/** How many items of one kind a seed run created, and how many were already there. */
export interface SeedCount {
  created: number;
  present: number;
}

export interface SeedReport {
  categories: SeedCount;
  /** Only with `demo`. */
  users?: SeedCount;
  todos?: SeedCount;
  /** The demo accounts (created now or earlier), to print for the person running the seed. */
  demoAccounts: Array<{ email: string; password: string }>;
  /** False when the run changed nothing. */
  changed: boolean;
}

interface CategoryRecord extends RecordModel {
  name: string;
}
interface TodoRecord extends RecordModel {
  task: string;
  owner: string;
}

/**
 * Ensures the reference data (default categories) and, with `demo`, demo users with a few todos each.
 * Idempotent: categories are matched by name (case-insensitive, like their unique index), users by
 * email, todos by (owner, task); nothing that exists is modified. `pb` must be signed in as a superuser
 * (superusers bypass the API rules and may set a todo's owner).
 */
export async function seed(pb: PocketBase, options: { demo?: boolean } = {}): Promise<SeedReport> {
  try {
    const categoryIds = new Map<string, string>();
    const categories = await ensureCategories(pb, DEFAULT_CATEGORY_NAMES, categoryIds);
    const report: SeedReport = { categories, demoAccounts: [], changed: categories.created > 0 };
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

async function ensureCategories(pb: PocketBase, names: readonly string[], ids: Map<string, string>): Promise<SeedCount> {
  const existing = await pb.collection("categories").getFullList<CategoryRecord>({ fields: "id,name" });
  const byKey = new Map(existing.map((c) => [c.name.trim().toLowerCase(), c.id]));
  const count: SeedCount = { created: 0, present: 0 };
  for (const name of names) {
    let id = byKey.get(name.toLowerCase());
    if (id) {
      count.present++;
    } else {
      id = (await pb.collection("categories").create<CategoryRecord>({ name })).id;
      count.created++;
    }
    ids.set(name, id);
  }
  return count;
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
