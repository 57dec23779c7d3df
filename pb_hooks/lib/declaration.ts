// What a collection declaration is (pb_hooks/lib/collections.ts holds the declarations), and what follows
// from one: its API rules, the fields and indexes the engine should end up with, and the behaviour the
// hooks add. Pure and self-contained (no imports), so the JSVM hooks (via require) and Node (typegen, the
// migration writer, the auditor, tests) read the same facts.

/**
 * What a collection is for; the rules and the hooks follow from it.
 * - owned: each record belongs to the signed-in user in its owner field; only they see and change it.
 * - readOnly: reference data; signed-in users read it, superusers write it.
 * - private: superusers only (the dashboard and scripts).
 * - account: the auth collection itself; each user sees and changes only their own account; open sign-up.
 */
export type Policy = "owned" | "readOnly" | "private" | "account";

interface FieldBase {
  required?: boolean;
  presentable?: boolean;
  hidden?: boolean;
}

/** A declared field: the engine's field options, plus what the hooks add (`trim`). */
export type FieldDeclaration =
  | (FieldBase & { type: "text"; min?: number; max?: number; pattern?: string; trim?: boolean })
  | (FieldBase & { type: "editor"; maxSize?: number })
  | (FieldBase & { type: "number"; min?: number | null; max?: number | null; onlyInt?: boolean })
  | (FieldBase & { type: "bool" })
  | (FieldBase & { type: "email"; onlyDomains?: readonly string[]; exceptDomains?: readonly string[] })
  | (FieldBase & { type: "url"; onlyDomains?: readonly string[]; exceptDomains?: readonly string[] })
  | (FieldBase & { type: "date"; min?: string; max?: string })
  | (FieldBase & { type: "select"; values: readonly string[]; maxSelect?: number })
  | (FieldBase & { type: "relation"; collection: string; maxSelect?: number; minSelect?: number; cascadeDelete?: boolean })
  | (FieldBase & {
      type: "file";
      maxSelect?: number;
      maxSize?: number;
      mimeTypes?: readonly string[];
      thumbs?: readonly string[];
      protected?: boolean;
    })
  | (FieldBase & { type: "json"; maxSize?: number })
  | (FieldBase & { type: "geoPoint" });

export type FieldType = FieldDeclaration["type"];

/** An index: its columns expression (e.g. "owner, created" or "name COLLATE NOCASE"), unique or not. */
export interface IndexDeclaration {
  columns: string;
  unique?: boolean;
  where?: string;
}

export interface CollectionDeclaration {
  policy: Policy;
  /** For "owned": the relation to users that names the owner (default "owner"); the server sets it. */
  ownerField?: string;
  /** The fields a client writes, in order. id, the owner field and created/updated are added for you. */
  fields: Readonly<Record<string, FieldDeclaration>>;
  /** Extra indexes by name. "owned" collections also get idx_<name>_owner_created. */
  indexes?: Readonly<Record<string, IndexDeclaration>>;
  /** Reference records every instance has (readOnly/private collections); `npm run seed` ensures them. */
  records?: ReadonlyArray<Record<string, unknown>>;
}

export type Declarations = Readonly<Record<string, CollectionDeclaration>>;

/** The auth collection users sign up in (the engine's built-in one; its id is fixed by the engine). */
export const USERS = { name: "users", id: "_pb_users_auth_" } as const;

/** A signed-in regular user (superusers skip rules; other auth collections are excluded). */
const SIGNED_IN = '@request.auth.id != "" && @request.auth.collectionName = "users"';
/**
 * Ids are assigned by the server. A client-chosen id would be an existence oracle: creating with the id
 * of someone else's record fails ("not unique") where a fresh id succeeds. The rule refuses both alike.
 */
const SERVER_ASSIGNED_ID = "@request.body.id:isset = false";

export interface Rules {
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
}

/** The API rules of a collection (null: superusers only). Hooks add what rules cannot say. */
export function rulesFor(declaration: CollectionDeclaration): Rules {
  switch (declaration.policy) {
    case "owned": {
      const mine = `${SIGNED_IN} && ${ownerFieldOf(declaration)} = @request.auth.id`;
      // Who may own a record is enforced by the hooks on every write path (REST and batch): the server
      // sets the owner to the caller and refuses any other, or a change, with a 403 naming the field.
      return { listRule: mine, viewRule: mine, createRule: `${SIGNED_IN} && ${SERVER_ASSIGNED_ID}`, updateRule: mine, deleteRule: mine };
    }
    case "readOnly":
      return { listRule: SIGNED_IN, viewRule: SIGNED_IN, createRule: null, updateRule: null, deleteRule: null };
    case "private":
      return { listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null };
    case "account": {
      const self = "id = @request.auth.id";
      return { listRule: self, viewRule: self, createRule: SERVER_ASSIGNED_ID, updateRule: self, deleteRule: self };
    }
  }
}

export function ownerFieldOf(declaration: CollectionDeclaration): string {
  return declaration.ownerField ?? "owner";
}

/** Every field the collection has, declared or implied by its policy, in the engine's order. */
export function allFields(declaration: CollectionDeclaration): Record<string, FieldDeclaration> {
  const fields: Record<string, FieldDeclaration> = { ...declaration.fields };
  if (declaration.policy === "owned") {
    fields[ownerFieldOf(declaration)] = { type: "relation", collection: USERS.name, required: true, cascadeDelete: true };
  }
  return fields;
}

/** Fields the server sets and clients leave out (the owner of an owned record). */
export function serverSetFields(declaration: CollectionDeclaration): string[] {
  return declaration.policy === "owned" ? [ownerFieldOf(declaration)] : [];
}

/** Text fields the hooks trim before validation, so limits and uniqueness apply to what the user meant. */
export function trimmedFields(declaration: CollectionDeclaration): string[] {
  return Object.entries(declaration.fields)
    .filter(([, field]) => field.type === "text" && field.trim === true)
    .map(([name]) => name);
}

/** Every index as the engine writes it ("CREATE [UNIQUE] INDEX `name` ON `collection` (columns) [WHERE ...]"). */
export function indexesFor(name: string, declaration: CollectionDeclaration): string[] {
  const indexes: Record<string, IndexDeclaration> = {};
  if (declaration.policy === "owned") indexes[`idx_${name}_owner_created`] = { columns: `${ownerFieldOf(declaration)}, created` };
  Object.assign(indexes, declaration.indexes ?? {});
  return Object.entries(indexes).map(
    ([index, spec]) =>
      `CREATE ${spec.unique ? "UNIQUE " : ""}INDEX \`${index}\` ON \`${name}\` (${spec.columns})${spec.where ? ` WHERE ${spec.where}` : ""}`,
  );
}

/** Collections whose records users own, with their owner field: what the owner hooks guard. */
export function ownedCollections(declarations: Declarations): Record<string, string> {
  const owned: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(declarations)) {
    if (declaration.policy === "owned") owned[name] = ownerFieldOf(declaration);
  }
  return owned;
}
