/// <reference path="../.engine/types.d.ts" />
// Reference data every instance starts with (`npm run seed` ensures the same names again).

migrate(
  (app) => {
    const categories = app.findCollectionByNameOrId("categories");
    for (const name of ["Urgent", "Non-urgent"]) {
      const record = new Record(categories);
      record.set("name", name);
      app.save(record);
    }
  },
  (app) => {
    for (const name of ["Urgent", "Non-urgent"]) {
      const found = app.findRecordsByFilter("categories", "name = {:name}", "", 1, 0, { name });
      for (const record of found) if (record) app.delete(record);
    }
  },
);
