// Every field constraint of the data contract, violated (400 naming the field and the reason, nothing
// written) and respected (stored as the contract says). Never a 500.
import { beforeAll, describe, expect, it } from "vitest";
import { COLLECTIONS } from "../pb_hooks/lib/collections.js";
import { useTestEngine } from "./support/engine.js";
import { buildWorld, todosWithTask, uniqueTask, type World } from "./support/fixtures.js";
import { apiError, findAsSuperuser, rawRequest, uniqueEmail } from "./support/users.js";
import type { CategoryRecord } from "../packages/sdk/src/index.js";

const engine = useTestEngine();
let w: World;

beforeAll(async () => {
  w = await buildWorld(engine());
});

const todos = () => w.a.client.collection("todos");
const categories = () => w.admin.collection("categories");

async function todoCount(): Promise<number> {
  return (await w.admin.collection("todos").getList(1, 1)).totalItems;
}

describe("todos: violated constraints give 400 with the field and reason, and create nothing", () => {
  // prettier-ignore
  const cases: ReadonlyArray<readonly [string, () => Record<string, unknown>, string, string]> = [
    // what                      body                                                               field       code
    ["task missing",             () => ({ category: w.urgent }),                                     "task",     "validation_required"],
    ["task empty",               () => ({ task: "", category: w.urgent }),                           "task",     "validation_required"],
    ["task only spaces",         () => ({ task: "  \t  ", category: w.urgent }),                     "task",     "validation_required"],
    ["task too long",            () => ({ task: "x".repeat(COLLECTIONS.todos.fields.task.max + 1), category: w.urgent }), "task",   "validation_max_text_constraint"],
    ["category missing",         () => ({ task: "t" }),                                              "category", "validation_required"],
    ["category unknown",         () => ({ task: "t", category: "nosuchcategory1" }),                 "category", "validation_missing_rel_records"],
    ["category is a todo id",    () => ({ task: "t", category: w.bTodo.id }),                        "category", "validation_missing_rel_records"],
  ];

  it.each(cases)("%s", async (_what, body, field, code) => {
    const before = await todoCount();
    const error = await apiError(todos().create(body()));
    expect(error.status).toBe(400);
    expect(error.data[field]?.code).toBe(code);
    expect(error.data[field]?.message).toBeTruthy();
    expect(await todoCount()).toBe(before);
  });

  it("a superuser must name an existing owner", async () => {
    const missing = await apiError(w.admin.collection("todos").create({ task: "t", category: w.urgent }));
    expect(missing.data.owner?.code).toBe("validation_required");
    const unknown = await apiError(w.admin.collection("todos").create({ task: "t", category: w.urgent, owner: "nosuchuser0001" }));
    expect(unknown.data.owner?.code).toBe("validation_missing_rel_records");
  });
});

describe("todos: respected constraints", () => {
  it("trims the task and keeps it within 200 characters after trimming", async () => {
    const exact = "y".repeat(COLLECTIONS.todos.fields.task.max);
    const created = await todos().create({ task: `   ${exact}   `, category: w.urgent });
    expect(created.task).toBe(exact);
    expect((await todos().create({ task: "  tidy  ", category: w.urgent })).task).toBe("tidy");
  });

  it("counts characters, not bytes", async () => {
    const emoji = "é".repeat(COLLECTIONS.todos.fields.task.max);
    expect((await todos().create({ task: emoji, category: w.urgent })).task).toBe(emoji);
  });

  it("done defaults to false and can be set", async () => {
    const created = await todos().create({ task: uniqueTask("done"), category: w.urgent });
    expect(created.done).toBe(false);
    expect((await todos().update(created.id, { done: true })).done).toBe(true);
  });

  it("has server-set created and updated dates that clients cannot forge", async () => {
    const created = await todos().create({ task: uniqueTask("dates"), category: w.urgent, created: "2001-01-01 00:00:00.000Z" });
    expect(created.created).not.toContain("2001");
    expect(created.updated).toBeTruthy();
  });

  it("a category is a single relation: a list keeps one (the engine keeps the last)", async () => {
    const created = await todos().create({ task: uniqueTask("two cats"), category: [w.urgent, w.nonUrgent] });
    expect(created.category).toBe(w.nonUrgent);
  });
});

describe("todos: invalid updates change nothing", () => {
  it.each([
    ["empty task", { task: "" }, "task"],
    ["spaces-only task", { task: "   " }, "task"],
    ["too long task", { task: "z".repeat(COLLECTIONS.todos.fields.task.max + 1) }, "task"],
    ["unknown category", { category: "nosuchcategory1" }, "category"],
    ["removed category", { category: "" }, "category"],
    ["valid task with an invalid category", { task: "half-written?", category: "nosuchcategory1" }, "category"],
  ] as const)("%s", async (_what, body, field) => {
    const todo = await todos().create({ task: uniqueTask("stable"), category: w.urgent });
    const error = await apiError(todos().update(todo.id, body));
    expect(error.status).toBe(400);
    expect(error.data[field]).toBeDefined();
    const stored = await findAsSuperuser(w.admin, "todos", todo.id);
    expect(stored).toMatchObject({ task: todo.task as string, category: w.urgent, done: false, owner: w.a.id });
  });

  it("an invalid item rolls back a whole batch", async () => {
    const task = uniqueTask("batch valid");
    const batch = w.a.client.createBatch();
    batch.collection("todos").create({ task, category: w.urgent });
    batch.collection("todos").create({ task: "", category: w.urgent });
    const error = await apiError(batch.send());
    expect(error.status).toBe(400);
    expect(JSON.stringify(error.data)).toContain("validation_required");
    expect(await todosWithTask(w, task)).toEqual([]);
  });
});

describe("categories: name constraints", () => {
  // prettier-ignore
  const cases: ReadonlyArray<readonly [string, string | undefined, string]> = [
    // what                          name                                        code
    ["missing",                      undefined,                                  "validation_required"],
    ["empty",                        "",                                         "validation_required"],
    ["only spaces",                  "    ",                                     "validation_required"],
    ["too long",                     "n".repeat(COLLECTIONS.categories.fields.name.max + 1),     "validation_max_text_constraint"],
    ["same name, other case",        "urgent",                                   "validation_not_unique"],
    ["same name, shouting, padded",  "  URGENT  ",                               "validation_not_unique"],
  ];

  it.each(cases)("%s → 400 on name", async (_what, name, code) => {
    const before = (await categories().getFullList()).length;
    const error = await apiError(categories().create(name === undefined ? {} : { name }));
    expect(error.status).toBe(400);
    expect(error.data.name?.code).toBe(code);
    expect((await categories().getFullList()).length).toBe(before);
  });

  it("trims and accepts up to 50 characters", async () => {
    const exact = `${uniqueTask("C")}`.padEnd(COLLECTIONS.categories.fields.name.max, "c");
    expect((await categories().create({ name: `  ${exact}  ` })).name).toBe(exact);
  });

  it("renaming onto another category's name (any case) is refused and changes nothing", async () => {
    const spare = await categories().create({ name: uniqueTask("Spare") });
    const error = await apiError(categories().update(spare.id, { name: "non-URGENT" }));
    expect(error.data.name?.code).toBe("validation_not_unique");
    expect((await findAsSuperuser(w.admin, "categories", spare.id))?.name).toBe(spare.name);
  });

  it("renaming a category to a new case of its own name is fine", async () => {
    const spare = await categories().create<CategoryRecord>({ name: uniqueTask("casing") });
    expect((await categories().update<CategoryRecord>(spare.id, { name: spare.name.toUpperCase() })).name).toBe(spare.name.toUpperCase());
  });
});

describe("users: sign-up constraints", () => {
  const password = "a-long-password-1";
  it.each([
    ["missing email", { password, passwordConfirm: password }, "email"],
    ["invalid email", { email: "not-an-email", password, passwordConfirm: password }, "email"],
    ["short password", { email: uniqueEmail("short"), password: "short", passwordConfirm: "short" }, "password"],
    ["passwords differ", { email: uniqueEmail("differ"), password, passwordConfirm: `${password}x` }, "passwordConfirm"],
  ] as const)("%s", async (_what, body, field) => {
    const before = (await w.admin.collection("users").getList(1, 1)).totalItems;
    const error = await apiError(engine().client().collection("users").create(body));
    expect(error.status).toBe(400);
    expect(error.data[field]?.code).toBeTruthy();
    expect((await w.admin.collection("users").getList(1, 1)).totalItems).toBe(before);
  });
});

describe("odd input never causes a 500", () => {
  const token = () => w.a.client.authStore.token;
  it.each([
    ["malformed JSON", "POST", "/api/collections/todos/records", { rawBody: "{not json" }],
    ["a JSON array", "POST", "/api/collections/todos/records", { rawBody: "[1,2,3]" }],
    ["task as an object", "POST", "/api/collections/todos/records", { body: { task: { a: 1 }, category: "x" } }],
    ["task as a number", "POST", "/api/collections/todos/records", { body: { task: 12345, category: "x" } }],
    ["done as a string", "POST", "/api/collections/todos/records", { body: { task: "t", done: "maybe", category: "x" } }],
    ["category as an object", "POST", "/api/collections/todos/records", { body: { task: "t", category: { id: 1 } } }],
    ["huge task", "POST", "/api/collections/todos/records", { body: { task: "x".repeat(100_000), category: "x" } }],
    ["bad filter", "GET", "/api/collections/todos/records?filter=((task", {}],
    ["unknown filter field", "GET", "/api/collections/todos/records?filter=nosuchfield%3D1", {}],
    ["unknown sort field", "GET", "/api/collections/todos/records?sort=-nosuchfield", {}],
    ["deep unknown expand", "GET", "/api/collections/todos/records?expand=a.b.c.d.e.f.g", {}],
    ["bad batch body", "POST", "/api/batch", { rawBody: '{"requests":"nope"}' }],
    ["unknown batch action", "POST", "/api/batch", { body: { requests: [{ method: "GET", url: "/api/health" }] } }],
  ] as const)("%s", async (_what, method, path, options) => {
    const before = await todoCount();
    const response = await rawRequest(engine(), method, path, { token: token(), ...options });
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    expect(await todoCount()).toBe(before); // every body above is invalid: nothing is written
  });
});
