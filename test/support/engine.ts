// The test engine: a real PocketBase per test file (src/engine/ephemeral.ts: free port, fresh temp data dir,
// the project's compiled migrations and hooks, a superuser), plus SDK clients for it.
import { afterAll, beforeAll } from "vitest";
import PocketBase from "pocketbase";
import { startEphemeralEngine, type EphemeralEngine, type EphemeralOptions } from "../../src/engine/index.js";

export interface TestEngine extends EphemeralEngine {
  /** A fresh SDK client (auto-cancellation off) pointed at this engine. */
  client: () => PocketBase;
  /** A client signed in as the superuser. */
  admin: () => Promise<PocketBase>;
}

/** Rate limits are off unless the test sets PB_RATE_LIMITS in `env`. */
export type StartOptions = Pick<
  EphemeralOptions,
  "env" | "dataDir" | "migrationsDir" | "hooksDir" | "serveArgs" | "onOutput" | "hooksPool"
>;

/** The superuser every test engine has. */
export const TEST_SUPERUSER = { email: "root@example.com", password: "root-password-123" } as const;

/** Starts a real engine for a test; resolves once /api/health answers. */
export async function startTestEngine(options: StartOptions = {}): Promise<TestEngine> {
  const engine = await startEphemeralEngine({ ...options, superuser: { ...TEST_SUPERUSER } });
  const client = () => {
    const pb = new PocketBase(engine.url);
    pb.autoCancellation(false);
    return pb;
  };
  return Object.assign(engine, {
    client,
    admin: async () => {
      const pb = client();
      await pb.collection("_superusers").authWithPassword(TEST_SUPERUSER.email, TEST_SUPERUSER.password);
      return pb;
    },
  });
}

/**
 * Vitest helper: one engine for the whole test file, started before the first test and torn down
 * after the last, even when tests fail. Access it through the returned getter.
 */
export function useTestEngine(options: StartOptions = {}): () => TestEngine {
  let engine: TestEngine | undefined;
  beforeAll(async () => {
    engine = await startTestEngine(options);
  });
  afterAll(async () => {
    await engine?.dispose();
  });
  return () => {
    if (!engine) throw new Error("The test engine is not running (did beforeAll fail?)");
    return engine;
  };
}
