import type { AppConfig } from "../config.js";
import type { Logger } from "../engine/index.js";
import { ensureFirstSuperuser, type EnsureSuperuserResult } from "./superuser.js";

/**
 * Creates the first superuser from PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD when none exists yet;
 * leaves an existing one alone (its password is never overwritten from the environment, so a stale
 * .env cannot reset it). Never prints the password. Does nothing when the variables are not set.
 */
export async function bootstrapSuperuserFromEnv(binary: string, config: AppConfig, log: Logger): Promise<EnsureSuperuserResult | null> {
  if (!config.superuser) return null;
  const { email, password } = config.superuser;
  const result = await ensureFirstSuperuser(binary, { dataDir: config.dataDir }, email, password);
  if (result.action === "created") {
    log(`• Created superuser ${email} (from PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD).`);
  } else if (result.emails.some((existing) => existing.toLowerCase() === email.toLowerCase())) {
    log(`• Superuser ${email} exists; leaving it alone (PB_SUPERUSER_PASSWORD is not applied; change it with npm run superuser).`);
  } else {
    const others = result.total > result.emails.length ? `${result.emails.join(", ")}, ...` : result.emails.join(", ");
    log(`• A superuser already exists (${others}); leaving it alone (PB_SUPERUSER_EMAIL ignored).`);
  }
  return result;
}
