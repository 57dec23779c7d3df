// Valid field values for any collection, from its field definitions: what the auditor writes as the
// users it plays, so it can probe a collection nobody told it about.
import type { EngineCollection, EngineField } from "../engine/collectionJson.js";

/** Picks related record ids for a relation field (null: nothing the writer may link to). */
export type RelationPicker = (field: Extract<EngineField, { type: "relation" }>) => string | null;

/** Fields the engine or the client never writes in a plain create/update. */
export function writable(field: EngineField): boolean {
  return !field.system && !field.hidden && field.type !== "autodate" && field.type !== "file" && field.type !== "password";
}

/**
 * A value the engine accepts for `field`, different for each `variant` (so two states of the same
 * record differ in every field). Undefined when the auditor cannot make one (a text pattern it cannot
 * satisfy, nothing to relate to): an optional field is then left out.
 */
export function valueFor(field: EngineField, variant: string, pickRelation: RelationPicker): unknown {
  switch (field.type) {
    case "text": {
      if (field.pattern) {
        const candidate = `${variant}`.replace(/[^a-z0-9]/gi, "").toLowerCase() || "a";
        try {
          if (new RegExp(field.pattern).test(candidate)) return fit(candidate, field.min, field.max);
        } catch {
          return undefined;
        }
        return undefined;
      }
      return fit(`probe ${variant}`, field.min, field.max);
    }
    case "editor":
      return `<p>probe ${variant}</p>`;
    case "email":
      return `probe-${variant.replace(/[^a-z0-9]/gi, "").toLowerCase()}@example.com`;
    case "url":
      return `https://example.com/${encodeURIComponent(variant)}`;
    case "number": {
      const min = field.min ?? 0;
      const max = field.max ?? min + 1000;
      const span = Math.max(0, max - min);
      const offset = (hash(variant) % 1000) / 1000;
      const value = min + span * offset;
      return field.onlyInt ? Math.floor(value) : value;
    }
    case "bool":
      return field.required ? true : hash(variant) % 2 === 0;
    case "date":
      return `2024-01-${String(1 + (hash(variant) % 28)).padStart(2, "0")} 03:04:05.000Z`;
    case "select": {
      if (field.values.length === 0) return undefined;
      const value = field.values[hash(variant) % field.values.length]!;
      return field.maxSelect > 1 ? [value] : value;
    }
    case "relation": {
      const id = pickRelation(field);
      if (!id) return undefined;
      return field.maxSelect > 1 ? [id] : id;
    }
    case "json":
      return { probe: variant };
    case "geoPoint":
      return { lon: (hash(variant) % 180) - 90, lat: (hash(variant) % 90) - 45 };
    default:
      return undefined;
  }
}

/** Pads or trims text to the field's length limits (max 0 means the engine's default of 5,000). */
function fit(text: string, min: number, max: number): string {
  const limit = max > 0 ? max : 5000;
  let out = text;
  while (out.length < min) out += ` ${text}`;
  return out.slice(0, limit);
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** Collections ordered so that relation targets come first (cycles keep their original order). */
export function seedOrder(collections: EngineCollection[]): EngineCollection[] {
  const ordered: EngineCollection[] = [];
  const visiting = new Set<string>();
  const visit = (collection: EngineCollection) => {
    if (ordered.includes(collection) || visiting.has(collection.id)) return;
    visiting.add(collection.id);
    for (const field of collection.fields) {
      if (field.type !== "relation") continue;
      const target = collections.find((c) => c.id === field.collectionId);
      if (target) visit(target);
    }
    ordered.push(collection);
  };
  collections.forEach(visit);
  return ordered;
}
