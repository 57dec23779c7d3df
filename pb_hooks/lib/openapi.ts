// Builds the OpenAPI 3.1 document of this API from the engine's live collections, so the docs cannot
// drift from the schema: field limits, required fields and access rules are read from the collections
// the migrations created. Pure (collections JSON in, document out, no engine calls): the hook route in
// pb_hooks/openapi.pb.ts serves it, and Node tests call it directly.

/** A collection field as the engine serializes it (only the options this generator reads). */
export interface FieldJson {
  name: string;
  type: string;
  hidden?: boolean;
  required?: boolean;
  primaryKey?: boolean;
  min?: number | string | null;
  max?: number | string | null;
  pattern?: string;
  onlyInt?: boolean;
  values?: string[] | null;
  maxSelect?: number;
  collectionId?: string;
  cascadeDelete?: boolean;
  help?: string;
}

/** A collection as the engine serializes it (`JSON.stringify(collection)` or GET /api/collections). */
export interface CollectionJson {
  id: string;
  name: string;
  type: string;
  listRule?: string | null;
  viewRule?: string | null;
  createRule?: string | null;
  updateRule?: string | null;
  deleteRule?: string | null;
  fields: FieldJson[];
}

export interface OpenApiOptions {
  title: string;
  version: string;
  /** Base collections whose record endpoints (list, view, create, update, delete) are documented. */
  records: string[];
  /** The auth collection people register and sign in with. */
  auth: string;
  /** Fields a hook fills in on create: optional in the create body, with this explanation. */
  serverFilled?: Record<string, Record<string, string>>;
}

export type JsonSchema = { [keyword: string]: unknown };
type Operation = { [key: string]: unknown };
type Paths = Record<string, Record<string, Operation>>;
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Paths;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  [key: string]: unknown;
}

/** The custom route in pb_hooks/auth.pb.ts that revokes every token of the caller. */
export const LOGOUT_EVERYWHERE_PATH = "/api/starter/logout-everywhere";
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const bearer = [{ bearerAuth: [] }];
const DATE_EXAMPLE = "2025-01-02 03:04:05.678Z";

/** "todos" → "Todos": the prefix of a collection's component schemas. */
function pascal(name: string): string {
  return name.replace(/(^|[_\-\s]+)([a-zA-Z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}

function num(value: number | string | null | undefined): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n !== 0 ? n : undefined;
}

/** JSON Schema of one field's value as the API returns and accepts it. */
export function fieldSchema(field: FieldJson, collections: CollectionJson[]): JsonSchema {
  const many = (field.maxSelect ?? 1) > 1;
  const list = (item: JsonSchema): JsonSchema =>
    many ? { type: "array", items: item, maxItems: field.maxSelect, uniqueItems: true } : item;
  const help = field.help ? { description: field.help } : {};
  switch (field.type) {
    case "text":
    case "editor": {
      const max = num(field.max) ?? (field.type === "text" ? 5000 : undefined);
      const min = field.required ? num(field.min) : undefined;
      const pattern = field.required && field.pattern ? { pattern: field.pattern } : {};
      return { type: "string", ...(min ? { minLength: min } : {}), ...(max ? { maxLength: max } : {}), ...pattern, ...help };
    }
    case "number": {
      const bounds = field.required ? { minimum: num(field.min), maximum: num(field.max) } : {};
      return JSON.parse(JSON.stringify({ type: field.onlyInt ? "integer" : "number", ...bounds, ...help })) as JsonSchema;
    }
    case "bool":
      return { type: "boolean", ...help };
    case "email":
      return { type: "string", ...(field.required ? { format: "email" } : {}), ...help };
    case "url":
      return { type: "string", ...(field.required ? { format: "uri" } : {}), ...help };
    case "date":
      return { type: "string", description: `Date-time as "YYYY-MM-DD HH:MM:SS.sssZ" (UTC), or "" when unset.`, examples: [DATE_EXAMPLE] };
    case "autodate":
      return { type: "string", readOnly: true, description: "Set by the server (UTC).", examples: [DATE_EXAMPLE] };
    case "select":
      return list({ type: "string", enum: [...(field.values ?? []), ...(many || field.required ? [] : [""])], ...help });
    case "relation": {
      const target = collections.find((c) => c.id === field.collectionId);
      const description = `Id of a ${target ? `\`${target.name}\`` : "related"} record${field.required ? "" : ' ("" when unset)'}.`;
      return list({ type: "string", description });
    }
    case "file":
      return list({ type: "string", description: "File name; upload with multipart/form-data." });
    case "geoPoint":
      return { type: "object", properties: { lon: { type: "number" }, lat: { type: "number" } }, required: ["lon", "lat"] };
    default:
      return { description: `A ${field.type} value.`, ...help };
  }
}

/** The record as the API returns it: every visible field, plus the collection it belongs to. */
function recordSchema(collection: CollectionJson, collections: CollectionJson[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    collectionId: { type: "string", const: collection.id },
    collectionName: { type: "string", const: collection.name },
  };
  const required = ["collectionId", "collectionName"];
  for (const field of collection.fields) {
    if (field.hidden) continue;
    properties[field.name] = fieldSchema(field, collections);
    // An auth record's email is only returned to its owner, superusers, or when emailVisibility is on.
    if (!(collection.type === "auth" && field.name === "email")) required.push(field.name);
  }
  properties.expand = { type: "object", description: "Related records requested with `expand`." };
  return { type: "object", properties, required };
}

/** The JSON body of a create (all: true) or update (all: false, nothing required) request. */
function bodySchema(
  collection: CollectionJson,
  collections: CollectionJson[],
  filled: Record<string, string>,
  create: boolean,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of collection.fields) {
    if (field.type === "autodate" || field.type === "file" || (field.hidden && field.type !== "password")) continue;
    if (field.primaryKey) continue; // ids are assigned by the server
    if (collection.type === "auth" && field.name === "verified") continue;
    if (field.type === "password") {
      const password = { type: "string", minLength: num(field.min) ?? 1, maxLength: num(field.max) ?? 71, writeOnly: true };
      properties[field.name] = password;
      properties[`${field.name}Confirm`] = { ...password, description: `Must equal \`${field.name}\`.` };
      if (create) required.push(field.name, `${field.name}Confirm`);
      continue;
    }
    const schema = fieldSchema(field, collections);
    if (filled[field.name]) schema.description = filled[field.name];
    properties[field.name] = schema;
    const needed = field.required && field.type !== "bool" && !filled[field.name];
    if (create && needed) required.push(field.name);
  }
  return create ? { type: "object", properties, required } : { type: "object", properties, minProperties: 1 };
}

const query = (name: string, schema: JsonSchema, description: string) => ({ name, in: "query", required: false, schema, description });
const EXPAND_FIELDS = [
  query("expand", { type: "string" }, "Comma-separated relation fields to expand (up to 6 levels), e.g. `category`."),
  query("fields", { type: "string" }, "Comma-separated fields to return, e.g. `id,task`; the response then holds only those."),
];
const LIST_PARAMS = [
  query("page", { type: "integer", minimum: 1, default: 1 }, "Page number, from 1."),
  query("perPage", { type: "integer", minimum: 1, maximum: 1000, default: 30 }, "Records per page (at most 1000)."),
  query("sort", { type: "string" }, "Comma-separated fields, `-` for descending, e.g. `-created,task`."),
  query(
    "filter",
    { type: "string", maxLength: 3500 },
    'Filter expression, e.g. `done = false && task ~ "milk"`. `@request.*` and `@collection.*` are superuser-only.',
  ),
  ...EXPAND_FIELDS,
  query("skipTotal", { type: "boolean" }, "Skip counting: faster, and `totalItems`/`totalPages` are -1."),
];

const error = (description: string) => ({ description, content: json(ref("Error")) });

/**
 * Who may call an operation, from its API rule: null = superusers only; a rule that never looks at
 * `@request.auth` is open to guests; any other rule needs a signed-in caller.
 */
function access(rule: string | null | undefined): { security: unknown[]; note: string; superuserOnly: boolean } {
  if (rule === null || rule === undefined) return { security: bearer, note: "**Superusers only.**", superuserOnly: true };
  const shown = rule === "" ? "" : ` Access rule: \`${rule}\``;
  if (!rule.includes("@request.auth")) return { security: [{}, ...bearer], note: `Open to everyone.${shown}`, superuserOnly: false };
  return { security: bearer, note: `Signed-in callers.${shown}`, superuserOnly: false };
}

/** The 403 a hook gives a non-superuser who sets a server-filled field (e.g. a todo's owner). */
function serverFilledRefusal(filled: Record<string, string>, verb: "names" | "changes"): Record<string, unknown> {
  const fields = Object.keys(filled);
  if (fields.length === 0) return {};
  const list = fields.map((f) => `\`${f}\``).join(", ");
  return { 403: error(`A non-superuser ${verb} ${list} (see \`data.<field>\`): only the server sets it.`) };
}

/** The five record operations of one base collection. */
function recordPaths(collection: CollectionJson, collections: CollectionJson[], filled: Record<string, string>): Paths {
  const { name } = collection;
  const P = pascal(name);
  const idField = collection.fields.find((f) => f.primaryKey) ?? { name: "id", type: "text" };
  const idParam = { name: "id", in: "path", required: true, schema: fieldSchema({ ...idField, required: true }, collections) };
  // A required, non-cascading relation from another collection blocks deleting a referenced record.
  const referenced = collections.some((c) =>
    c.fields.some((f) => f.type === "relation" && f.collectionId === collection.id && f.required && !f.cascadeDelete),
  );
  const op = (kind: string, rule: string | null | undefined, summary: string, body: Operation) => {
    const who = access(rule);
    const responses = body.responses as Record<string, unknown>;
    if (who.superuserOnly) responses["403"] = error("Only superusers can perform this action.");
    return { operationId: `${name}${kind}`, tags: [P], summary, description: who.note, security: who.security, ...body };
  };
  const collectionPath = `/api/collections/${name}/records`;
  return {
    [collectionPath]: {
      get: op("List", collection.listRule, `List ${name}`, {
        parameters: LIST_PARAMS,
        responses: {
          200: { description: "A page of the records the caller may see (an empty page when none).", content: json(ref(`${P}List`)) },
          400: error("Invalid filter or sort expression."),
          403: error("The filter or sort uses `@request.*` or `@collection.*`, which only superusers may."),
        },
      }),
      post: op("Create", collection.createRule, `Create a record in ${name}`, {
        parameters: EXPAND_FIELDS,
        requestBody: { required: true, content: json(ref(`${P}Create`)) },
        responses: {
          200: { description: "The created record.", content: json(ref(`${P}Record`)) },
          400: error("Validation failed (see `data`) or the create rule refused it."),
          ...serverFilledRefusal(filled, "names"),
        },
      }),
    },
    [`${collectionPath}/{id}`]: {
      get: op("View", collection.viewRule, `View a record in ${name}`, {
        parameters: [idParam, ...EXPAND_FIELDS],
        responses: {
          200: { description: "The record.", content: json(ref(`${P}Record`)) },
          404: error("No such record, or the caller may not see it."),
        },
      }),
      patch: op("Update", collection.updateRule, `Update a record in ${name}`, {
        parameters: [idParam, ...EXPAND_FIELDS],
        requestBody: { required: true, content: json(ref(`${P}Update`)) },
        responses: {
          200: { description: "The updated record.", content: json(ref(`${P}Record`)) },
          400: error("Validation failed (see `data`)."),
          ...serverFilledRefusal(filled, "changes"),
          404: error("No such record, or the caller may not change it."),
        },
      }),
      delete: op("Delete", collection.deleteRule, `Delete a record in ${name}`, {
        parameters: [idParam],
        responses: {
          204: { description: "Deleted." },
          ...(referenced ? { 400: error("The record is still referenced by other records.") } : {}),
          404: error("No such record, or the caller may not delete it."),
        },
      }),
    },
  };
}

/** Sign-up, sign-in and token endpoints of the auth collection, as the JS SDK calls them. */
function authPaths(collection: CollectionJson): Paths {
  const { name } = collection;
  const P = pascal(name);
  const tags = ["Auth"];
  const signUp = access(collection.createRule);
  const authResponse = { description: "A token and the signed-in record.", content: json(ref("AuthResponse")) };
  return {
    [`/api/collections/${name}/records`]: {
      post: {
        operationId: `${name}Register`,
        tags,
        summary: "Register (sign up)",
        description: signUp.note,
        security: signUp.security,
        requestBody: { required: true, content: json(ref(`${P}Create`)) },
        responses: {
          200: { description: "The new account (not signed in: call auth-with-password next).", content: json(ref(`${P}Record`)) },
          400: error("Validation failed, e.g. the email is taken or the passwords differ."),
          ...(signUp.superuserOnly ? { 403: error("Only superusers can perform this action.") } : {}),
        },
      },
    },
    [`/api/collections/${name}/auth-with-password`]: {
      post: {
        operationId: `${name}AuthWithPassword`,
        tags,
        summary: "Sign in with email and password",
        security: [{}],
        requestBody: { required: true, content: json(ref("PasswordCredentials")) },
        responses: { 200: authResponse, 400: error("Wrong email or password.") },
      },
    },
    [`/api/collections/${name}/auth-refresh`]: {
      post: {
        operationId: `${name}AuthRefresh`,
        tags,
        summary: "Refresh the token",
        security: bearer,
        responses: {
          200: authResponse,
          401: error("Missing, invalid or expired token."),
          403: error(`The token does not belong to the \`${name}\` collection.`),
        },
      },
    },
    [LOGOUT_EVERYWHERE_PATH]: {
      post: {
        operationId: "logoutEverywhere",
        tags,
        summary: "Sign out on every device",
        description: "Invalidates every token issued to the caller so far, this one included.",
        security: bearer,
        responses: { 204: { description: "All tokens of the caller are revoked." }, 401: error("Missing, invalid or expired token.") },
      },
    },
  };
}

function systemPaths(): Paths {
  const tags = ["System"];
  return {
    "/api/health": {
      get: {
        operationId: "health",
        tags,
        summary: "Health check",
        security: [{}],
        responses: { 200: { description: "The server is up.", content: json(ref("Health")) } },
      },
    },
    "/api/openapi.json": {
      get: {
        operationId: "openapi",
        tags,
        summary: "This document",
        security: [{}],
        responses: { 200: { description: "The OpenAPI 3.1 document.", content: json({ type: "object", required: ["openapi", "paths"] }) } },
      },
    },
  };
}

const SHARED_SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: "object",
    properties: {
      status: { type: "integer" },
      message: { type: "string" },
      data: {
        type: "object",
        description: "Field errors by field name.",
        additionalProperties: {
          type: "object",
          properties: { code: { type: "string" }, message: { type: "string" } },
          required: ["code", "message"],
        },
      },
    },
    required: ["status", "message", "data"],
  },
  Health: {
    type: "object",
    properties: { code: { type: "integer" }, message: { type: "string" }, data: { type: "object" } },
    required: ["code", "message", "data"],
  },
  PasswordCredentials: {
    type: "object",
    properties: { identity: { type: "string", description: "The email address." }, password: { type: "string", writeOnly: true } },
    required: ["identity", "password"],
  },
};

/**
 * The OpenAPI 3.1 document for the given collections. Record endpoints, sign-up fields, limits and who
 * may call what all come from `collections`; a missing collection named in `options` is an error.
 */
export function buildOpenApi(collections: CollectionJson[], options: OpenApiOptions): OpenApiDocument {
  const byName = (name: string): CollectionJson => {
    const found = collections.find((c) => c.name === name);
    if (!found) throw new Error(`openapi: collection "${name}" not found`);
    return found;
  };
  const auth = byName(options.auth);
  const A = pascal(auth.name);
  const schemas: Record<string, JsonSchema> = {
    ...SHARED_SCHEMAS,
    [`${A}Record`]: recordSchema(auth, collections),
    [`${A}Create`]: bodySchema(auth, collections, {}, true),
    AuthResponse: { type: "object", properties: { token: { type: "string" }, record: ref(`${A}Record`) }, required: ["token", "record"] },
  };
  let paths: Paths = { ...authPaths(auth), ...systemPaths() };
  for (const name of options.records) {
    const collection = byName(name);
    const P = pascal(name);
    const filled = options.serverFilled?.[name] ?? {};
    schemas[`${P}Record`] = recordSchema(collection, collections);
    schemas[`${P}Create`] = bodySchema(collection, collections, filled, true);
    schemas[`${P}Update`] = bodySchema(collection, collections, filled, false);
    schemas[`${P}List`] = {
      type: "object",
      properties: {
        page: { type: "integer" },
        perPage: { type: "integer" },
        totalItems: { type: "integer", description: "-1 with skipTotal." },
        totalPages: { type: "integer", description: "-1 with skipTotal." },
        items: { type: "array", items: ref(`${P}Record`) },
      },
      required: ["page", "perPage", "totalItems", "totalPages", "items"],
    };
    paths = { ...paths, ...recordPaths(collection, collections, filled) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: options.title,
      version: options.version,
      description:
        "REST API of this PocketBase app, generated from its live collections. Sign in with " +
        `\`POST /api/collections/${auth.name}/auth-with-password\` and send the token as \`Authorization: <token>\` ` +
        "(a `Bearer ` prefix is accepted). Sign-in and sign-up are rate limited per IP (HTTP 429).",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Auth", description: "Sign up, sign in, tokens." },
      ...options.records.map((name) => ({ name: pascal(name), description: `Records of \`${name}\`.` })),
      { name: "System" },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "The `token` from auth-with-password." },
      },
    },
  };
}
