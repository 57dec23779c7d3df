// The access model as one table, derived from the declarations: the auditor (src/audit/, npm run audit)
// probes every declared collection × actor × operation on a real engine and checks the state after each
// write, then asks every side-channel question the schema allows. A collection added later is covered
// by declaring it; nothing here names one.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { COLLECTIONS } from "../pb_hooks/lib/collections.js";
import { auditInstance, formatAudit } from "../src/audit/index.js";
import { projectRoot } from "../src/paths.js";
import { useTestEngine } from "./support/engine.js";

const engine = useTestEngine();

describe("access auditor", () => {
  it("every declared collection is locked down as its policy says, and nothing leaks", async () => {
    const admin = await engine().admin();
    const result = await auditInstance({ url: engine().url, superuserToken: admin.authStore.token });
    const table = formatAudit(result);
    expect(
      result.rows.filter((row) => !row.pass),
      table,
    ).toEqual([]);
    expect(result.ok, table).toBe(true);
    // Every policy's questions were asked: a guest, an owner and another user, on every collection.
    expect(new Set(result.rows.map((row) => row.collection))).toEqual(new Set(Object.keys(COLLECTIONS)));
    expect(result.rows.length).toBeGreaterThan(50);
    // The side-channel probe asked the dangerous questions (every path, back-relations included), wrote
    // into every collection, and they were refused rather than answered.
    expect(result.sideChannels?.notSeeded).toEqual([]);
    expect(result.sideChannels?.questions).toBeGreaterThan(1000);
    expect(result.sideChannels?.realtime).toBeGreaterThan(400); // the same questions as subscriptions
    expect(result.sideChannels?.refused).toBeGreaterThan(100);
  }, 120_000);

  it("finds an open door: a list rule loosened by hand is reported, cell by cell", async () => {
    const admin = await engine().admin();
    const todos = await admin.collections.getOne("todos");
    await admin.collections.update("todos", { listRule: '@request.auth.id != ""', viewRule: '@request.auth.id != ""' });
    try {
      // Only todos' rows (the first test audits everything): a loosened rule shows up in its own rows.
      const result = await auditInstance(
        { url: engine().url, superuserToken: admin.authStore.token },
        { sideChannels: false, only: ["todos"] },
      );
      expect(new Set(result.rows.map((row) => row.collection))).toEqual(new Set(["todos"]));
      expect(result.ok).toBe(false);
      const failed = result.rows.filter((row) => !row.pass).map((row) => `${row.collection} ${row.actor} ${row.operation}: ${row.actual}`);
      expect(failed).toContain("todos other view: ok");
      expect(failed.some((line) => line.startsWith("todos other list:"))).toBe(true);
      expect(formatAudit(result)).toMatch(/✖ \d+ of \d+ access checks differ/);
    } finally {
      await admin.collections.update("todos", { listRule: todos.listRule, viewRule: todos.viewRule });
    }
  }, 120_000);

  it("npm run audit: --help, and a run against a live instance that exits 0 when all is well", async () => {
    const run = (...args: string[]) =>
      execa("npm", ["run", "--silent", "audit", "--", ...args], { cwd: projectRoot, reject: false, all: true });
    const help = await run("--help");
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("--url");
    const unknown = await run("--collection", "nope");
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("Not a declared collection: nope. Declared: ");
    // --quick: the first test runs the whole probe; here it is the command line that is tested.
    const live = await run(
      "--url",
      engine().url,
      "--email",
      engine().superuser.email,
      "--password",
      engine().superuser.password,
      "--quick",
      "--collection",
      "categories",
    );
    expect(live.exitCode, live.all).toBe(0);
    expect(live.stdout).toContain("Side channels: not probed (--quick)");
    expect(live.stdout).toMatch(/^categories +other +create /m);
    expect(live.stdout).not.toMatch(/^(users|todos) /m);
    expect(live.stdout).toMatch(/✔ \d+ access checks as expected\.$/m);
  }, 120_000);
});
