// A declaration (pb_hooks/lib/collections.ts) as the engine should hold it: the collection JSON keys we
// manage, with the engine's defaults filled in, so it can be compared with what migrations produced.
import {
  allFields,
  indexesFor,
  rulesFor,
  type CollectionDeclaration,
  type Declarations,
  type FieldDeclaration,
  type Rules,
  USERS,
} from "../../pb_hooks/lib/declaration.js";

/** A field as the engine serializes it; relations name their target by collection *name* here. */
export type FieldJson = Record<string, unknown> & { name: string; type: string };

/** A collection as the engine serializes it (GET /api/collections), loosely typed. */
export interface CollectionJson extends Partial<Rules> {
  id: string;
  name: string;
  type: "base" | "auth" | "view";
  system: boolean;
  fields: FieldJson[];
  indexes: string[];
  [key: string]: unknown;
}

export interface ExpectedCollection {
  name: string;
  type: "base" | "auth";
  rules: Rules;
  /** Non-system fields, in order, with every managed option; relations carry `collection` (a name). */
  fields: FieldJson[];
  indexes: string[];
}

/** The options the migration writer manages for each field type, with the engine's defaults. */
const MANAGED: Record<string, Record<string, unknown>> = {
  common: { required: false, presentable: false, hidden: false },
  text: { min: 0, max: 0, pattern: "" },
  editor: { maxSize: 0 },
  number: { min: null, max: null, onlyInt: false },
  bool: {},
  email: { onlyDomains: [], exceptDomains: [] },
  url: { onlyDomains: [], exceptDomains: [] },
  date: { min: "", max: "" },
  select: { values: [], maxSelect: 1 },
  relation: { collection: "", maxSelect: 1, minSelect: 0, cascadeDelete: false },
  file: { maxSelect: 1, maxSize: 0, mimeTypes: [], thumbs: [], protected: false },
  json: { maxSize: 0 },
  geoPoint: {},
  autodate: { onCreate: false, onUpdate: false },
};

/** The option keys compared for a field type (besides name and type); autodates have no `required`. */
export function managedKeys(type: string): string[] {
  const common = Object.keys(MANAGED.common!).filter((key) => type !== "autodate" || key !== "required");
  return [...common, ...Object.keys(MANAGED[type] ?? {})];
}

/** Every collection gets these two, last, like collections made in the dashboard. */
const AUTODATES: FieldJson[] = [
  { name: "created", type: "autodate", presentable: false, hidden: false, onCreate: true, onUpdate: false },
  { name: "updated", type: "autodate", presentable: false, hidden: false, onCreate: true, onUpdate: true },
];

function fieldJson(name: string, declared: FieldDeclaration): FieldJson {
  const { type, ...options } = declared as FieldDeclaration & Record<string, unknown>;
  delete options.trim; // ours, not the engine's
  return { name, type, ...MANAGED.common, ...MANAGED[type], ...options };
}

export function expectedCollection(name: string, declaration: CollectionDeclaration): ExpectedCollection {
  const fields = Object.entries(allFields(declaration)).map(([fieldName, field]) => fieldJson(fieldName, field));
  return {
    name,
    type: declaration.policy === "account" ? "auth" : "base",
    rules: rulesFor(declaration),
    fields: [...fields, ...AUTODATES],
    indexes: declaration.policy === "account" ? accountIndexes(name) : indexesFor(name, declaration),
  };
}

/** The auth collection's own unique indexes (named by the engine after its id); email ignores case. */
function accountIndexes(name: string): string[] {
  return [
    `CREATE UNIQUE INDEX \`idx_tokenKey_${USERS.id}\` ON \`${name}\` (\`tokenKey\`)`,
    `CREATE UNIQUE INDEX \`idx_email_${USERS.id}\` ON \`${name}\` (\`email\` COLLATE NOCASE) WHERE \`email\` != ''`,
  ];
}

export function expectedCollections(declarations: Declarations): ExpectedCollection[] {
  return Object.entries(declarations).map(([name, declaration]) => expectedCollection(name, declaration));
}
