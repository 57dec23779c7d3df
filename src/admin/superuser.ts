import type { EngineDirs } from "../engine/index.js";
import { validateSuperuserCredentials } from "./credentials.js";
import { runStarterCommand } from "./engineCommand.js";

export interface UpsertSuperuserResult {
  action: "created" | "updated";
  email: string;
}

export type EnsureSuperuserResult =
  | { action: "created"; email: string }
  /** Real superusers already present (the engine's temporary installer account does not count). */
  | { action: "exists"; emails: string[]; total: number };

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

/**
 * Creates a superuser only when the data dir has none yet; otherwise reports who exists and changes
 * nothing. What `npm start` runs with PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD.
 */
export async function ensureFirstSuperuser(
  binary: string,
  dirs: EngineDirs,
  email: string,
  password: string,
): Promise<EnsureSuperuserResult> {
  const credentials = validateSuperuserCredentials(email, password);
  const result = await runStarterCommand(binary, "starter-superuser-bootstrap", [], dirs, {
    STARTER_EMAIL: credentials.email,
    STARTER_PASSWORD: credentials.password,
  });
  if (result.action === "created") return { action: "created", email: credentials.email };
  const emails = Array.isArray(result.emails) ? result.emails.map(String) : [];
  return { action: "exists", emails, total: typeof result.total === "number" ? result.total : emails.length };
}
