// Pure logic of the bench's data and workloads: PocketBase-shaped ids, the SQL that seeds rows, which
// todos each load user owns, the open-rules baseline, and what each workload sends to each engine.
import { describe, expect, it } from "vitest";
import { benchId, deleteLoadRowsSql, insertTodosSql, insertUsersSql, ownedTodoIds, todoId, userId } from "../bench/data.js";
import { openCollections, type CollectionJson } from "../bench/baseline.js";
import { buildRequests, listPath, type LoadUser } from "../bench/workloads.js";

describe("ids", () => {
  it("are 15 characters of [a-z0-9], like PocketBase's", () => {
    for (const id of [userId(0), userId(999), todoId(999_999), benchId("d12", 7)]) expect(id).toMatch(/^[a-z0-9]{15}$/);
    expect(todoId(42)).toBe("t00000000000042");
  });
  it("refuse prefixes or numbers that would not fit", () => {
    expect(() => benchId("X", 1)).toThrow();
    expect(() => benchId("abc", 10 ** 13)).toThrow();
  });
});

describe("seeding SQL", () => {
  it("spreads todos round-robin over owners with the same id shape as benchId", () => {
    const sql = insertTodosSql({ prefix: "t", from: 10, to: 20, owners: 1000 });
    expect(sql).toMatch(/^INSERT INTO todos \(id, task, done, category, owner, created, updated\)/);
    expect(sql).toContain("SELECT 10 UNION ALL SELECT n + 1 FROM seq WHERE n < 19");
    expect(sql).toContain("'t' || printf('%014d', n)");
    expect(sql).toContain("'u' || printf('%014d', n % 1000)");
  });
  it("copies one password hash to every user and gives each its own token key", () => {
    const sql = insertUsersSql(1, 1000, userId(0));
    expect(sql).toContain(`(SELECT password FROM users WHERE id = '${userId(0)}')`);
    expect(sql).toContain("lower(hex(randomblob(25)))");
  });
  it("marks load rows so cleanup removes them and only them", () => {
    expect(insertTodosSql({ prefix: "d1", from: 0, to: 5, owners: 32, taskPrefix: "load delete " })).toContain("'load delete ' || n");
    expect(deleteLoadRowsSql).toBe("DELETE FROM todos WHERE task GLOB 'load *'");
  });
  it("knows which seeded todos each user owns", () => {
    expect(ownedTodoIds(3, 1000, 2_500, 10)).toEqual([todoId(3), todoId(1003), todoId(2003)]);
    expect(ownedTodoIds(3, 1000, 1_000_000, 2)).toEqual([todoId(3), todoId(1003)]);
    expect(ownedTodoIds(5, 1000, 3, 10)).toEqual([]);
  });
});

describe("openCollections", () => {
  const collections: CollectionJson[] = [
    { id: "a", name: "_superusers", type: "auth", system: true, listRule: null },
    {
      id: "b",
      name: "users",
      type: "auth",
      system: false,
      listRule: "id = @request.auth.id",
      manageRule: "x",
      authRule: "verified = true",
    },
    {
      id: "c",
      name: "todos",
      type: "base",
      system: false,
      listRule: "owner = @request.auth.id",
      createRule: null,
      indexes: ["CREATE INDEX i ON todos (owner)"],
    },
  ];

  it("keeps only the project's collections, opens every rule and keeps fields and indexes", () => {
    const open = openCollections(collections);
    expect(open.map((c) => c.name)).toEqual(["users", "todos"]);
    for (const c of open) for (const rule of ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"]) expect(c[rule]).toBe("");
    expect(open[0]!.authRule).toBe("");
    expect(open[0]!.manageRule).toBeNull();
    expect(open[1]!.indexes).toEqual(["CREATE INDEX i ON todos (owner)"]);
    expect(collections[2]!.listRule).toBe("owner = @request.auth.id"); // input untouched
  });
});

describe("workload requests", () => {
  const users: LoadUser[] = [
    { id: userId(0), token: "T0", todoIds: [todoId(0), todoId(1000)] },
    { id: userId(1), token: "T1", todoIds: [todoId(1)] },
  ];

  it("lets ours' list rule scope the page while the open baseline filters by owner", () => {
    expect(listPath("ours", users[0]!, false)).toBe("/api/collections/todos/records?page=1&perPage=50&sort=-created&skipTotal=1");
    const baseline = new URL(listPath("baseline", users[0]!, true), "http://x");
    expect(baseline.searchParams.get("filter")).toBe(`owner = "${userId(0)}"`);
    expect(baseline.searchParams.has("skipTotal")).toBe(false);
  });

  it("sends each user's own todos with that user's token, interleaving users", () => {
    const views = buildRequests("view", { engine: "ours", users });
    expect(views.map((r) => [r.path.split("/").pop(), r.headers.authorization])).toEqual([
      [todoId(0), "T0"],
      [todoId(1), "T1"],
      [todoId(1000), "T0"],
    ]);
  });

  it("sends the same create body to both engines, owner included", () => {
    const [ours] = buildRequests("create", { engine: "ours", users });
    const [baseline] = buildRequests("create", { engine: "baseline", users });
    expect(ours!.body).toBe(baseline!.body);
    expect(JSON.parse(ours!.body!)).toMatchObject({ owner: userId(0), task: "load create" });
  });

  it("builds batches of the workload's size and deletes from the given pool", () => {
    const [batch] = buildRequests("batch-100", { engine: "ours", users });
    expect(batch!.path).toBe("/api/batch");
    expect((JSON.parse(batch!.body!) as { requests: unknown[] }).requests).toHaveLength(100);
    const deletes = buildRequests("delete", { engine: "ours", users, deletePool: [{ id: "d1000000000001", user: 1 }] });
    expect(deletes).toEqual([
      { method: "DELETE", path: "/api/collections/todos/records/d1000000000001", headers: { authorization: "T1" } },
    ]);
    expect(() => buildRequests("delete", { engine: "ours", users })).toThrow();
  });
});
