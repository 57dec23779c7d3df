import type { EngineDirs } from "../engine/index.js";
import { validateSuperuserCredentials } from "./credentials.js";
import { runStarterCommand } from "./engineCommand.js";

export interface UpsertSuperuserResult {
  action: "created" | "updated";
  email: string;
}

/**
 * Creates a superuser, or sets the password of the one with that email. Runs inside the engine on the
 * data dir (no server needed; safe while `serve` runs on it: SQLite WAL). Validates the input first.
 */
export async function upsertSuperuser(binary: string, dirs: EngineDirs, email: string, password: string): Promise<UpsertSuperuserResult> {
  const credentials = validateSuperuserCredentials(email, password);
  const result = await runStarterCommand(binary, "starter-superuser-upsert", [], dirs, {
    STARTER_EMAIL: credentials.email,
    STARTER_PASSWORD: credentials.password,
  });
  return { action: result.action === "created" ? "created" : "updated", email: credentials.email };
}
