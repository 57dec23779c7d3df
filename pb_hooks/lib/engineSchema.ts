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
