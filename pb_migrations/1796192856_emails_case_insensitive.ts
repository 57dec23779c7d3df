/// <reference path="../.engine/types.d.ts" />
/// <reference path="../pb_hooks/jsvm-globals.d.ts" />
// One account per mailbox: users' emails are unique and matched without regard to case.
//
// The engine's own unique index on users.email is case-sensitive, so "Ada@Example.com" could sign up next
// to "ada@example.com", and sign-in needed the exact case. With `COLLATE NOCASE` on that index the engine
// also looks emails up case-insensitively (sign-in, password reset, OTP, email change).
// Existing rows: emails are lowercased. If two accounts differ only by case, this migration stops with
// their addresses and changes nothing: merging or renaming accounts is the operator's decision.

migrate(
  (app) => {
    const users = app.findCollectionByNameOrId("_pb_users_auth_");
    const rows = arrayOf(new DynamicModel({ email: "" })) as Array<{ email: string }>;
    app
      .db()
      .newQuery("SELECT LOWER(email) AS email FROM users WHERE email != '' GROUP BY LOWER(email) HAVING COUNT(*) > 1 LIMIT 20")
      .all(rows);
    const clashes = rows.map((row) => row.email);
    if (clashes.length > 0) {
      throw new Error(
        `Accounts whose emails differ only by case: ${clashes.join(", ")}. Merge or rename them (dashboard or superuser API), then restart.`,
      );
    }
    app.db().newQuery("UPDATE users SET email = LOWER(email) WHERE email != LOWER(email)").execute();
    unmarshal(
      {
        indexes: [
          ...users.indexes.filter((index) => !/^CREATE UNIQUE INDEX `idx_email_/.test(index)),
          "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email` COLLATE NOCASE) WHERE `email` != ''",
        ],
      },
      users,
    );
    app.save(users);
  },
  (app) => {
    const users = app.findCollectionByNameOrId("_pb_users_auth_");
    unmarshal(
      {
        indexes: [
          ...users.indexes.filter((index) => !/^CREATE UNIQUE INDEX `idx_email_/.test(index)),
          "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''",
        ],
      },
      users,
    );
    app.save(users);
  },
);
