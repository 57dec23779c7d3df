import PocketBase, { ClientResponseError } from "pocketbase";
import { UserError } from "../errors.js";
import { isHealthy } from "../engine/index.js";

/** Where a running server is and how to sign in to it as a superuser. */
export interface ServerTarget {
  url: string;
  email?: string;
  password?: string;
}

/** True when a PocketBase server answers /api/health at `url`. */
export const isServerUp = isHealthy;

/** Polls /api/health until it answers 200; fails with a plain message after `timeoutMs`. */
export async function waitForHealthy(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isServerUp(url))) {
    if (Date.now() > deadline)
      throw new UserError(`The server at ${url} did not come back within ${Math.round(timeoutMs / 1000)} s; check its output.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * An SDK client signed in as a superuser (auto-cancellation off, so parallel calls do not abort each
 * other). Fails with one actionable line when the server is down, credentials are missing or wrong.
 */
export async function connectAsSuperuser(target: ServerTarget): Promise<PocketBase> {
  if (!(await isServerUp(target.url))) {
    throw new UserError(`Cannot reach the server at ${target.url}. Start it with \`npm start\` (or pass --url / set PB_HTTP).`);
  }
  if (!target.email || !target.password) {
    throw new UserError(
      "Superuser credentials needed: set PB_SUPERUSER_EMAIL and PB_SUPERUSER_PASSWORD (environment or .env), or pass --email and --password.",
    );
  }
  const pb = new PocketBase(target.url);
  pb.autoCancellation(false);
  try {
    await pb.collection("_superusers").authWithPassword(target.email, target.password);
  } catch (error) {
    if (error instanceof ClientResponseError && error.status === 429) {
      throw new UserError(`Too many sign-in attempts at ${target.url}; wait a minute and try again.`);
    }
    if (error instanceof ClientResponseError && error.status === 400) {
      throw new UserError(
        `Superuser sign-in as ${target.email} failed at ${target.url}: wrong email or password. ` +
          "Create or reset it with `npm run superuser -- <email> <password>`.",
      );
    }
    throw new UserError(`Superuser sign-in at ${target.url} failed: ${describeError(error)}`);
  }
  return pb;
}

/** One line for an SDK or network error, with the server's field errors when there are any. */
export function describeError(error: unknown): string {
  if (error instanceof ClientResponseError) {
    const fields = Object.entries((error.response?.data ?? {}) as Record<string, { message?: string }>)
      .map(([field, detail]) => `${field}: ${detail?.message ?? "invalid"}`)
      .join("; ");
    return `${error.status || "network error"} ${error.message}${fields ? ` (${fields})` : ""}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Flags win over the environment (PB_HTTP → url, PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD). */
export function serverTargetFrom(
  flags: { url?: string; email?: string; password?: string },
  config: { url: string; superuser: { email: string; password: string } | null },
): ServerTarget {
  return {
    url: (flags.url ?? config.url).replace(/\/+$/, ""),
    email: flags.email ?? config.superuser?.email,
    password: flags.password ?? config.superuser?.password,
  };
}
