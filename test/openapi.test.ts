import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { useTestEngine } from "./support/engine.js";
import { COLLECTIONS } from "../pb_hooks/lib/collections.js";
import { buildOpenApi, type CollectionJson, type OpenApiDocument } from "../pb_hooks/lib/openapi.js";
import { checkJsonSchema } from "./support/jsonSchema.js";
import type { DocumentShape, SchemaShape } from "./support/openApiShape.js";

async function validate(document: object): Promise<{ valid: boolean; version: string; errors: unknown }> {
  const validator = new Validator();
  const result = await validator.validate(document as Record<string, unknown>);
  return { valid: result.valid, version: validator.version, errors: result.errors };
}

// One engine for the file: the HTTP-level tests below share it (the last one changes the todos schema).
const engine = useTestEngine();

describe("GET /api/openapi.json", () => {
  const fetchDocument = async (): Promise<DocumentShape> => {
    const response = await fetch(`${engine().url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    return (await response.json()) as DocumentShape;
  };

  it("is a valid OpenAPI 3.1 document", async () => {
    const document = await fetchDocument();
    const result = await validate(document);
    expect(result.errors ?? null).toBeNull();
    expect(result.valid).toBe(true);
    expect(result.version).toBe("3.1");
    expect(document.openapi).toBe("3.1.0");
  });

  it("documents record CRUD of categories and todos with the list query parameters", async () => {
    const { paths } = await fetchDocument();
    for (const name of ["categories", "todos"]) {
      expect(Object.keys(paths[`/api/collections/${name}/records`]!).sort()).toEqual(["get", "post"]);
      expect(Object.keys(paths[`/api/collections/${name}/records/{id}`]!).sort()).toEqual(["delete", "get", "patch"]);
      const list = paths[`/api/collections/${name}/records`]!.get!;
      expect(list.parameters!.map((p) => p.name).sort()).toEqual(["expand", "fields", "filter", "page", "perPage", "skipTotal", "sort"]);
    }
  });

  it("documents the users auth endpoints the SDK uses, with a bearer scheme", async () => {
    const document = await fetchDocument();
    const register = document.paths["/api/collections/users/records"]!.post!;
    expect(register.operationId).toBe("usersRegister");
    expect(register.security).toContainEqual({}); // sign-up needs no token
    expect(document.paths["/api/collections/users/auth-with-password"]!.post!.operationId).toBe("usersAuthWithPassword");
    expect(document.paths["/api/collections/users/auth-refresh"]!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths["/api/starter/logout-everywhere"]!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    // Sign-up requires the password twice; the hidden tokenKey is never part of it.
    const create = document.components.schemas.UsersCreate!;
    expect(create.required).toEqual(expect.arrayContaining(["email", "password", "passwordConfirm"]));
    expect(create.properties!.tokenKey).toBeUndefined();
    expect(document.components.schemas.UsersRecord!.properties!.password).toBeUndefined();
  });

  it("carries the schema's limits, required fields and access rules", async () => {
    const { components, paths } = await fetchDocument();
    expect(components.schemas.TodosCreate!.properties!.task).toMatchObject({
      type: "string",
      minLength: 1,
      maxLength: COLLECTIONS.todos.fields.task.max,
    });
    expect(components.schemas.CategoriesCreate!.properties!.name).toMatchObject({ maxLength: COLLECTIONS.categories.fields.name.max });
    // The owner is filled in by a hook, so clients need not send it; task and category they must.
    expect(components.schemas.TodosCreate!.required!.sort()).toEqual(["category", "task"]);
    expect(components.schemas.TodosUpdate!.required).toBeUndefined();
    // Ids are assigned by the server, so no create body offers one.
    for (const name of ["UsersCreate", "TodosCreate", "CategoriesCreate"]) expect(components.schemas[name]!.properties!.id).toBeUndefined();
    // Categories are superuser-only to write: the document says so and lists the 403.
    const createCategory = paths["/api/collections/categories/records"]!.post!;
    expect(createCategory.description).toMatch(/Superusers only/);
    expect(createCategory.responses["403"]).toBeDefined();
    // Users may create todos, but naming (or changing) the owner is refused by a hook with a 403.
    expect(paths["/api/collections/todos/records"]!.post!.responses["403"]!.description).toMatch(/`owner`/);
    expect(paths["/api/collections/todos/records/{id}"]!.patch!.responses["403"]!.description).toMatch(/`owner`/);
    expect(paths["/api/collections/categories/records"]!.get!.description).not.toMatch(/Superusers only/);
    // Deleting a category todos still reference is refused (required, non-cascading relation).
    expect(paths["/api/collections/categories/records/{id}"]!.delete!.responses["400"]).toBeDefined();
    expect(paths["/api/collections/todos/records/{id}"]!.delete!.responses["400"]).toBeUndefined();
  });

  it("follows the live schema: a changed limit shows up without a rebuild", async () => {
    const admin = await engine().admin();
    const todos = await admin.collections.getOne("todos");
    const fields = todos.fields.map((field: { name: string }) => (field.name === "task" ? { ...field, max: 321 } : field));
    await admin.collections.update(todos.id, { fields });
    const { components } = await fetchDocument();
    expect(components.schemas.TodosCreate!.properties!.task!.maxLength).toBe(321);
  });
});

describe("buildOpenApi (pure)", () => {
  const idField = { name: "id", type: "text", primaryKey: true, required: true, min: 15, max: 15, pattern: "^[a-z0-9]+$" };
  const users: CollectionJson = {
    id: "_pb_users_auth_",
    name: "users",
    type: "auth",
    createRule: "",
    fields: [
      idField,
      { name: "password", type: "password", hidden: true, required: true, min: 8, max: 0 },
      { name: "email", type: "email", required: true },
    ],
  };
  const notes: CollectionJson = {
    id: "pbc_1",
    name: "notes",
    type: "base",
    listRule: "",
    viewRule: "",
    createRule: null,
    updateRule: null,
    deleteRule: null,
    fields: [
      idField,
      { name: "tags", type: "select", values: ["a", "b"], maxSelect: 2 },
      { name: "mood", type: "select", values: ["ok"], maxSelect: 1 },
      { name: "score", type: "number", required: true, min: 1, max: 5, onlyInt: true },
      { name: "readers", type: "relation", collectionId: "_pb_users_auth_", maxSelect: 3 },
      { name: "secret", type: "text", hidden: true },
    ],
  };
  const build = (): OpenApiDocument => buildOpenApi([users, notes], { title: "t", version: "1", records: ["notes"], auth: "users" });

  it("maps field options to JSON Schema and produces a valid document", async () => {
    const document = build();
    const record = document.components.schemas.NotesRecord as SchemaShape & { properties: Record<string, SchemaShape> };
    expect(record.properties.tags).toMatchObject({ type: "array", items: { enum: ["a", "b"] }, maxItems: 2 });
    expect(record.properties.mood).toMatchObject({ type: "string", enum: ["ok", ""] });
    expect(record.properties.score).toMatchObject({ type: "integer", minimum: 1, maximum: 5 });
    expect(record.properties.readers).toMatchObject({ type: "array", maxItems: 3 });
    expect(record.properties.secret).toBeUndefined();
    expect((await validate(document)).valid).toBe(true);
    // The validator is not a rubber stamp: a document without its info block is refused.
    expect((await validate({ ...document, info: undefined })).valid).toBe(false);
  });

  it("marks rule-less (null) operations as superuser-only and open ones as optional auth", () => {
    const { paths } = build();
    expect(paths["/api/collections/notes/records"]!.post!.responses).toHaveProperty("403");
    expect(paths["/api/collections/notes/records"]!.get!.security).toEqual([{}, { bearerAuth: [] }]);
  });

  it("refuses to document a collection that does not exist", () => {
    expect(() => buildOpenApi([users], { title: "t", version: "1", records: ["notes"], auth: "users" })).toThrow(/"notes" not found/);
  });
});

describe("checkJsonSchema (the contract test's checker)", () => {
  const root = {
    components: { schemas: { Item: { type: "object", properties: { n: { type: "string", maxLength: 3 } }, required: ["n"] } } },
  };
  const schema = { type: "array", items: { $ref: "#/components/schemas/Item" } };

  it("accepts conforming values and reports each violation", () => {
    expect(checkJsonSchema([{ n: "abc" }], schema, root)).toEqual([]);
    expect(checkJsonSchema([{ n: "abcd" }, {}], schema, root)).toEqual(["$[0].n: longer than 3", '$[1]: missing required property "n"']);
    expect(checkJsonSchema({}, schema, root)).toEqual(["$: expected array, got object"]);
  });

  it("throws on keywords it does not understand instead of passing", () => {
    expect(() => checkJsonSchema("x", { type: "string", contains: {} }, root)).toThrow(/unsupported keyword "contains"/);
  });
});

describe("landing page and /docs are served locally", () => {
  it("serves a landing page at / linking to the docs, the dashboard and the health endpoint", async () => {
    const response = await fetch(`${engine().url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const href of ["/docs/", "/_/", "/api/health"]) expect(html).toContain(`href="${href}"`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("serves the Swagger UI and every asset it loads from this server, without a CDN", async () => {
    const redirect = await fetch(`${engine().url}/docs`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    const html = await (await fetch(`${engine().url}/docs/`)).text();
    expect(html).toContain('id="swagger-ui"');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((url) => url !== "/");
    expect(assets).toEqual(expect.arrayContaining(["./swagger-ui.css", "./swagger-ui-bundle.js", "./swagger-init.js"]));
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const response = await fetch(new URL(asset, `${engine().url}/docs/`));
      expect(response.status, asset).toBe(200);
      // The engine falls back to the landing page for unknown paths: make sure this is the real file.
      expect(response.headers.get("content-type"), asset).not.toMatch(/text\/html/);
    }
    const init = await (await fetch(`${engine().url}/docs/swagger-init.js`)).text();
    expect(init).toContain('"/api/openapi.json"');
  });
});
