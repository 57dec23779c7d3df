/// <reference path="../.engine/types.d.ts" />
/// <reference path="../pb_hooks/jsvm-globals.d.ts" />
// Reference data every instance starts with.

migrate(
  (app) => {
    const { COLLECTIONS, DEFAULT_CATEGORIES } = require(`${__hooks}/lib/schema.js`) as typeof import("../pb_hooks/lib/schema");
    const categories = app.findCollectionByNameOrId(COLLECTIONS.categories);
    for (const name of DEFAULT_CATEGORIES) {
      const record = new Record(categories);
      record.set("name", name);
      app.save(record);
    }
  },
  (app) => {
    const { COLLECTIONS, DEFAULT_CATEGORIES } = require(`${__hooks}/lib/schema.js`) as typeof import("../pb_hooks/lib/schema");
    for (const name of DEFAULT_CATEGORIES) {
      const found = app.findRecordsByFilter(COLLECTIONS.categories, "name = {:name}", "", 1, 0, { name });
      for (const record of found) if (record) app.delete(record);
    }
  },
);
