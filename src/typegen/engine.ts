import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  compileSchemaAndHooks,
  EngineError,
  freePort,
  prepareEngine,
  runEngineCli,
  serveEngine,
  silentLogger,
  type Logger,
} from "../engine/index.js";

/** A running throwaway engine, with a superuser token for reading its schema. */
export interface SchemaEngine {
  url: string;
  version: string;
  /** Authorization header value of a superuser of this engine. */
  token: string;
}

/**
 * Starts a fresh engine that applies the project's migrations from scratch, calls `use` with it, and
 * always stops it and deletes its data. The migrations and hooks are compiled into a private temp dir,
 * so typegen never disturbs .build/ (which a running dev server or test engines use).
 */
export async function withSchemaEngine<T>(use: (engine: SchemaEngine) => Promise<T>, log: Logger = silentLogger): Promise<T> {
  const { binary, version } = await prepareEngine({ compile: false, log });
  const workDir = await mkdtemp(path.join(tmpdir(), "pb-typegen-"));
  try {
    const dirs = {
      dataDir: path.join(workDir, "pb_data"),
      migrationsDir: path.join(workDir, "build", "pb_migrations"),
      hooksDir: path.join(workDir, "build", "pb_hooks"),
    };
    await compileSchemaAndHooks(path.join(workDir, "build"));
    const superuser = { email: "typegen@example.com", password: randomBytes(18).toString("base64url") };
    const env = { ...process.env, PB_RATE_LIMITS: "off" };
    await runEngineCli(binary, ["superuser", "upsert", superuser.email, superuser.password], dirs, { env });
    const running = await serveEngine({ binary, http: `127.0.0.1:${await freePort()}`, ...dirs, env });
    try {
      const token = await superuserToken(running.url, superuser);
      return await use({ url: running.url, version, token });
    } finally {
      await running.stop();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function superuserToken(url: string, superuser: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ identity: superuser.email, password: superuser.password }),
  });
  const body = (await response.json()) as { token?: unknown };
  if (!response.ok || typeof body.token !== "string") {
    throw new EngineError(`Could not sign in to the typegen engine as superuser (HTTP ${response.status}).`);
  }
  return body.token;
}

