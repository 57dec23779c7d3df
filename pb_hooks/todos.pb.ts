/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// Owner-only todos: what the API rules in lib/schema.ts cannot express on their own.
// Each handler runs isolated in the JSVM: shared code is require()d inside it.

// One JS handler per write request (not also a model hook): handlers nest inside e.next(), and every
// handler holds a pooled JS runtime, so fewer handlers keep busy servers off throwaway runtimes.

// Create: trim the task (limits apply to what the user meant), and make the caller the owner. An
// omitted owner becomes the caller; any other owner is refused with a 403 naming the field (a list, a
// "+"/"-" modifier, anything: the value the engine would store is what is checked). Superusers may
// create todos for anyone.
onRecordCreateRequest((e) => {
  const { fieldError, trimTextField } = require(`${__hooks}/lib/records.js`) as typeof import("./lib/records");
  trimTextField(e.record!, "task");
  if (!e.hasSuperuserAuth()) {
    if (!e.auth) throw new UnauthorizedError("Sign in to create todos.");
    const sent = e.record!.get("owner");
    if (sent && sent !== e.auth.id) {
      throw fieldError("owner", "owner_forbidden", "You can only create todos that you own; leave owner out.", 403);
    }
    e.record!.set("owner", e.auth.id);
  }
  e.next();
}, "todos");

// Update: trim the task, and only a superuser may move a todo to another owner. (The update rule
// already limits updates to the owner's own todos, so the owner gets a clear 403, not a silent change.)
onRecordUpdateRequest((e) => {
  const { fieldError, trimTextField } = require(`${__hooks}/lib/records.js`) as typeof import("./lib/records");
  trimTextField(e.record!, "task");
  if (!e.hasSuperuserAuth() && e.record!.get("owner") !== e.record!.original().get("owner")) {
    throw fieldError("owner", "owner_immutable", "The owner of a todo cannot be changed.", 403);
  }
  e.next();
}, "todos");
