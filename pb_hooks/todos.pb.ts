/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// Owner-only todos: what the API rules in lib/schema.ts cannot express on their own.
// Each handler runs isolated in the JSVM: shared code is require()d inside it.

// Trim the task on every save (API, dashboard, scripts) before the length checks run.
onRecordValidate((e) => {
  const { trimTextField } = require(`${__hooks}/lib/records.js`) as typeof import("./lib/records");
  trimTextField(e.record!, "task");
  e.next();
}, "todos");

// The owner of a new todo is whoever creates it. The create rule already refused a foreign owner;
// this makes an omitted owner the caller. Superusers may create todos for anyone.
// Why a spoofed owner gets the engine's generic 400 "Failed to create record." and not a named field
// error: the rule runs before any record hook, and the only earlier JS hook point is a global
// routerUse middleware, which would hold a pooled JS runtime for the whole request (realtime streams
// included) and drain the pool. The rule stays the backstop; the README documents the message.
onRecordCreateRequest((e) => {
  if (!e.hasSuperuserAuth()) {
    if (!e.auth) throw new UnauthorizedError("Sign in to create todos.");
    e.record!.set("owner", e.auth.id);
  }
  e.next();
}, "todos");

// Backstop for the update rule: only a superuser may move a todo to another owner.
onRecordUpdateRequest((e) => {
  if (!e.hasSuperuserAuth()) {
    const { fieldError } = require(`${__hooks}/lib/records.js`) as typeof import("./lib/records");
    const before = e.record!.original().get("owner");
    if (e.record!.get("owner") !== before) throw fieldError("owner", "owner_immutable", "The owner of a todo cannot be changed.");
  }
  e.next();
}, "todos");

// A batch upsert with an id looks the id up in the whole table, then updates (a foreign record: 404)
// or creates (the create rule refuses client ids: 400). Two different refusals would tell a caller
// whether someone else's record exists, so for non-superusers an upsert with an id must name a record
// they may update; every other id gets the same answer. (Applies to every collection, not only todos.)
onBatchRequest((e) => {
  if (!e.hasSuperuserAuth()) {
    const { batchUpsertTarget, fieldError } = require(`${__hooks}/lib/records.js`) as typeof import("./lib/records");
    const info = e.requestInfo();
    for (const request of e.batch) {
      const target = request ? batchUpsertTarget(request) : null;
      if (!target) continue;
      let allowed = false;
      try {
        const collection = e.app.findCachedCollectionByNameOrId(target.collection);
        const record = e.app.findRecordById(collection, target.id);
        allowed = e.app.canAccessRecord(record, info, collection.updateRule as string);
      } catch {
        allowed = false; // missing collection or record: answer exactly like a foreign one
      }
      if (!allowed) {
        throw fieldError("id", "upsert_not_allowed", "An upsert with an id can only update a record of yours; leave the id out to create one.");
      }
    }
  }
  e.next();
});
