// What pb_hooks/records.pb.ts does to writes, for every declared collection (JSVM only). Each rule
// follows from the collection's declaration (lib/collections.ts), never from its name.

import type { CollectionDeclaration, Declarations } from "./declaration.js";

// lib modules load each other through __hooks: the JSVM resolves relative paths from the working dir.
const { COLLECTIONS } = require(`${__hooks}/lib/collections.js`) as typeof import("./collections");
const declaration = require(`${__hooks}/lib/declaration.js`) as typeof import("./declaration");
const DECLARED: Declarations = COLLECTIONS;

/** Collections whose creates and updates need a hook (owner, trimming, guarded relations, emails). */
export function writeHookCollections(): string[] {
  return Object.entries(DECLARED)
    .filter(
      ([, d]) =>
        d.policy === "owned" || d.policy === "account" || declaration.trimmedFields(d).length > 0 || guardedRelations(d).length > 0,
    )
    .map(([name]) => name);
}

/** Collections that required, non-cascading relations point at: deleting a referenced record is refused. */
export function referencedCollections(): string[] {
  return [...new Set(referencesTo().map((r) => r.target))];
}

/** Create: trim, make the caller the owner, check relation targets, store emails lowercase. */
export function beforeCreate(e: core.RecordRequestEvent): void {
  const d = DECLARED[e.collection!.name];
  if (!d) return;
  const record = e.record!;
  trim(record, declaration.trimmedFields(d));
  if (d.policy === "account") {
    const email = record.email();
    if (email && email !== email.toLowerCase()) record.setEmail(email.toLowerCase());
  }
  if (e.hasSuperuserAuth()) return;
  if (d.policy === "owned") {
    const owner = declaration.ownerFieldOf(d);
    if (!e.auth) throw new UnauthorizedError("Sign in first.");
    // An omitted owner becomes the caller; any other value (another id, a list, a +/- modifier: the
    // value the engine would store is what is checked) is refused with a 403 that names the field.
    const sent: unknown = record.get(owner);
    if (sent && sent !== e.auth.id) {
      throw fieldError(403, owner, "owner_forbidden", `You can only create records that you own; leave "${owner}" out.`);
    }
    record.set(owner, e.auth.id);
  }
  checkRelationTargets(e, d, "Failed to create record.");
}

/**
 * After a create: a sign-up where only verified users may sign in (PB_REQUIRE_VERIFIED_EMAIL: the auth
 * rule is "verified = true") sends the verification email at once; without it the new user could not
 * sign in and would not know why. A failed send is logged; the account stays created either way.
 */
export function afterCreate(e: core.RecordRequestEvent): void {
  const d = DECLARED[e.collection!.name];
  const record = e.record!;
  if (d?.policy !== "account" || e.hasSuperuserAuth() || record.verified()) return;
  if (!(e.collection!.authRule ?? "").includes("verified")) return;
  try {
    $mails.sendRecordVerification(e.app, record);
  } catch (error) {
    e.app.logger().error("Could not send the verification email after a sign-up", "error", String(error));
  }
}

/** Update: trim, keep the owner, check changed relation targets. */
export function beforeUpdate(e: core.RecordRequestEvent): void {
  const d = DECLARED[e.collection!.name];
  if (!d) return;
  const record = e.record!;
  trim(record, declaration.trimmedFields(d));
  if (e.hasSuperuserAuth()) return;
  if (d.policy === "owned") {
    const owner = declaration.ownerFieldOf(d);
    // The update rule already limits updates to the owner's own records, so this is the owner trying to
    // give a record away: a clear 403, not a silent change.
    if (record.get(owner) !== record.original().get(owner)) {
      throw fieldError(403, owner, "owner_immutable", `The "${owner}" of a record cannot be changed.`);
    }
  }
  checkRelationTargets(e, d, "Failed to update record.");
}

/** Delete: refused with a clear message while required relations of other records point here. */
export function refuseDeleteInUse(e: core.RecordEvent): void {
  const record = e.record!;
  for (const ref of referencesTo().filter((r) => r.target === record.collection().name)) {
    const count = e.app.countRecords(ref.collection, $dbx.hashExp({ [ref.field]: record.id }));
    if (count > 0) {
      const label = String(record.get(presentableField(record.collection().name) ?? "id"));
      const message = `"${label}" is used by ${count} ${ref.collection} record(s); move or delete them first.`;
      throw new BadRequestError(message, { id: new ValidationError("record_in_use", message) });
    }
  }
}

function trim(record: core.Record, fields: string[]): void {
  for (const field of fields) {
    const value: unknown = record.get(field);
    if (typeof value === "string" && value !== value.trim()) record.set(field, value.trim());
  }
}

/**
 * A relation may only point at records the caller may view. Otherwise a user could link to someone
 * else's record by id and learn from the answer that it exists. An id the caller may not view gets
 * exactly the engine's answer for an id that does not exist.
 */
function checkRelationTargets(e: core.RecordRequestEvent, d: CollectionDeclaration, failure: string): void {
  const record = e.record!;
  const isUpdate = !record.isNew();
  let info: core.RequestInfo | null = null;
  for (const field of guardedRelations(d)) {
    const value: unknown = record.get(field.name);
    const before: unknown = isUpdate ? record.original().get(field.name) : null;
    if (isUpdate && JSON.stringify(value) === JSON.stringify(before)) continue;
    const ids = (Array.isArray(value) ? value : [value]).filter((id): id is string => typeof id === "string" && id !== "");
    if (ids.length === 0) continue;
    info ??= e.requestInfo();
    const target = e.app.findCachedCollectionByNameOrId(field.target);
    for (const id of ids) {
      let visible: boolean;
      try {
        visible = e.app.canAccessRecord(e.app.findRecordById(target, id), info, target.viewRule as string);
      } catch {
        visible = false;
      }
      if (!visible) {
        throw new BadRequestError(failure, {
          [field.name]: new ValidationError("validation_missing_rel_records", "Failed to find all relation records with the provided ids"),
        });
      }
    }
  }
}

/** Relations (other than the owner) whose targets not everyone signed in may view. */
function guardedRelations(d: CollectionDeclaration): Array<{ name: string; target: string }> {
  const owner = d.policy === "owned" ? declaration.ownerFieldOf(d) : null;
  return Object.entries(d.fields)
    .filter(([name, field]) => field.type === "relation" && name !== owner)
    .map(([name, field]) => ({ name, target: (field as { collection: string }).collection }))
    .filter(({ target }) => DECLARED[target]?.policy !== "readOnly");
}

/** Every required, non-cascading relation (the ones that block deleting their target). */
function referencesTo(): Array<{ collection: string; field: string; target: string }> {
  const refs: Array<{ collection: string; field: string; target: string }> = [];
  for (const [name, d] of Object.entries(DECLARED)) {
    for (const [fieldName, field] of Object.entries(declaration.allFields(d))) {
      if (field.type === "relation" && field.required && !field.cascadeDelete)
        refs.push({ collection: name, field: fieldName, target: field.collection });
    }
  }
  return refs;
}

function presentableField(collection: string): string | null {
  const d = DECLARED[collection];
  const found = d ? Object.entries(d.fields).find(([, field]) => field.presentable) : undefined;
  return found ? found[0] : null;
}

/** An error whose body names the field and the reason, like the engine's own validation errors. */
function fieldError(status: 400 | 403, field: string, code: string, message: string): ApiError {
  return new ApiError(status, message, { [field]: new ValidationError(code, message) });
}
