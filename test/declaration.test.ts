// The declarations (pb_hooks/lib/collections.ts) and the migrations must agree, and migrations must be
// history: each holds the values it applies, so editing the declarations changes no existing migration.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COLLECTIONS } from "../pb_hooks/lib/collections.js";
import { describeChanges, diffSchema } from "../src/collections/diff.js";
import { expectedCollections } from "../src/collections/expected.js";
import { planSchemaChanges } from "../src/collections/plan.js";
import { newDeclaration } from "../src/collections/newCollection.js";
import { declarationProblems } from "../src/collections/validate.js";
import { projectPaths } from "../src/paths.js";

describe("declarations and migrations", () => {
  it("the schema the migrations produce is exactly what pb_hooks/lib/collections.ts declares", async () => {
    const changes = await planSchemaChanges();
    expect(describeChanges(changes), "run `npm run migration -- <name>` to write the missing migration").toEqual([]);
  });

  it("every migration holds the values it applies (no require of the hooks' modules)", async () => {
    for (const file of await readdir(projectPaths.migrationsSrc)) {
      const source = await readFile(path.join(projectPaths.migrationsSrc, file), "utf8");
      expect(source, file).not.toMatch(/\brequire\s*\(/);
    }
  });

  it("the declarations are sound", () => {
    expect(declarationProblems(COLLECTIONS)).toEqual([]);
  });

  it("a declaration mistake is named", () => {
    const problems = declarationProblems({
      notes: {
        policy: "owned",
        fields: { owner: { type: "text" }, created: { type: "text" }, link: { type: "relation", collection: "nope" } },
      },
      profiles: { policy: "account", fields: {} },
    });
    expect(problems).toEqual([
      "collections.notes.fields.owner: the owner field is added for you; remove it",
      'collections.notes.fields.created: "created" is reserved',
      'collections.notes.fields.link: relation to "nope", which is not declared',
      'collections.profiles: only "users" can have the "account" policy',
    ]);
  });

  it("a removed collection is dropped, a new one created, a changed limit updated", () => {
    const expected = expectedCollections({
      ...COLLECTIONS,
      todos: { ...COLLECTIONS.todos, fields: { ...COLLECTIONS.todos.fields, task: { ...COLLECTIONS.todos.fields.task, max: 300 } } },
      scratch_notes: { policy: "owned", fields: { title: { type: "text", max: 120 } } },
    });
    // The current declarations as an engine would serialize them (relations by id), plus an undeclared collection.
    const current = expectedCollections(COLLECTIONS);
    const actual = current.map((c) => ({
      id: `id_${c.name}`,
      name: c.name,
      type: c.type,
      system: false,
      ...c.rules,
      fields: c.fields.map((f) => (f.type === "relation" ? { ...f, collectionId: `id_${String(f.collection)}` } : f)),
      indexes: c.indexes,
    }));
    actual.push({
      id: "id_scratch_legacy",
      name: "scratch_legacy",
      type: "base",
      system: false,
      ...current[0]!.rules,
      fields: [],
      indexes: [],
    });
    expect(describeChanges(diffSchema(expected, actual))).toEqual([
      'update collection "todos": field task changed',
      'create collection "scratch_notes" (title, owner, created, updated)',
      'DELETE collection "scratch_legacy" and all of its records',
    ]);
  });
});

describe("npm run new:collection's declaration (pure)", () => {
  it("refuses a field given twice, and suggests the collection a relation probably meant", () => {
    const spec = ["title:text:1-120"];
    expect(() => newDeclaration("scratch_notes", "owned", [...spec, "title:text"], COLLECTIONS)).toThrow(
      'The field "title" is given twice; each --field names a different field.',
    );
    expect(() => newDeclaration("scratch_notes", "owned", [...spec, "todo:relation:todo"], COLLECTIONS)).toThrow(
      'relation to "todo", which is not declared (did you mean "todos"?)',
    );
    expect(newDeclaration("scratch_notes", "owned", [...spec, "todo:relation:todos"], COLLECTIONS).fields).toHaveProperty("todo");
  });
});
