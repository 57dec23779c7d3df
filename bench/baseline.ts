// The baseline engine: same binary, same collections, fields and indexes as ours, but every API rule
// open ("") and no hooks at all. What it can do is the engine's own limit for our data shape.

/** A collection as GET /api/collections returns it (only the keys the bench touches are typed). */
export interface CollectionJson {
  id: string;
  name: string;
  type: string;
  system: boolean;
  [key: string]: unknown;
}

const RECORD_RULES = ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"] as const;

/**
 * Copies of the project's own (non-system) collections with every API rule opened to "", so the
 * baseline does the same storage work with no rule evaluation. Auth collections keep superuser-only
 * management (manageRule null) and an open authRule.
 */
export function openCollections(collections: readonly CollectionJson[]): CollectionJson[] {
  return collections
    .filter((collection) => !collection.system)
    .map((collection) => {
      const open: CollectionJson = structuredClone(collection);
      for (const rule of RECORD_RULES) open[rule] = "";
      if (open.type === "auth") {
        open.authRule = "";
        open.manageRule = null;
      }
      return open;
    });
}
