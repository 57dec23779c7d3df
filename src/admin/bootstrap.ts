import type { AppConfig } from "../config.js";
import type { Logger } from "../engine/index.js";

/**
 * Creates the first superuser from PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD when none exists yet;
 * leaves an existing one alone. Never prints the password.
 * (Stub: implemented by the admin scripts issue.)
 */
export async function bootstrapSuperuserFromEnv(_binary: string, _config: AppConfig, _log: Logger): Promise<void> {}
