// Renders schema changes as a TypeScript migration for pb_migrations/. The file holds every value it
// applies (no require of the declaration), so it does the same thing on every database, forever.
import type { CollectionJson, FieldJson } from "./expected.js";
import { describeChanges, type SchemaChange } from "./diff.js";

/** The source of a migration file making `changes` (up), and undoing them (down). */
export function migrationSource(changes: readonly SchemaChange[], generatedFrom: string): string {
  const summary = describeChanges(changes).map((line) => `//   - ${line}`);
  const up = changes.flatMap(upLines);
  const down = [...changes].reverse().flatMap(downLines);
  return [
    `/// <reference path="../.engine/types.d.ts" />`,
    `// Written by \`npm run migration\` from ${generatedFrom}. What it does:`,
    ...summary,
    "// Review it and commit it. Once it has shipped, never edit it: a later change is a new migration.",
    "",
    "migrate(",
    "  (app) => {",
    ...helpersFor(up),
    ...up.map((line) => `    ${line}`),
    "  },",
    "  (app) => {",
    ...helpersFor(down),
    ...down.map((line) => `    ${line}`),
    "  },",
    ");",
    "",
  ].join("\n");
}

/**
 * The small helpers a migration's body calls (the engine picks field and collection classes by "type"),
 * only those it uses: the file must pass the project's linter as written.
 */
function helpersFor(body: readonly string[]): string[] {
  const uses = (name: string) => body.some((line) => new RegExp(`(^|[^\\w.])${name}\\(`).test(line));
  return [
    ...(uses("id") ? ["    const id = (name: string): string => app.findCollectionByNameOrId(name).id;"] : []),
    ...(uses("field") ? ["    const field = (json: object): Field => new Field(json);"] : []),
    ...(uses("collection")
      ? [
          "    const collection = (json: object): Collection => {",
          "      const created = new Collection();",
          "      unmarshal(json, created);",
          "      return created;",
          "    };",
        ]
      : []),
  ];
}

function upLines(change: SchemaChange): string[] {
  switch (change.kind) {
    case "createCollection": {
      const c = change.collection;
      return [
        `// create "${c.name}"`,
        "app.save(",
        "  collection({",
        `    type: ${JSON.stringify(c.type)},`,
        `    name: ${JSON.stringify(c.name)},`,
        ...Object.entries(c.rules).map(([key, value]) => `    ${key}: ${JSON.stringify(value)},`),
        "    fields: [",
        ...c.fields.map((field) => `      ${fieldLiteral(field)},`),
        "    ],",
        `    indexes: ${JSON.stringify(c.indexes)},`,
        "  }),",
        ");",
      ];
    }
    case "deleteCollection":
      return [`// delete "${change.name}" and its records`, `app.delete(app.findCollectionByNameOrId(${JSON.stringify(change.name)}));`];
    case "updateCollection":
      return updateLines(change.name, {
        rules: Object.fromEntries(Object.entries(change.rules).map(([key, value]) => [key, value.after])),
        fields: change.fields.map((f) => f.after),
        removed: change.removed.map((f) => f.name),
        indexes: change.indexes?.after ?? null,
      });
  }
}

function downLines(change: SchemaChange): string[] {
  switch (change.kind) {
    case "createCollection":
      return [`app.delete(app.findCollectionByNameOrId(${JSON.stringify(change.collection.name)}));`];
    case "deleteCollection":
      return [`// recreate "${change.name}" (its records are gone)`, `app.save(collection(${collectionLiteral(change.before)}));`];
    case "updateCollection":
      return updateLines(change.name, {
        rules: Object.fromEntries(Object.entries(change.rules).map(([key, value]) => [key, value.before])),
        fields: [...change.fields.filter((f) => f.before).map((f) => f.before!), ...change.removed],
        removed: change.fields.filter((f) => !f.before).map((f) => f.after.name),
        indexes: change.indexes?.before ?? null,
      });
  }
}

function updateLines(
  name: string,
  change: { rules: Record<string, string | null | undefined>; fields: FieldJson[]; removed: string[]; indexes: string[] | null },
): string[] {
  const variable = `collection_${name.replace(/\W/g, "_")}`;
  const props: Record<string, unknown> = { ...change.rules };
  if (change.indexes) props.indexes = change.indexes;
  const lines = [`// update "${name}"`, `const ${variable} = app.findCollectionByNameOrId(${JSON.stringify(name)});`];
  if (Object.keys(props).length) lines.push(`unmarshal(${JSON.stringify(props)}, ${variable});`);
  for (const field of change.fields) lines.push(`${variable}.fields.add(field(${fieldLiteral(field)}));`);
  for (const removed of change.removed) lines.push(`${variable}.fields.removeByName(${JSON.stringify(removed)});`);
  lines.push(`app.save(${variable});`);
  return lines;
}

/** A field as an object literal for the engine: a relation's target becomes `collectionId: id("<name>")`. */
function fieldLiteral(field: FieldJson): string {
  const { collection, collectionId, id: _id, system: _system, ...rest } = field;
  void _id;
  void _system;
  const parts = Object.entries(rest).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  if (field.type === "relation") parts.push(`collectionId: id(${JSON.stringify(collection ?? collectionId)})`);
  return `{ ${parts.join(", ")} }`;
}

/** A whole collection as the engine had it, for recreating it in a down migration. */
function collectionLiteral(collection: CollectionJson): string {
  const { created: _created, updated: _updated, ...rest } = collection;
  void _created;
  void _updated;
  return JSON.stringify(rest);
}
