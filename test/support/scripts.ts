// Shared by the admin-*.test.ts files: run a script the way a user does, with a controlled environment.
import path from "node:path";
import { execa, type Result } from "execa";
import type PocketBase from "pocketbase";
import { COLLECTIONS } from "../../pb_hooks/lib/collections.js";
import { projectRoot } from "../../src/paths.js";

/** The launcher every npm script goes through (scripts/run.mjs): tests run scripts exactly as npm does. */
export const LAUNCHER = path.join(projectRoot, "scripts", "run.mjs");

/**
 * Runs scripts/<name> ("seed.ts" or "seed") through the launcher. The environment is pinned so a
 * developer's .env cannot leak in: no superuser credentials and an unreachable PB_HTTP unless the test
 * says otherwise.
 */
export function runScript(name: string, args: string[], env: Record<string, string> = {}): Promise<Result<{ reject: false }>> {
  return execa(process.execPath, [LAUNCHER, name.replace(/\.ts$/, ""), ...args], {
    cwd: projectRoot,
    reject: false,
    timeout: 120_000,
    env: {
      PB_HTTP: "127.0.0.1:1",
      PB_SUPERUSER_EMAIL: "",
      PB_SUPERUSER_PASSWORD: "",
      POCKETBASE_BIN: process.env.POCKETBASE_TEST_BIN ?? "",
      ...env,
    },
  });
}

/** Host:port of a test engine URL, for PB_HTTP. */
export const hostPort = (url: string): string => new URL(url).host;

/** Every record of the app's collections (all fields, sorted by id), to compare whole states. */
export async function snapshot(admin: PocketBase): Promise<Record<string, unknown[]>> {
  const state: Record<string, unknown[]> = {};
  for (const name of Object.keys(COLLECTIONS)) {
    state[name] = await admin.collection(name).getFullList({ sort: "id" });
  }
  return state;
}
