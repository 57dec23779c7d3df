// The app's collections, declared once. A collection's policy says who may do what (see
// lib/declaration.ts); its fields and indexes say what it holds. Everything else reads this file: the API
// rules, the hooks (owner, trimming, relation checks), typegen, OpenAPI, the access auditor and its tests.
//
// Changing it changes nothing in a database by itself: `npm run migration -- <name>` writes the migration
// that brings the schema to what is declared here (and `npm test` fails until one exists).
// `npm run new:collection` adds a collection here and writes its migration in one step.

import type { Declarations } from "./declaration.js";

export const COLLECTIONS = {
  // The engine's built-in auth collection: sign-up, sign-in, and each user's own account.
  users: {
    policy: "account",
    fields: {
      name: { type: "text", max: 255 },
      // Served only with a file token of someone who may view the user (the user, or a superuser).
      avatar: {
        type: "file",
        maxSelect: 1,
        mimeTypes: ["image/jpeg", "image/png", "image/svg+xml", "image/gif", "image/webp"],
        protected: true,
      },
    },
  },

  // Reference data: everyone signed in reads it, superusers edit it.
  categories: {
    policy: "readOnly",
    fields: {
      name: { type: "text", required: true, min: 1, max: 50, presentable: true, trim: true },
    },
    indexes: {
      idx_categories_name: { columns: "name COLLATE NOCASE", unique: true },
    },
    records: [{ name: "Urgent" }, { name: "Non-urgent" }],
  },

  // Each user's own todos.
  todos: {
    policy: "owned",
    fields: {
      task: { type: "text", required: true, min: 1, max: 200, presentable: true, trim: true },
      done: { type: "bool" },
      category: { type: "relation", collection: "categories", required: true },
    },
    indexes: {
      // A user's open/done list, newest first, on an index at millions of rows.
      idx_todos_owner_done_created: { columns: "owner, done, created" },
      // The "category still in use" check and category filters.
      idx_todos_category: { columns: "category" },
    },
  },

  // new:collection adds declarations above this line.
} as const satisfies Declarations;

export type CollectionName = keyof typeof COLLECTIONS;
