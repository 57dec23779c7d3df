// PRAGMA integrity_check through the engine's own SQLite (Node 20 has no node:sqlite, and a system
// sqlite3 CLI is not something the project installs). The crash tests start the engine with a TEMP
// copy of the compiled hooks plus one test-only hook file that adds a superuser-only route running
// the pragma on both databases. The product's pb_hooks never contain this route.
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectPaths } from "../../src/paths.js";
import { api, describeResponse } from "./http.js";

export const INTEGRITY_ROUTE = "/api/reliability-test/integrity";

// Plain JSVM JavaScript (the engine runs hook files as is).
const INTEGRITY_HOOK = `/// Test-only: added to a temporary copy of the hooks by test/reliability/integrity.ts.
routerAdd("GET", "${INTEGRITY_ROUTE}", (e) => {
  const result = {};
  for (const [name, db] of [["data", e.app.db()], ["auxiliary", e.app.auxDB()]]) {
    const rows = arrayOf(new DynamicModel({ integrity_check: "" }));
    db.newQuery("PRAGMA integrity_check").all(rows);
    result[name] = rows.map((row) => row.integrity_check);
  }
  return e.json(200, result);
}, $apis.requireSuperuserAuth());
`;

/** A temp hooks dir: the project's compiled hooks plus the integrity route. Remove it with `dispose`. */
export async function hooksWithIntegrityRoute(): Promise<{ hooksDir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "pb-reliability-hooks-"));
  await cp(projectPaths.hooksBuild, dir, { recursive: true });
  await writeFile(path.join(dir, "zz-reliability-integrity.pb.js"), INTEGRITY_HOOK);
  return { hooksDir: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs PRAGMA integrity_check on data.db and auxiliary.db; SQLite answers ["ok"] for a sound file. */
export async function integrityCheck(baseUrl: string, superuserToken: string): Promise<{ data: string[]; auxiliary: string[] }> {
  const response = await api(baseUrl, "GET", INTEGRITY_ROUTE, { token: superuserToken, timeoutMs: 60_000 });
  if (response.status !== 200) throw new Error(`integrity check: ${describeResponse("GET", INTEGRITY_ROUTE, response)}`);
  return response.body as { data: string[]; auxiliary: string[] };
}
