import type { Declarations } from "../../pb_hooks/lib/declaration.js";
import { collectionOptions, GENERATED_HEADER } from "./options.js";
import { fieldCode, type FieldCode } from "./fields.js";
import { lowerFirst, propertyKey, typeNameFor } from "./names.js";
import type { EngineCollection, EngineSchema } from "../engine/collectionJson.js";

/** The names a collection's generated module exports. */
export interface CollectionNames {
  file: string;
  record: string;
  create: string;
  update: string;
  recordSchema: string;
  createSchema: string;
  updateSchema: string;
}

export function collectionNames(collection: EngineCollection): CollectionNames {
  const stem = typeNameFor(collection.name);
  const lower = lowerFirst(stem);
  return {
    file: `${collection.name}.ts`,
    record: `${stem}Record`,
    create: `${stem}CreateInput`,
    update: `${stem}UpdateInput`,
    recordSchema: `${lower}RecordSchema`,
    createSchema: `${lower}CreateInputSchema`,
    updateSchema: `${lower}UpdateInputSchema`,
  };
}

/** Renders the module of one collection: record, create and update types, and their zod schemas. */
export function renderCollection(collection: EngineCollection, schema: EngineSchema, declarations?: Declarations): string {
  const options = collectionOptions(collection.name, declarations);
  const context = {
    collection,
    collectionNames: new Map(schema.collections.map((c) => [c.id, c.name])),
    trimmed: new Set(options.trimmed),
    serverSet: new Set(options.serverSet),
  };
  const fields = collection.fields.map((field) => fieldCode(field, context)).filter((f): f is FieldCode => f !== null);
  const names = collectionNames(collection);
  const quoted = JSON.stringify(collection.name);
  const withInputs = collection.type !== "view";
  const recordFields = fields.filter((f) => f.record);
  const createFields = fields.filter((f) => f.input && f.input.create !== false);
  const updateFields = fields.filter((f) => f.input?.update);
  const helpers = [...new Set(fields.flatMap((f) => f.helpers))].sort();

  const out: string[] = [
    GENERATED_HEADER,
    `// Collection ${quoted} (${collection.type}) as PocketBase ${schema.version} applies the migrations.`,
    `import { z } from "zod";`,
  ];
  if (helpers.length) out.push(`import { ${helpers.join(", ")} } from "../fieldSchemas.js";`);

  out.push("", `/** A ${quoted} record as the API returns it. */`);
  out.push(
    ...interfaceLines(
      names.record,
      recordFields.map((f) => [f, f.record!.type, f.record!.optional === true]),
      false,
    ),
  );
  if (withInputs) {
    out.push("", `/** What a client sends to create a ${quoted} record. */`);
    out.push(
      ...interfaceLines(
        names.create,
        createFields.map((f) => [f, f.input!.type, f.input!.create === "optional"]),
        true,
      ),
    );
    out.push("", `/** What a client may change on a ${quoted} record; omitted fields keep their value. */`);
    out.push(
      ...interfaceLines(
        names.update,
        updateFields.map((f) => [f, f.input!.type, true]),
        true,
      ),
    );
  }

  out.push(
    "",
    `/** Parses a ${quoted} record from the API: every field must be there; keys the engine adds (collectionId, expand, …) are dropped. */`,
    ...schemaLines(
      names.recordSchema,
      "z.object",
      names.record,
      recordFields.map((f) => [f.name, f.record!.schema]),
    ),
  );
  if (withInputs) {
    out.push(
      "",
      `/** Checks a create input the way the engine will (limits and messages included); unknown keys are refused. */`,
      ...schemaLines(
        names.createSchema,
        "z.strictObject",
        names.create,
        createFields.map((f) => [f.name, f.input!.create === "optional" ? `${f.input!.schema}.optional()` : f.input!.schema]),
      ),
      "",
      `/** Checks an update input the way the engine will; every field is optional, unknown keys are refused. */`,
      ...schemaLines(
        names.updateSchema,
        "z.strictObject",
        names.update,
        updateFields.map((f) => [f.name, `${f.input!.schema}.optional()`]),
      ),
    );
  }
  return `${out.join("\n")}\n`;
}

function interfaceLines(name: string, members: Array<[FieldCode, string, boolean]>, input: boolean): string[] {
  if (members.length === 0) return [`export type ${name} = Record<string, never>;`];
  const lines = [`export interface ${name} {`];
  for (const [field, type, optional] of members) {
    const doc = input ? (field.inputDoc ?? field.doc) : field.doc;
    if (doc) lines.push(`  /** ${doc} */`);
    lines.push(`  ${propertyKey(field.name)}${optional ? "?" : ""}: ${type};`);
  }
  lines.push("}");
  return lines;
}

function schemaLines(name: string, builder: string, type: string, members: Array<[string, string]>): string[] {
  if (members.length === 0) return [`export const ${name} = ${builder}({}) satisfies z.ZodType<${type}>;`];
  return [
    `export const ${name} = ${builder}({`,
    ...members.map(([key, schema]) => `  ${propertyKey(key)}: ${schema},`),
    `}) satisfies z.ZodType<${type}>;`,
  ];
}

/**
 * Renders index.ts: re-exports, the collection directory, and the registry the generic client reads
 * (`client.collection(name)`): each collection's record, create and update types and zod schemas.
 */
export function renderIndex(collections: EngineCollection[], schema: EngineSchema): string {
  const out: string[] = [GENERATED_HEADER, `// Everything generated from the schema of PocketBase ${schema.version}.`];
  for (const c of collections) {
    const n = collectionNames(c);
    const names =
      c.type === "view"
        ? [n.recordSchema, `type ${n.record}`]
        : [n.recordSchema, n.createSchema, n.updateSchema, `type ${n.record}`, `type ${n.create}`, `type ${n.update}`];
    out.push(`import { ${names.join(", ")} } from "./${c.name}.js";`);
  }
  out.push("");
  for (const c of collections) out.push(`export * from "./${c.name}.js";`);
  out.push("", "/** The generated collections: name, engine id and type. */", "export const collections = {");
  for (const c of collections) {
    out.push(
      `  ${propertyKey(c.name)}: { id: ${JSON.stringify(c.id)}, name: ${JSON.stringify(c.name)}, type: ${JSON.stringify(c.type)} },`,
    );
  }
  out.push("} as const;", "", "export type CollectionName = keyof typeof collections;", "");
  out.push(
    "/** The record, create-input and update-input types of each collection (never: it cannot be written). */",
    "export interface CollectionTypes {",
  );
  for (const c of collections) {
    const n = collectionNames(c);
    out.push(
      `  ${propertyKey(c.name)}: { record: ${n.record}; create: ${c.type === "view" ? "never" : n.create}; update: ${c.type === "view" ? "never" : n.update} };`,
    );
  }
  out.push("}", "");
  out.push(
    "/** The record type of each collection. */",
    'export type CollectionRecords = { [N in CollectionName]: CollectionTypes[N]["record"] };',
    "",
  );
  out.push("/** The zod schemas of each collection (null: it cannot be written). */", "export const collectionSchemas = {");
  for (const c of collections) {
    const n = collectionNames(c);
    const writes = c.type === "view" ? "create: null, update: null" : `create: ${n.createSchema}, update: ${n.updateSchema}`;
    out.push(`  ${propertyKey(c.name)}: { record: ${n.recordSchema}, ${writes} },`);
  }
  out.push("} as const;", "");
  out.push(
    "/** The batch API as the migrations configure it: whether it is on, and how many requests one batch may hold. */",
    `export const batchSettings = { enabled: ${schema.batch.enabled}, maxRequests: ${schema.batch.maxRequests} } as const;`,
  );
  return `${out.join("\n")}\n`;
}
