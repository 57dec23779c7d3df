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
