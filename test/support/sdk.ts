// Shared fixtures of the SDK tests: signed-up clients on a real test engine.
import { createClient, type StarterClient } from "../../packages/sdk/src/index.js";
import type { TestEngine } from "./engine.js";
import { uniqueEmail } from "./users.js";

export const PASSWORD = "correct-horse-9";

export { uniqueEmail };

/** A client signed in as a brand-new user. */
export async function signedUp(engine: TestEngine, label = "user"): Promise<StarterClient & { email: string }> {
  const client = createClient({ url: engine.url });
  const email = uniqueEmail(label);
  await client.auth.register({ email, password: PASSWORD });
  return Object.assign(client, { email });
}

/** The default categories' ids by name. */
export async function categoryIds(client: StarterClient): Promise<Record<string, string>> {
  const categories = await client.collection("categories").listAll({ sort: "name" });
  return Object.fromEntries(categories.map((c) => [c.name, c.id]));
}

/** Waits until `predicate` holds, polling; fails with `what` if it never does. */
export async function eventually(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Captures the error a promise rejects with (fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the call to fail, but it succeeded.");
}
