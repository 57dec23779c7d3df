// Every path a client can name from a collection: its own fields, fields behind its relations, and
// fields behind back-relations (`<other>_via_<field>`), up to two relations deep. Derived from the live
// schema only, so a collection someone adds later is covered without editing anything.
import type { EngineCollection, EngineField } from "../engine/collectionJson.js";

/** One path from a collection to a field, e.g. ["todos_via_category", "owner", "email"]. */
export interface FieldPath {
  segments: string[];
  /** The collection the last segment belongs to, and that field. */
  collection: EngineCollection;
  field: EngineField;
  /** The relation segments (forward or back) in order; for expand. */
  relations: string[];
}

/** Fields a client may never name at all (hidden ones are refused by the engine itself). */
function nameable(field: EngineField): boolean {
  return !field.hidden && field.type !== "password";
}

/**
 * The paths from `from`, at most `maxRelations` relations deep. Back-relations are listed for every
 * relation field (in any collection) that points at a collection on the way.
 */
export function fieldPaths(from: EngineCollection, all: readonly EngineCollection[], maxRelations = 2): FieldPath[] {
  const byId = new Map(all.map((c) => [c.id, c]));
  const paths: FieldPath[] = [];
  const walk = (collection: EngineCollection, prefix: string[], relations: string[]) => {
    for (const field of collection.fields.filter(nameable)) {
      paths.push({ segments: [...prefix, field.name], collection, field, relations });
      if (field.type === "relation" && relations.length < maxRelations) {
        const target = byId.get(field.collectionId);
        if (target) walk(target, [...prefix, field.name], [...relations, field.name]);
      }
    }
    if (relations.length >= maxRelations) return;
    for (const other of all) {
      for (const field of other.fields) {
        if (field.type !== "relation" || field.collectionId !== collection.id || field.hidden) continue;
        const back = `${other.name}_via_${field.name}`;
        walk(other, [...prefix, back], [...relations, back]);
      }
    }
  };
  walk(from, [], []);
  return paths;
}

/** The distinct relation chains among the paths (what `expand` can name), shortest first. */
export function relationChains(paths: readonly FieldPath[]): string[] {
  const chains = new Set<string>();
  for (const path of paths) {
    for (let depth = 1; depth <= path.relations.length; depth++) chains.add(path.relations.slice(0, depth).join("."));
  }
  return [...chains].sort((a, b) => a.split(".").length - b.split(".").length || a.localeCompare(b));
}
