/// <reference path="../.engine/types.d.ts" />
// Schema: categories (read-only reference data) and todos (owner-only), with their indexes.
// Every value is written out here: a migration applies the same thing on every database, forever.
// (Until 2026-12 this file read its values from pb_hooks/lib/schema.ts at run time; these are the same
// values, so databases migrated before and after apply an identical schema.)

migrate(
  (app) => {
    const signedInUser = '@request.auth.id != "" && @request.auth.collectionName = "users"';
    const isOwner = `${signedInUser} && owner = @request.auth.id`;
    const serverAssignedId = "@request.body.id:isset = false";

    // The built-in users collection: pin its rules explicitly so they are reviewed here, not assumed.
    const users = app.findCollectionByNameOrId("_pb_users_auth_");
    unmarshal(
      {
        listRule: "id = @request.auth.id",
        viewRule: "id = @request.auth.id",
        createRule: serverAssignedId, // open sign-up
        updateRule: "id = @request.auth.id",
        deleteRule: "id = @request.auth.id",
        manageRule: null,
      },
      users,
    );
    // Avatars are the user's own data: serve them only with a file token of someone who may view the
    // user record (the user themselves, or a superuser), not to anyone who learns the URL.
    const avatar = users.fields.getByName("avatar");
    if (avatar) unmarshal({ protected: true }, avatar);
    app.save(users);

    const categories = new Collection({ type: "base", name: "categories" });
    unmarshal({ listRule: signedInUser, viewRule: signedInUser, createRule: null, updateRule: null, deleteRule: null }, categories);
    categories.fields.add(
      new TextField({ name: "name", required: true, min: 1, max: 50, presentable: true }),
      new AutodateField({ name: "created", onCreate: true }),
      new AutodateField({ name: "updated", onCreate: true, onUpdate: true }),
    );
    categories.addIndex("idx_categories_name", true, "name COLLATE NOCASE", "");
    app.save(categories);

    const todos = new Collection({ type: "base", name: "todos" });
    unmarshal(
      {
        listRule: isOwner,
        viewRule: isOwner,
        createRule: `${signedInUser} && ${serverAssignedId}`,
        updateRule: isOwner,
        deleteRule: isOwner,
      },
      todos,
    );
    todos.fields.add(
      new TextField({ name: "task", required: true, min: 1, max: 200, presentable: true }),
      new BoolField({ name: "done" }),
      new RelationField({ name: "category", collectionId: categories.id, maxSelect: 1, required: true, cascadeDelete: false }),
      new RelationField({ name: "owner", collectionId: "_pb_users_auth_", maxSelect: 1, required: true, cascadeDelete: true }),
      new AutodateField({ name: "created", onCreate: true }),
      new AutodateField({ name: "updated", onCreate: true, onUpdate: true }),
    );
    // Every user-facing query is owner-scoped (the list rule adds owner = caller): these keep a user's
    // list, newest first, and their open/done list, newest first, on an index at millions of rows.
    todos.addIndex("idx_todos_owner_created", false, "owner, created", "");
    todos.addIndex("idx_todos_owner_done_created", false, "owner, done, created", "");
    // Used by the "category still in use" check and by category filters.
    todos.addIndex("idx_todos_category", false, "category", "");
    app.save(todos);
  },
  (app) => {
    app.delete(app.findCollectionByNameOrId("todos"));
    app.delete(app.findCollectionByNameOrId("categories"));
  },
);
