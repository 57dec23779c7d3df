// What differs between the declared collections and the schema the migrations produced: the list of
// changes a new migration must make. Empty means the declaration and the database agree.
import type { Rules } from "../../pb_hooks/lib/declaration.js";
import { managedKeys, type CollectionJson, type ExpectedCollection, type FieldJson } from "./expected.js";

export type SchemaChange =
  | { kind: "createCollection"; collection: ExpectedCollection }
  | { kind: "deleteCollection"; name: string; before: CollectionJson }
  | {
      kind: "updateCollection";
      name: string;
      /** Rules that change: new value, and the value before (for the down migration). */
      rules: Partial<Record<keyof Rules, { after: string | null; before: string | null }>>;
      /** Fields added or whose managed options change (after: declared; before: as the engine has it, or null). */
      fields: Array<{ after: FieldJson; before: FieldJson | null }>;
      /** Fields to remove (as the engine has them, for the down migration). */
      removed: FieldJson[];
      indexes: { after: string[]; before: string[] } | null;
    };

const RULE_KEYS = ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"] as const;

/**
 * The changes that turn `actual` (every collection of a migrated engine) into `expected`. System
 * collections are never touched; a non-system collection that is not declared is deleted.
 */
export function diffSchema(expected: readonly ExpectedCollection[], actual: readonly CollectionJson[]): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const idToName = new Map(actual.map((c) => [c.id, c.name]));
  for (const want of expected) {
    const have = actual.find((c) => c.name === want.name);
    if (!have) {
      changes.push({ kind: "createCollection", collection: want });
      continue;
    }
    const update = diffCollection(want, have, idToName);
    if (update) changes.push(update);
  }
  for (const have of actual) {
    if (have.system || have.name.startsWith("_")) continue;
    if (!expected.some((c) => c.name === have.name)) changes.push({ kind: "deleteCollection", name: have.name, before: have });
  }
  return changes;
}

function diffCollection(want: ExpectedCollection, have: CollectionJson, idToName: Map<string, string>): SchemaChange | null {
  const rules: Extract<SchemaChange, { kind: "updateCollection" }>["rules"] = {};
  for (const key of RULE_KEYS) {
    const before = have[key] ?? null;
    if (before !== want.rules[key]) rules[key] = { after: want.rules[key], before };
  }
  const haveFields = have.fields.filter((f) => !f.system).map((f) => withTargetName(f, idToName));
  const fields: Array<{ after: FieldJson; before: FieldJson | null }> = [];
  for (const field of want.fields) {
    const current = haveFields.find((f) => f.name === field.name);
    if (!current || current.type !== field.type || managedKeys(field.type).some((key) => !same(current[key], field[key]))) {
      fields.push({ after: field, before: current ?? null });
    }
  }
  const removed = haveFields.filter((f) => !want.fields.some((w) => w.name === f.name));
  const normalize = (list: readonly string[]) => list.map((i) => i.replace(/\s+/g, " ").trim()).sort();
  const indexes = same(normalize(want.indexes), normalize(have.indexes)) ? null : { after: want.indexes, before: have.indexes };
  if (Object.keys(rules).length === 0 && fields.length === 0 && removed.length === 0 && !indexes) return null;
  return { kind: "updateCollection", name: want.name, rules, fields, removed, indexes };
}

/** A relation field with its target as a collection name (`collection`), like the declaration says it. */
function withTargetName(field: FieldJson, idToName: Map<string, string>): FieldJson {
  if (field.type !== "relation") return field;
  return { ...field, collection: idToName.get(String(field.collectionId)) ?? String(field.collectionId) };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** One line per change, for people: what a migration would do. */
export function describeChanges(changes: readonly SchemaChange[]): string[] {
  return changes.map((change) => {
    switch (change.kind) {
      case "createCollection":
        return `create collection "${change.collection.name}" (${change.collection.fields.map((f) => f.name).join(", ")})`;
      case "deleteCollection":
        return `DELETE collection "${change.name}" and all of its records`;
      case "updateCollection": {
        const parts = [
          ...Object.keys(change.rules).map((rule) => `${rule}`),
          ...change.fields.map((f) => (f.before ? `field ${f.after.name} changed` : `field ${f.after.name} added`)),
          ...change.removed.map((f) => `field ${f.name} REMOVED with its data`),
          ...(change.indexes ? ["indexes"] : []),
        ];
        return `update collection "${change.name}": ${parts.join(", ")}`;
      }
    }
  });
}
