import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type PocketBase from "pocketbase";
import { projectPaths } from "../../src/paths.js";
import { startTestEngine } from "./engine.js";

/** Terminal color codes (ESC [ ... m) in the engine's dev log. */
const ANSI_COLOR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** One row of SQLite's EXPLAIN QUERY PLAN. */
export interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/** An engine that prints every SQL statement it runs, and can explain a SELECT's query plan. */
export interface SqlEngine {
  url: string;
  admin(): Promise<PocketBase>;
  client(): PocketBase;
  /** SELECT statements the engine logged since `mark` (a value returned by `mark()`). */
  selectsSince(mark: number): string[];
  mark(): number;
  /** SQLite's plan for a SELECT, run inside the engine on its own database. */
  explain(sql: string): Promise<PlanRow[]>;
  dispose(): Promise<void>;
}

/**
 * Test-only route, written into a temporary copy of the compiled hooks and never into the product:
 * the product has no route that runs SQL. A superuser sends a SELECT, the engine answers its plan.
 */
const EXPLAIN_ROUTE = `/// test-only: never shipped
routerAdd("POST", "/api/test-only/explain", (e) => {
  const sql = String(e.requestInfo().body.sql || "");
  if (!/^\\s*SELECT\\s/i.test(sql) || sql.includes(";")) throw new BadRequestError("One SELECT statement only.");
  const rows = arrayOf(new DynamicModel({ id: 0, parent: 0, notused: 0, detail: "" }));
  e.app.db().newQuery("EXPLAIN QUERY PLAN " + sql).all(rows);
  return e.json(200, rows);
}, $apis.requireSuperuserAuth());
`;

/**
 * Starts a real engine like test/support/engine.ts does, but in --dev mode (so it logs the SQL it runs) and
 * with the test-only explain route next to the project's compiled hooks. Lets a test check the plan of
 * the exact query the engine builds for a request.
 */
export async function startSqlEngine(): Promise<SqlEngine> {
  const root = await mkdtemp(path.join(tmpdir(), "pb-sql-"));
  const hooksDir = path.join(root, "hooks");
  await cp(projectPaths.hooksBuild, hooksDir, { recursive: true });
  await writeFile(path.join(hooksDir, "zz_test_only_explain.pb.js"), EXPLAIN_ROUTE);
  const lines: string[] = [];
  const engine = await startTestEngine({ hooksDir, serveArgs: ["--dev=true"], onOutput: (line) => lines.push(line) });
  return {
    url: engine.url,
    client: engine.client,
    admin: engine.admin,
    mark: () => lines.length,
    selectsSince: (mark) =>
      lines
        .slice(mark)
        // dev log lines look like "[0.52ms] SELECT ..."
        .map((line) => line.replace(ANSI_COLOR, "").replace(/^\s*\[[\d.]+ms\]\s*/, ""))
        .filter((line) => /^SELECT\s/i.test(line)),
    async explain(sql) {
      const pb = await engine.admin();
      return pb.send<PlanRow[]>("/api/test-only/explain", { method: "POST", body: { sql } });
    },
    async dispose() {
      await engine.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}
