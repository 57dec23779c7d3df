// Adapters between the engine's live objects and the pure helpers in this folder (JSVM only).

import type { FieldLookup } from "./queryGuard.js";

/** The query guard's view of the live schema, read from the engine's collection cache. */
export function engineFieldLookup(app: CoreApp): FieldLookup {
  return (collectionName, fieldName) => {
    let collection: core.Collection;
    try {
      collection = app.findCachedCollectionByNameOrId(collectionName);
    } catch {
      return null;
    }
    const field = collection.fields.getByName(fieldName);
    if (!field) return null;
    const type = field.type();
    if (type === "relation") {
      const relation = field as core.RelationField;
      return { target: relation.collectionId, multiple: relation.isMultiple() };
    }
    return type === "json" || type === "geoPoint" ? "json" : "other";
  };
}

/**
 * Whether the request's Authorization header carries a valid superuser token. For code that runs
 * before the engine loads `e.auth` (the first-of-all middleware), on its rare paths only.
 */
export function hasSuperuserToken(e: core.RequestEvent): boolean {
  const header = e.request!.header.get("Authorization");
  const token = header.replace(/^Bearer\s+/i, "");
  if (!token) return false;
  try {
    return e.app.findAuthRecordByToken(token, "auth").collection().name === "_superusers";
  } catch {
    return false; // invalid or expired: a guest, like the engine treats it
  }
}

/**
 * The values of `keys` in a URL query string ("a=1&filter=..."), for query strings the engine parses with
 * Go's url.ParseQuery where this code cannot call it (realtime topics, batch item URLs). Anything the two
 * parsers could read differently is refused instead of guessed: a pair holding ";" (Go drops it), a
 * value that does not decode, or a key given twice. Returns null then.
 */
export function strictQuery<K extends string>(rawQuery: string, keys: readonly K[]): Record<K, string | null> | null {
  const values = Object.fromEntries(keys.map((key) => [key, null])) as Record<K, string | null>;
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    if (pair.includes(";")) return null;
    const eq = pair.indexOf("=");
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? "" : pair.slice(eq + 1));
    if (name === null || value === null) return null;
    if ((keys as readonly string[]).includes(name)) {
      if (values[name as K] !== null) return null;
      values[name as K] = value;
    }
  }
  return values;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return null;
  }
}
