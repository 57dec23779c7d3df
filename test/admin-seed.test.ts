import { describe, expect, it } from "vitest";
import { COLLECTIONS as DECLARED } from "../pb_hooks/lib/collections.js";
import { DEMO_USERS, seed } from "../src/admin/index.js";
import type { CategoryRecord, TodoRecord, UserRecord } from "../packages/sdk/src/index.js";
import { useTestEngine } from "./support/engine.js";
import { hostPort, runScript, snapshot } from "./support/scripts.js";

/** The reference categories every instance has (declared in pb_hooks/lib/collections.ts). */
const DEFAULT_CATEGORY_NAMES = DECLARED.categories.records.map((record) => record.name);

describe("seed()", () => {
  const engine = useTestEngine();

  it("recreates a missing default category and keeps the others (matched case-insensitively)", async () => {
    const admin = await engine().admin();
    const [first, second] = DEFAULT_CATEGORY_NAMES as [string, string];
    const existing = await admin.collection("categories").getFirstListItem(admin.filter("name = {:n}", { n: second }));
    await admin.collection("categories").delete(existing.id);
    const kept = await admin.collection("categories").getFirstListItem(admin.filter("name = {:n}", { n: first }));
    await admin.collection("categories").update(kept.id, { name: first.toLowerCase() });

    const report = await seed(admin);
    expect(report.reference).toEqual({ created: 1, present: DEFAULT_CATEGORY_NAMES.length - 1 });
    expect(report.changed).toBe(true);
    expect(report.users).toBeUndefined();

    const names = (await admin.collection("categories").getFullList()).map((c) => String(c.name).toLowerCase()).sort();
    expect(names).toEqual(DEFAULT_CATEGORY_NAMES.map((n) => n.toLowerCase()).sort());
    // The renamed one was left alone (same record), not duplicated.
    expect((await admin.collection("categories").getOne(kept.id)).name).toBe(first.toLowerCase());
    await admin.collection("categories").update(kept.id, { name: first });
  });

  it("--demo creates users and todos spread over categories and done states; a second run changes nothing", async () => {
    const admin = await engine().admin();
    const totalTodos = DEMO_USERS.reduce((n, u) => n + u.todos.length, 0);

    const report = await seed(admin, { demo: true });
    expect(report.users).toEqual({ created: DEMO_USERS.length, present: 0 });
    expect(report.todos).toEqual({ created: totalTodos, present: 0 });
    expect(report.demoAccounts).toEqual(DEMO_USERS.map((u) => ({ email: u.email, password: u.password })));

    const todos = await admin
      .collection("todos")
      .getFullList<TodoRecord & { expand?: { owner?: UserRecord; category?: CategoryRecord } }>({ expand: "owner,category" });
    expect(todos).toHaveLength(totalTodos);
    expect(new Set(todos.map((t) => t.expand?.category?.name))).toEqual(new Set(DEFAULT_CATEGORY_NAMES));
    expect(new Set(todos.map((t) => t.done))).toEqual(new Set([true, false]));
    for (const user of DEMO_USERS) {
      const own = todos
        .filter((t) => t.expand?.owner?.email === user.email)
        .map((t) => t.task)
        .sort();
      expect(own).toEqual(user.todos.map((t) => t.task).sort());
      // The printed credentials work, and the user sees exactly their own todos.
      const pb = engine().client();
      await pb.collection("users").authWithPassword(user.email, user.password);
      expect((await pb.collection("todos").getFullList<TodoRecord>()).map((t) => t.task).sort()).toEqual(own);
    }

    const before = await snapshot(admin);
    const again = await seed(admin, { demo: true });
    expect(again.changed).toBe(false);
    expect(again.reference.created + again.users!.created + again.todos!.created).toBe(0);
    expect(again.todos).toEqual({ created: 0, present: totalTodos });
    expect(await snapshot(admin)).toEqual(before);
  });

  it("adds only what is missing when some demo data was deleted", async () => {
    const admin = await engine().admin();
    const user = DEMO_USERS[0]!;
    const owner = await admin.collection("users").getFirstListItem(admin.filter("email = {:e}", { e: user.email }));
    const victim = await admin
      .collection("todos")
      .getFirstListItem(admin.filter("owner = {:o} && task = {:t}", { o: owner.id, t: user.todos[0]!.task }));
    await admin.collection("todos").delete(victim.id);

    const report = await seed(admin, { demo: true });
    expect(report.todos!.created).toBe(1);
    expect(report.users).toEqual({ created: 0, present: DEMO_USERS.length });
    const tasks = await admin.collection("todos").getFullList<TodoRecord>({ filter: admin.filter("owner = {:o}", { o: owner.id }) });
    expect(tasks.map((t) => t.task).sort()).toEqual(user.todos.map((t) => t.task).sort());
  });
});

describe("npm run seed (scripts/seed.ts)", () => {
  const engine = useTestEngine();

  it("seeds with flags, then says nothing to do (credentials from the environment)", async () => {
    const { url, superuser } = engine();
    const first = await runScript("seed.ts", ["--demo", "--url", url, "--email", superuser.email, "--password", superuser.password]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`Demo users:\\s+created ${DEMO_USERS.length}, already present 0`));
    expect(first.stdout).toMatch(/✔ Seeded\./);
    for (const user of DEMO_USERS) expect(first.stdout).toContain(`${user.email}  /  ${user.password}`);

    const second = await runScript("seed.ts", ["--demo"], {
      PB_HTTP: hostPort(url),
      PB_SUPERUSER_EMAIL: superuser.email,
      PB_SUPERUSER_PASSWORD: superuser.password,
    });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Nothing to do/);
    const totalTodos = DEMO_USERS.reduce((n, u) => n + u.todos.length, 0);
    expect(second.stdout).toMatch(new RegExp(`Demo todos:\\s+created 0, already present ${totalTodos}`));
  });

  it("fails with one clear line when the server is unreachable, credentials are missing or wrong", async () => {
    const { url, superuser } = engine();
    const down = await runScript("seed.ts", ["--email", superuser.email, "--password", superuser.password]);
    expect(down.exitCode).toBe(1);
    expect(down.stderr.trim()).toMatch(/^✖ Cannot reach the server at http:\/\/127\.0\.0\.1:1\. Start it with `npm start`/);

    const anonymous = await runScript("seed.ts", ["--url", url]);
    expect(anonymous.exitCode).toBe(1);
    expect(anonymous.stderr.trim()).toMatch(/^✖ Superuser credentials needed/);

    const wrong = await runScript("seed.ts", ["--url", url, "--email", superuser.email, "--password", "wrong-password-1"]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr.trim()).toMatch(/^✖ Superuser sign-in as root@example.com failed/);
    expect(wrong.stderr).not.toContain("wrong-password-1");
  });

  it("--help explains usage", async () => {
    const result = await runScript("seed.ts", ["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Usage: npm run seed/);
  });
});
