// The access model as one table: actor × collection × operation → expected outcome. Every cell runs
// against a real engine over HTTP and checks the state afterwards through the superuser, so a refused
// write is proven not to have happened (not created, unchanged, still there, not listed).
import { beforeAll, describe, expect, it } from "vitest";
import type PocketBase from "pocketbase";
import { useTestEngine } from "./harness.js";
import { buildWorld, ids, uniqueTask, type World } from "./support/fixtures.js";
import { apiError, findAsSuperuser, registerUser, uniqueEmail } from "./support/users.js";

type Actor = "anonymous" | "user A" | "user B" | "superuser";
type Collection = "users" | "categories" | "todos";
type Op = "list" | "view" | "create" | "update" | "delete";
/**
 * list: "all" = everyone's records, "own" = the actor's records only, "none" = 200 with no items.
 * view/create/update/delete: "ok", or the refusal status (nothing changes).
 * The target of view/update/delete is a fresh record of user A's (for users: user A's own account;
 * for categories, which nobody owns: a fresh category).
 */
type Expected = "all" | "own" | "none" | "ok" | 400 | 403 | 404;

// prettier-ignore
const MATRIX: ReadonlyArray<readonly [Actor, Collection, Op, Expected]> = [
  // actor         collection     op        expected
  ["anonymous",   "users",       "list",   "none"],
  ["anonymous",   "users",       "view",   404],
  ["anonymous",   "users",       "create", "ok"],   // open sign-up
  ["anonymous",   "users",       "update", 404],
  ["anonymous",   "users",       "delete", 404],
  ["user A",      "users",       "list",   "own"],
  ["user A",      "users",       "view",   "ok"],
  ["user A",      "users",       "create", "ok"],   // signing up another account is sign-up, not escalation
  ["user A",      "users",       "update", "ok"],
  ["user A",      "users",       "delete", "ok"],
  ["user B",      "users",       "list",   "own"],
  ["user B",      "users",       "view",   404],
  ["user B",      "users",       "create", "ok"],
  ["user B",      "users",       "update", 404],
  ["user B",      "users",       "delete", 404],
  ["superuser",   "users",       "list",   "all"],
  ["superuser",   "users",       "view",   "ok"],
  ["superuser",   "users",       "create", "ok"],
  ["superuser",   "users",       "update", "ok"],
  ["superuser",   "users",       "delete", "ok"],

  ["anonymous",   "categories",  "list",   "none"],
  ["anonymous",   "categories",  "view",   404],
  ["anonymous",   "categories",  "create", 403],
  ["anonymous",   "categories",  "update", 403],
  ["anonymous",   "categories",  "delete", 403],
  ["user A",      "categories",  "list",   "all"],
  ["user A",      "categories",  "view",   "ok"],
  ["user A",      "categories",  "create", 403],
  ["user A",      "categories",  "update", 403],
  ["user A",      "categories",  "delete", 403],
  ["user B",      "categories",  "list",   "all"],
  ["user B",      "categories",  "view",   "ok"],
  ["user B",      "categories",  "create", 403],
  ["user B",      "categories",  "update", 403],
  ["user B",      "categories",  "delete", 403],
  ["superuser",   "categories",  "list",   "all"],
  ["superuser",   "categories",  "view",   "ok"],
  ["superuser",   "categories",  "create", "ok"],
  ["superuser",   "categories",  "update", "ok"],
  ["superuser",   "categories",  "delete", "ok"],

  ["anonymous",   "todos",       "list",   "none"],
  ["anonymous",   "todos",       "view",   404],
  ["anonymous",   "todos",       "create", 400],
  ["anonymous",   "todos",       "update", 404],
  ["anonymous",   "todos",       "delete", 404],
  ["user A",      "todos",       "list",   "own"],
  ["user A",      "todos",       "view",   "ok"],
  ["user A",      "todos",       "create", "ok"],
  ["user A",      "todos",       "update", "ok"],
  ["user A",      "todos",       "delete", "ok"],
  ["user B",      "todos",       "list",   "own"],
  ["user B",      "todos",       "view",   404],
  ["user B",      "todos",       "create", "ok"],   // creates B's own todo, never A's
  ["user B",      "todos",       "update", 404],
  ["user B",      "todos",       "delete", 404],
  ["superuser",   "todos",       "list",   "all"],
  ["superuser",   "todos",       "view",   "ok"],
  ["superuser",   "todos",       "create", "ok"],
  ["superuser",   "todos",       "update", "ok"],
  ["superuser",   "todos",       "delete", "ok"],
];

/** A fresh record of user A's for one cell, and who "user A" is for it. */
interface Target {
  id: string;
  /** The field an update changes, and its value before. */
  field: string;
  before: unknown;
  /** Client of the target's owner (user A); for users, the target account itself. */
  owner: PocketBase;
  ownerId: string;
}

const engine = useTestEngine();
let world: World;

beforeAll(async () => {
  world = await buildWorld(engine());
});

async function freshTarget(collection: Collection): Promise<Target> {
  if (collection === "users") {
    const user = await registerUser(engine(), "target");
    return { id: user.id, field: "name", before: "", owner: user.client, ownerId: user.id };
  }
  if (collection === "categories") {
    const category = await world.admin.collection("categories").create({ name: uniqueTask("Cat") });
    return { id: category.id, field: "name", before: category.name, owner: world.a.client, ownerId: world.a.id };
  }
  const todo = await world.a.client.collection("todos").create({ task: uniqueTask("A todo"), category: world.urgent });
  return { id: todo.id, field: "task", before: todo.task, owner: world.a.client, ownerId: world.a.id };
}

function clientOf(actor: Actor, target: Target): PocketBase {
  switch (actor) {
    case "anonymous":
      return world.anonymous;
    case "user A":
      return target.owner;
    case "user B":
      return world.b.client;
    case "superuser":
      return world.admin;
  }
}

/** A record of B's in the same collection: must show up only for B and the superuser. */
function recordOfB(collection: Collection): string | null {
  if (collection === "users") return world.b.id;
  if (collection === "todos") return world.bTodo.id;
  return null; // categories are shared reference data
}

function createBody(collection: Collection, actor: Actor): Record<string, unknown> {
  if (collection === "users") {
    const password = "a-long-password-1";
    return { email: uniqueEmail("new"), password, passwordConfirm: password };
  }
  if (collection === "categories") return { name: uniqueTask("New cat") };
  // Users omit the owner (the server sets it); a superuser must name one.
  return { task: uniqueTask("New todo"), category: world.urgent, ...(actor === "superuser" ? { owner: world.a.id } : {}) };
}

/** Finds what a create call made, through the superuser, by the unique value it was given. */
async function findCreated(collection: Collection, body: Record<string, unknown>) {
  const [field, value] = collection === "users" ? ["email", body.email] : collection === "categories" ? ["name", body.name] : ["task", body.task];
  const found = await world.admin.collection(collection).getList(1, 2, { filter: world.admin.filter(`${field} = {:value}`, { value }) });
  return found.items;
}

async function expectRefused(call: Promise<unknown>, status: Expected): Promise<void> {
  expect(typeof status, "a refusal must be a status code").toBe("number");
  expect((await apiError(call)).status).toBe(status);
}

describe("access matrix: actor × collection × operation", () => {
  it.each(MATRIX)("%s · %s · %s → %s", async (actor, collection, op, expected) => {
    const target = await freshTarget(collection);
    const pb = clientOf(actor, target);
    const records = pb.collection(collection);

    if (op === "list") {
      const listed = ids(await records.getFullList());
      const ofB = recordOfB(collection);
      if (expected === "none") {
        expect(listed).toEqual([]);
      } else if (expected === "all") {
        expect(listed).toContain(target.id);
        if (ofB) expect(listed).toContain(ofB);
      } else {
        expect(expected).toBe("own");
        const mine = actor === "user A" ? target.id : ofB;
        const notMine = actor === "user A" ? ofB : target.id;
        expect(listed).toContain(mine);
        expect(listed).not.toContain(notMine);
        if (collection === "users") expect(listed).toHaveLength(1);
      }
      return;
    }

    if (op === "view") {
      if (expected === "ok") expect((await records.getOne(target.id)).id).toBe(target.id);
      else await expectRefused(records.getOne(target.id), expected);
      return;
    }

    if (op === "create") {
      const body = createBody(collection, actor);
      if (expected === "ok") {
        const created = await records.create(body);
        const stored = await findCreated(collection, body);
        expect(ids(stored)).toEqual([created.id]);
        if (collection === "todos") {
          // Whoever creates, a user's todo belongs to that user; only a superuser names the owner.
          const expectedOwner = actor === "superuser" ? world.a.id : actor === "user A" ? target.ownerId : world.b.id;
          expect(stored[0]?.owner).toBe(expectedOwner);
        }
      } else {
        await expectRefused(records.create(body), expected);
        expect(await findCreated(collection, body)).toEqual([]); // not created
      }
      return;
    }

    if (op === "update") {
      const after = `${target.field}-${uniqueTask("changed")}`;
      if (expected === "ok") await records.update(target.id, { [target.field]: after });
      else await expectRefused(records.update(target.id, { [target.field]: after }), expected);
      const stored = await findAsSuperuser(world.admin, collection, target.id);
      expect(stored?.[target.field]).toBe(expected === "ok" ? after : target.before); // changed, or unchanged
      return;
    }

    // delete
    if (expected === "ok") await records.delete(target.id);
    else await expectRefused(records.delete(target.id), expected);
    const stored = await findAsSuperuser(world.admin, collection, target.id);
    if (expected === "ok") expect(stored).toBeNull();
    else expect(stored?.id).toBe(target.id); // still there
  });
});
