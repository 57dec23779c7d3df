// Contract test: every operation and status code that /api/openapi.json documents is called on a real
// engine, and the answer must carry that status and match the documented response schema. A documented
// (operation, status) pair without a scenario here fails the last test, so the docs cannot promise more
// than the API is proven to do.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestEngine } from "./support/engine.js";
import { LOGOUT_EVERYWHERE_PATH } from "../pb_hooks/lib/openapi.js";
import { COLLECTIONS } from "../pb_hooks/lib/collections.js";
import type { CollectionDeclaration, Policy } from "../pb_hooks/lib/declaration.js";
import { checkJsonSchema } from "./support/jsonSchema.js";
import type { DocumentShape, OperationShape } from "./support/openApiShape.js";

/** An answer body as the scenarios read it: a record, a page, an auth response or an error. */
interface Answer {
  id: string;
  token: string;
  task: string;
  name?: string;
  email?: string;
  items: Answer[];
  totalItems: number;
  data: Record<string, { code: string } | undefined>;
  expand: Record<string, Answer | undefined>;
  [key: string]: unknown;
}
type Actor = "guest" | "alice" | "bob" | "root";

interface Context {
  tokens: Partial<Record<Actor, string>>;
  bobId: string;
  categoryId: string;
  newCategoryId: string;
  todoId: string;
}

interface Scenario {
  /** Why this call gets this status, for the test name. */
  title: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string | ((ctx: Context) => string);
  status: number;
  as: Actor;
  query?: Record<string, string>;
  body?: Record<string, unknown> | ((ctx: Context) => Record<string, unknown>);
  /** Extra checks on the parsed answer (e.g. remember an id for later scenarios). */
  then?: (body: Answer, ctx: Context) => void | Promise<void>;
}

const password = "contract-pass-123";
const missingId = "zzzzzzzzzzzzzzz";
const todosPath = "/api/collections/todos/records";
const categoriesPath = "/api/collections/categories/records";

const scenarios: Scenario[] = [
  { title: "health", method: "GET", path: "/api/health", status: 200, as: "guest" },
  { title: "the document itself", method: "GET", path: "/api/openapi.json", status: 200, as: "guest" },
  {
    title: "sign-up",
    method: "POST",
    path: "/api/collections/users/records",
    status: 200,
    as: "guest",
    body: { email: "alice@example.com", password, passwordConfirm: password, name: "Alice" },
    // A guest sees the new account without its email (emailVisibility is off), as documented.
    then: (user) => expect([user.name, user.email]).toEqual(["Alice", undefined]),
  },
  {
    title: "sign-up with a taken email",
    method: "POST",
    path: "/api/collections/users/records",
    status: 400,
    as: "guest",
    body: { email: "alice@example.com", password, passwordConfirm: password },
    then: (error) => expect(error.data.email?.code).toBeTruthy(),
  },
  {
    title: "sign-in",
    method: "POST",
    path: "/api/collections/users/auth-with-password",
    status: 200,
    as: "guest",
    body: { identity: "alice@example.com", password },
    then: (auth, ctx) => void (ctx.tokens.alice = auth.token),
  },
  {
    title: "sign-in with a wrong password",
    method: "POST",
    path: "/api/collections/users/auth-with-password",
    status: 400,
    as: "guest",
    body: { identity: "alice@example.com", password: "wrong-password-1" },
  },
  { title: "token refresh", method: "POST", path: "/api/collections/users/auth-refresh", status: 200, as: "alice" },
  { title: "token refresh without a token", method: "POST", path: "/api/collections/users/auth-refresh", status: 401, as: "guest" },
  { title: "token refresh with a superuser token", method: "POST", path: "/api/collections/users/auth-refresh", status: 403, as: "root" },

  {
    title: "list categories with paging, sort, filter and expand",
    method: "GET",
    path: categoriesPath,
    status: 200,
    as: "alice",
    query: { page: "1", perPage: "1", sort: "name", filter: 'name ~ "urgent"', expand: "", skipTotal: "false" },
    then: (page, ctx) => {
      expect(page).toMatchObject({ page: 1, perPage: 1, totalItems: 2, totalPages: 2 });
      ctx.categoryId = page.items[0]!.id;
    },
  },
  {
    title: "list categories with a broken filter",
    method: "GET",
    path: categoriesPath,
    status: 400,
    as: "alice",
    query: { filter: "name ~" },
  },
  {
    title: "list categories filtering on @request",
    method: "GET",
    path: categoriesPath,
    status: 403,
    as: "alice",
    query: { filter: '@request.auth.id != ""' },
  },
  { title: "view a category", method: "GET", path: (c) => `${categoriesPath}/${c.categoryId}`, status: 200, as: "alice" },
  { title: "view a missing category", method: "GET", path: `${categoriesPath}/${missingId}`, status: 404, as: "alice" },
  {
    title: "create a category as superuser",
    method: "POST",
    path: categoriesPath,
    status: 200,
    as: "root",
    body: { name: "Contract" },
    then: (category, ctx) => void (ctx.newCategoryId = category.id),
  },
  { title: "create an empty category", method: "POST", path: categoriesPath, status: 400, as: "root", body: { name: "" } },
  { title: "create a category as a user", method: "POST", path: categoriesPath, status: 403, as: "alice", body: { name: "Mine" } },
  {
    title: "rename a category",
    method: "PATCH",
    path: (c) => `${categoriesPath}/${c.newCategoryId}`,
    status: 200,
    as: "root",
    body: { name: "Contract 2" },
  },
  {
    title: "rename a category too long",
    method: "PATCH",
    path: (c) => `${categoriesPath}/${c.newCategoryId}`,
    status: 400,
    as: "root",
    body: { name: "x".repeat(51) },
  },
  {
    title: "rename a missing category",
    method: "PATCH",
    path: `${categoriesPath}/${missingId}`,
    status: 404,
    as: "root",
    body: { name: "Nope" },
  },
  {
    title: "rename a category as a user",
    method: "PATCH",
    path: (c) => `${categoriesPath}/${c.newCategoryId}`,
    status: 403,
    as: "alice",
    body: { name: "Mine" },
  },

  {
    title: "create a todo",
    method: "POST",
    path: todosPath,
    status: 200,
    as: "alice",
    query: { expand: "category" },
    body: (c) => ({ task: "  Buy milk  ", category: c.categoryId }),
    then: (todo, ctx) => {
      expect(todo.task).toBe("Buy milk");
      expect(todo.expand.category?.id).toBe(ctx.categoryId);
      ctx.todoId = todo.id;
    },
  },
  {
    title: "create a todo without a task",
    method: "POST",
    path: todosPath,
    status: 400,
    as: "alice",
    body: (c) => ({ task: "", category: c.categoryId }),
  },
  {
    title: "create a todo for someone else",
    method: "POST",
    path: todosPath,
    status: 403,
    as: "alice",
    body: (c) => ({ task: "Not mine", category: c.categoryId, owner: c.bobId }),
    then: (error) => expect(error.data.owner?.code).toBe("owner_forbidden"),
  },
  {
    title: "list todos with paging, sort, filter and expand",
    method: "GET",
    path: todosPath,
    status: 200,
    as: "alice",
    query: { page: "1", perPage: "5", sort: "-created,task", filter: 'done = false && task ~ "milk"', expand: "category" },
    then: (page, ctx) => {
      expect(page.items.map((t) => t.id)).toEqual([ctx.todoId]);
      expect(page.totalItems).toBe(1);
    },
  },
  {
    title: "list todos with skipTotal",
    method: "GET",
    path: todosPath,
    status: 200,
    as: "alice",
    query: { skipTotal: "true" },
    then: (page) => expect(page.totalItems).toBe(-1),
  },
  { title: "list todos with a broken sort", method: "GET", path: todosPath, status: 400, as: "alice", query: { sort: "nosuchfield" } },
  {
    title: "list todos filtering on @collection",
    method: "GET",
    path: todosPath,
    status: 403,
    as: "alice",
    query: { filter: '@collection.users.id != ""' },
  },
  {
    title: "view own todo",
    method: "GET",
    path: (c) => `${todosPath}/${c.todoId}`,
    status: 200,
    as: "alice",
    query: { expand: "category" },
  },
  { title: "view someone else's todo", method: "GET", path: (c) => `${todosPath}/${c.todoId}`, status: 404, as: "bob" },
  {
    title: "update own todo",
    method: "PATCH",
    path: (c) => `${todosPath}/${c.todoId}`,
    status: 200,
    as: "alice",
    body: { done: true },
    then: (todo) => expect(todo.done).toBe(true),
  },
  {
    title: "update own todo with a too long task",
    method: "PATCH",
    path: (c) => `${todosPath}/${c.todoId}`,
    status: 400,
    as: "alice",
    body: { task: "x".repeat(201) },
  },
  {
    title: "give own todo away",
    method: "PATCH",
    path: (c) => `${todosPath}/${c.todoId}`,
    status: 403,
    as: "alice",
    body: (c) => ({ owner: c.bobId }),
    then: (error) => expect(error.data.owner?.code).toBe("owner_immutable"),
  },
  {
    title: "update someone else's todo",
    method: "PATCH",
    path: (c) => `${todosPath}/${c.todoId}`,
    status: 404,
    as: "bob",
    body: { done: false },
  },

  {
    title: "delete a category todos still use",
    method: "DELETE",
    path: (c) => `${categoriesPath}/${c.categoryId}`,
    status: 400,
    as: "root",
  },
  { title: "delete a category as a user", method: "DELETE", path: (c) => `${categoriesPath}/${c.newCategoryId}`, status: 403, as: "alice" },
  { title: "delete an unused category", method: "DELETE", path: (c) => `${categoriesPath}/${c.newCategoryId}`, status: 204, as: "root" },
  { title: "delete a missing category", method: "DELETE", path: `${categoriesPath}/${missingId}`, status: 404, as: "root" },
  { title: "delete someone else's todo", method: "DELETE", path: (c) => `${todosPath}/${c.todoId}`, status: 404, as: "bob" },
  { title: "delete own todo", method: "DELETE", path: (c) => `${todosPath}/${c.todoId}`, status: 204, as: "alice" },

  { title: "log out everywhere without a token", method: "POST", path: LOGOUT_EVERYWHERE_PATH, status: 401, as: "guest" },
  { title: "log out everywhere", method: "POST", path: LOGOUT_EVERYWHERE_PATH, status: 204, as: "alice" },
];

/**
 * A collection added later (npm run new:collection) has no scenarios here: its routes are documented by
 * the same code as the example collection with its policy, so each of its pairs counts as the example's
 * (which the scenarios cover; the access auditor exercises the added collection itself).
 */
function asExample(template: string): string | null {
  const name = /^\/api\/collections\/([^/]+)\//.exec(template)?.[1];
  const declaration = name ? (COLLECTIONS as Record<string, CollectionDeclaration>)[name] : undefined;
  if (!name || !declaration || name in EXAMPLES) return template;
  // A policy without an example here ("private": superusers only) is left to the auditor's rows.
  const example = Object.entries(EXAMPLES).find(([, policy]) => policy === declaration.policy)?.[0];
  return example ? template.replace(`/api/collections/${name}/`, `/api/collections/${example}/`) : null;
}

/** The collections the scenarios exercise, by policy. */
const EXAMPLES: Record<string, Policy> = { todos: "owned", categories: "readOnly", users: "account" };

/** The documented operation for a concrete path ("/records/abc" matches "/records/{id}"). */
function findOperation(document: DocumentShape, method: string, path: string): { template: string; operation: OperationShape } | undefined {
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    const operation = item[method.toLowerCase()];
    if (pattern.test(path) && operation) return { template, operation };
  }
  return undefined;
}

const pairKey = (method: string, template: string, status: number | string) => `${method.toUpperCase()} ${template} ${status}`;

describe("every documented operation answers as documented", () => {
  const engine = useTestEngine();
  let document: DocumentShape;
  const covered = new Set<string>();
  const ctx: Context = { tokens: {}, bobId: "", categoryId: "", newCategoryId: "", todoId: "" };

  beforeAll(async () => {
    document = (await (await fetch(`${engine().url}/api/openapi.json`)).json()) as DocumentShape;
    ctx.tokens.root = (await engine().admin()).authStore.token;
    // Bob, a second user, is set up outside the contract: he proves other people's todos stay hidden.
    const bob = engine().client();
    await bob.collection("users").create({ email: "bob@example.com", password, passwordConfirm: password });
    const bobAuth = await bob.collection("users").authWithPassword("bob@example.com", password);
    ctx.tokens.bob = bobAuth.token;
    ctx.bobId = bobAuth.record.id;
  });

  for (const scenario of scenarios) {
    it(`${scenario.method} ${typeof scenario.path === "string" ? scenario.path : "…"} → ${scenario.status}: ${scenario.title}`, async () => {
      const path = typeof scenario.path === "function" ? scenario.path(ctx) : scenario.path;
      const found = findOperation(document, scenario.method, path);
      expect(found, `${scenario.method} ${path} is not documented`).toBeDefined();
      const { template, operation } = found!;
      const documented = operation.responses[String(scenario.status)]!;
      expect(documented, `${operation.operationId} does not document ${scenario.status}`).toBeDefined();

      const body = typeof scenario.body === "function" ? scenario.body(ctx) : scenario.body;
      const requestSchema = operation.requestBody?.content["application/json"]?.schema;
      if (scenario.status < 300 && requestSchema) {
        expect(checkJsonSchema(body, requestSchema, document), "the valid input must match the documented body").toEqual([]);
      }
      const token = ctx.tokens[scenario.as];
      if (scenario.as !== "guest") expect(token, `no token for ${scenario.as}`).toBeTruthy();
      const url = new URL(path, engine().url);
      for (const [name, value] of Object.entries(scenario.query ?? {})) url.searchParams.set(name, value);
      const response = await fetch(url, {
        method: scenario.method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      expect(response.status, text).toBe(scenario.status);
      covered.add(pairKey(scenario.method, template, scenario.status));

      const responseSchema = documented.content?.["application/json"]?.schema;
      if (!responseSchema) {
        expect(text, "an answer without documented content must be empty").toBe("");
        return;
      }
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      const json = JSON.parse(text) as Answer;
      expect(checkJsonSchema(json, responseSchema, document)).toEqual([]);
      await scenario.then?.(json, ctx);
    });
  }

  it("covers every documented (operation, status) pair", () => {
    const documented: string[] = [];
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const example = asExample(template);
        if (example) for (const status of Object.keys(operation.responses)) documented.push(pairKey(method, example, status));
      }
    }
    expect(
      documented.filter((pair) => !covered.has(pair)),
      "documented but never exercised",
    ).toEqual([]);
    expect(documented.length).toBeGreaterThan(30);
  });

  it("returns only the requested fields with `fields` (documented on list and view)", async () => {
    const response = await fetch(`${engine().url}${categoriesPath}?fields=id,name`, { headers: { Authorization: ctx.tokens.bob! } });
    const page = (await response.json()) as Answer;
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) expect(Object.keys(item).sort()).toEqual(["id", "name"]);
  });
});
