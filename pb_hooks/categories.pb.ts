/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// Categories are reference data: superusers edit them, users only read them.

// Trim names so " Urgent " cannot sneak past the case-insensitive unique index.
onRecordValidate((e) => {
  const { trimTextField } = require(`${__hooks}/lib/records.js`) as typeof import("./lib/records");
  trimTextField(e.record!, "name");
  e.next();
}, "categories");

// Refuse to delete a category that todos still use, with a message that says so (any delete path).
onRecordDelete((e) => {
  const inUse = e.app.countRecords("todos", $dbx.hashExp({ category: e.record!.id }));
  if (inUse > 0) {
    throw new BadRequestError(
      `Category "${e.record!.get("name")}" is used by ${inUse} todo(s); move or delete them first.`,
      { id: new ValidationError("category_in_use", "The category is still used by todos.") },
    );
  }
  e.next();
}, "categories");
