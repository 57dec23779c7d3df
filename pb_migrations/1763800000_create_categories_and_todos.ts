/// <reference path="../.engine/types.d.ts" />
/// <reference path="../pb_hooks/jsvm-globals.d.ts" />
// Schema: categories (read-only reference data) and todos (owner-only), with their indexes.

migrate(
  (app) => {
    const { COLLECTIONS, LIMITS, RULES, USERS_COLLECTION_ID } = require(`${__hooks}/lib/schema.js`) as typeof import("../pb_hooks/lib/schema");

    // The built-in users collection: pin its rules explicitly so they are reviewed here, not assumed.
    const users = app.findCollectionByNameOrId(USERS_COLLECTION_ID);
    unmarshal(RULES.users, users);
    // Avatars are the user's own data: serve them only with a file token of someone who may view the
    // user record (the user themselves, or a superuser), not to anyone who learns the URL.
    const avatar = users.fields.getByName("avatar");
    if (avatar) unmarshal({ protected: true }, avatar);
    app.save(users);

    const categories = new Collection({ type: "base", name: COLLECTIONS.categories });
    unmarshal(RULES.categories, categories);
    categories.fields.add(
      new TextField({ name: "name", required: true, min: 1, max: LIMITS.categoryNameMax, presentable: true }),
      new AutodateField({ name: "created", onCreate: true }),
      new AutodateField({ name: "updated", onCreate: true, onUpdate: true }),
    );
    categories.addIndex("idx_categories_name", true, "name COLLATE NOCASE", "");
    app.save(categories);

    const todos = new Collection({ type: "base", name: COLLECTIONS.todos });
    unmarshal(RULES.todos, todos);
    todos.fields.add(
      new TextField({ name: "task", required: true, min: 1, max: LIMITS.taskMax, presentable: true }),
      new BoolField({ name: "done" }),
      new RelationField({ name: "category", collectionId: categories.id, maxSelect: 1, required: true, cascadeDelete: false }),
      new RelationField({ name: "owner", collectionId: USERS_COLLECTION_ID, maxSelect: 1, required: true, cascadeDelete: true }),
      new AutodateField({ name: "created", onCreate: true }),
      new AutodateField({ name: "updated", onCreate: true, onUpdate: true }),
    );
    // Every user-facing query is owner-scoped (the list rule adds owner = caller): these keep a user's
    // list, newest first, and their open/done list, newest first, on an index at millions of rows
    // (test/settings.test.ts checks the plans of the engine's own queries).
    todos.addIndex("idx_todos_owner_created", false, "owner, created", "");
    todos.addIndex("idx_todos_owner_done_created", false, "owner, done, created", "");
    // Used by the "category still in use" check and by category filters.
    todos.addIndex("idx_todos_category", false, "category", "");
    app.save(todos);
  },
  (app) => {
    const { COLLECTIONS } = require(`${__hooks}/lib/schema.js`) as typeof import("../pb_hooks/lib/schema");
    app.delete(app.findCollectionByNameOrId(COLLECTIONS.todos));
    app.delete(app.findCollectionByNameOrId(COLLECTIONS.categories));
  },
);
